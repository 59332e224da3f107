/**
 * Exercise specs: what an exercise is graded on. One spec feeds both runners: `check()` in a
 * notebook and `llm-lab grade` in CI.
 *
 * Inputs are JSON values, so they can cross into the child process that runs a submission;
 * the expected answer never does: the grader compares the returned value in its own process.
 */

/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A property of the answer, checked in the grader's process: returns what is wrong with
 * `output`, or `undefined` when it is right. `output` is the value the submission returned,
 * as data (arrays, plain objects, numbers, strings; typed arrays arrive as arrays).
 */
export type OutputProperty = (output: unknown, args: readonly JsonValue[]) => string | undefined;

/** Whether the learner sees a case (`public`) or only the instructor's directory has it (`hidden`). */
export type CaseVisibility = 'public' | 'hidden';

/**
 * A quiz question: the case grades one answer of a quiz, a field of the answers object the
 * learner's export returns (`{ q1: 'b', q2: ['a', 'c'], q3: 16, q4: 'perplexity' }`).
 * - `choice`: one of `options` (an answer that is not an option is reported as such);
 * - `choices`: every right option and no other, in any order;
 * - `number`: within the case's `tolerance` of `answer` (relative to |answer| when above 1,
 *   as for any number a case compares);
 * - `text`: one of `accepted`, ignoring case, spaces at the ends and runs of spaces.
 * The question's text lives in the lesson; the spec holds what is right.
 */
export type QuizQuestion =
  | { readonly id: string; readonly kind: 'choice'; readonly options: readonly string[]; readonly answer: string }
  | { readonly id: string; readonly kind: 'choices'; readonly options: readonly string[]; readonly answer: readonly string[] }
  | { readonly id: string; readonly kind: 'number'; readonly answer: number }
  | { readonly id: string; readonly kind: 'text'; readonly accepted: readonly string[] };

/**
 * What a quiz's learner file exports (one constant, `export const quiz: QuizAnswers = { q1: 'b', … }`,
 * or a function returning it): each question's answer under its id, a question not answered yet left out.
 */
export type QuizAnswers = Readonly<Record<string, string | number | readonly string[]>>;

/** One call of the learner's function and what must come of it. Give exactly one of `expected`, `throws`, `property`, `question`. */
export interface GradingCase {
  /** How the case is shown. @default the call, e.g. `softmax([1000,1000])` (public) or `hidden case N` (hidden) */
  readonly name?: string;
  /** The exported function to call. @default the exercise's first export */
  readonly call?: string;
  /** The arguments, in order. */
  readonly args: readonly JsonValue[];
  /** The right answer; numbers anywhere in it are compared within `tolerance`. */
  readonly expected?: JsonValue;
  /** Numbers match when |actual − expected| ≤ tolerance · max(1, |expected|). @default 1e-9 */
  readonly tolerance?: number;
  /** The call must throw an Error of this name, e.g. `RangeError`. */
  readonly throws?: string;
  /** A property the answer must have (JavaScript specs only). */
  readonly property?: OutputProperty;
  /** A quiz question whose answer is the field `question.id` of the export (a constant object, or what the function returns). */
  readonly question?: QuizQuestion;
  /** What to look at when the case fails: shown with the failure. */
  readonly hint: string;
  /** Share of the exercise's points, relative to its other cases. @default 1 */
  readonly weight?: number;
  /** @default 'public' in a course spec, 'hidden' in a hidden-tests directory */
  readonly visibility?: CaseVisibility;
}

export interface ExerciseSpec {
  /** `"1.2"`: lesson number, dot, exercise number. */
  readonly id: string;
  readonly title: string;
  /** What the exercise is worth; its cases share these points by weight. */
  readonly points: number;
  /** The learner's file, relative to `exercises/`, e.g. `01-next-token-prediction/softmax.ts`. */
  readonly file: string;
  /** The exported names graded (a notebook cell defines them without `export`). */
  readonly exports: readonly string[];
  readonly cases: readonly GradingCase[];
  /** Time one case may take, in milliseconds. @default the grader's limit (2000) */
  readonly caseTimeoutMs?: number;
}

/** The lesson's folder of an exercise file: `01-next-token-prediction/softmax.ts` → `01-next-token-prediction`. */
export function lessonFolderOf(spec: ExerciseSpec): string {
  return spec.file.split('/')[0] ?? '';
}
