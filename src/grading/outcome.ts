/**
 * What came of calling the learner's function once. The runner reports this; the grader
 * (never the submission) turns it into passed or failed.
 */
export type CallOutcome =
  /** It returned `value` (decoded from the child process: data only). */
  | { readonly kind: 'returned'; readonly value: unknown; readonly timeMs: number }
  /** It threw. `isError`: what was thrown was an Error (a thrown string or object is not). */
  | { readonly kind: 'threw'; readonly name: string; readonly message: string; readonly isError: boolean; readonly timeMs: number }
  /** It never answered: too slow, out of memory, ended the process, printed too much, did not compile… */
  | { readonly kind: 'failed'; readonly message: string; readonly timeMs: number };
