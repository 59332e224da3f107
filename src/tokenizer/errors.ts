/**
 * The ways a tokenizer can refuse its input, one error class each, so that a caller (or a
 * test) can tell them apart with `instanceof` and read the details from fields.
 */

/** `CharTokenizer.encode` met a character its vocabulary does not have. */
export class UnknownCharacterError extends Error {
  override readonly name = 'UnknownCharacterError';

  constructor(
    /** The character (one Unicode code point) that has no token. */
    readonly character: string,
    /** Where it is in the text, as a string index (`text[index]` starts it). */
    readonly index: number,
    vocabSize: number,
  ) {
    super(
      `CharTokenizer.encode: the character ${describeCharacter(character)} at index ${index} ` +
        `is not in the vocabulary of ${vocabSize} characters. A character tokenizer only knows ` +
        'the characters it was built from: build it with CharTokenizer.fromText() from a corpus ' +
        'that contains this character, or remove the character from the text.',
    );
  }
}

/** `decode` or `tokenToString` got something that is not a token id of this vocabulary. */
export class InvalidTokenIdError extends RangeError {
  override readonly name = 'InvalidTokenIdError';

  constructor(
    readonly id: number,
    readonly vocabSize: number,
    where: string,
  ) {
    super(
      `${where}: ${id} is not a token id; ids are integers in [0, ${vocabSize}). ` +
        'Were these ids made by a different tokenizer (or a model with a larger vocabulary)?',
    );
  }
}

/** A saved tokenizer (`tokenizer.json`) is not in the shape its kind needs. */
export class TokenizerJSONError extends Error {
  override readonly name = 'TokenizerJSONError';

  constructor(message: string) {
    super(
      `${message} Save tokenizers with tokenizer.toJSON() and load them with tokenizerFromJSON().`,
    );
  }
}

/** Throws `InvalidTokenIdError` unless `id` is an integer in [0, vocabSize). */
export function checkTokenId(id: number, vocabSize: number, where: string): void {
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
    throw new InvalidTokenIdError(id, vocabSize, where);
  }
}

/** `"é" (U+00E9)`: the character quoted (so tabs and newlines show) and its code point. */
export function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  return `${JSON.stringify(character)} (U+${hex})`;
}
