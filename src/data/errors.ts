/**
 * The ways the data layer can fail, one class each, so that a caller (or a test) can tell
 * them apart with `instanceof` and a learner reads what went wrong and what to do.
 */

/** A text corpus file could not be used: missing, a folder, empty, or not UTF-8 text. */
export class CorpusFileError extends Error {
  override readonly name = 'CorpusFileError';

  constructor(
    /** The path as given by the caller. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A token sequence is too short to cut a training window (plus its target) out of it. */
export class CorpusTooShortError extends Error {
  override readonly name = 'CorpusTooShortError';
}

/** A sentence grammar breaks one of its rules (probabilities, words, dependencies). */
export class GrammarError extends Error {
  override readonly name = 'GrammarError';
}

/** A prefix that no sentence of the grammar starts with, so it has no next-token odds. */
export class PrefixNotInGrammarError extends Error {
  override readonly name = 'PrefixNotInGrammarError';

  constructor(
    /** The part of the prefix after its last newline: the sentence being written. */
    readonly sentencePrefix: string,
    message: string,
  ) {
    super(message);
  }
}
