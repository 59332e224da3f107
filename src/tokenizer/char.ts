/**
 * The simplest tokenizer: one token per character.
 *
 * The vocabulary is the set of distinct characters of a corpus, sorted, as in nanoGPT's
 * `shakespeare_char` (65 characters for Shakespeare). Small vocabulary, long sequences, and
 * nothing to learn — the model has to learn spelling itself. It cannot encode a character
 * that its corpus did not contain.
 */
import { TokenizerJSONError, UnknownCharacterError, checkTokenId, describeCharacter } from './errors';
import { describeValue, readSavedTokenizer } from './json';
import type { Tokenizer, TokenizerJSON } from './types';

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  readonly vocabSize: number;
  /** The vocabulary: token id `i` is `characters[i]`, one Unicode code point each. */
  readonly characters: readonly string[];
  private readonly idOfCharacter: ReadonlyMap<string, number>;

  /**
   * A tokenizer with exactly these characters as its vocabulary, in this order.
   * Usually you want `CharTokenizer.fromText(corpus)` instead.
   */
  constructor(characters: readonly string[]) {
    if (characters.length === 0) {
      throw new RangeError(
        'CharTokenizer: the vocabulary is empty. ' +
          'Build it from a non-empty corpus with CharTokenizer.fromText().',
      );
    }
    const idOfCharacter = new Map<string, number>();
    characters.forEach((character, id) => {
      if (typeof character !== 'string' || [...character].length !== 1) {
        throw new TypeError(
          `CharTokenizer: vocabulary entry ${id} must be a single character (one code point), ` +
            `got ${describeValue(character)}.`,
        );
      }
      if (idOfCharacter.has(character)) {
        throw new RangeError(
          `CharTokenizer: the character ${describeCharacter(character)} is in the vocabulary ` +
            `twice (ids ${idOfCharacter.get(character)} and ${id}); each character needs exactly one id.`,
        );
      }
      idOfCharacter.set(character, id);
    });
    this.characters = Object.freeze([...characters]);
    this.vocabSize = characters.length;
    this.idOfCharacter = idOfCharacter;
  }

  /**
   * The distinct characters of `text`, sorted by code point, as the vocabulary.
   *
   * Characters are Unicode code points, not UTF-16 units: iterating a string with `for…of`
   * keeps an emoji whole, where `text[i]` would give half of it. For the same reason we sort
   * by code point; JavaScript's default sort compares UTF-16 units, which orders emoji
   * before some ordinary characters (like U+FF01 "！").
   */
  static fromText(text: string): CharTokenizer {
    if (text.length === 0) {
      throw new RangeError(
        'CharTokenizer.fromText: the text is empty, so there are no characters to build a ' +
          'vocabulary from. Pass the training corpus.',
      );
    }
    const distinct = [...new Set(text)];
    distinct.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer(distinct);
  }

  /** Rebuilds a tokenizer saved with `toJSON()`: `{ kind: 'char', characters: [...] }`. */
  static fromJSON(json: unknown): CharTokenizer {
    const saved = readSavedTokenizer(json, 'char');
    if (!Array.isArray(saved.characters)) {
      throw new TokenizerJSONError(
        'A saved char tokenizer needs "characters", an array of single characters; ' +
          `got ${describeValue(saved.characters)}.`,
      );
    }
    try {
      return new CharTokenizer(saved.characters as string[]);
    } catch (error) {
      throw new TokenizerJSONError(`The saved char tokenizer is invalid: ${(error as Error).message}`);
    }
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    let index = 0; // string index of `character`, for the error message
    for (const character of text) {
      const id = this.idOfCharacter.get(character);
      if (id === undefined) throw new UnknownCharacterError(character, index, this.vocabSize);
      ids.push(id);
      index += character.length;
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.tokenToString(id)).join('');
  }

  tokenToString(id: number): string {
    checkTokenId(id, this.vocabSize, 'CharTokenizer');
    return this.characters[id]!;
  }

  toJSON(): TokenizerJSON {
    return { kind: this.kind, characters: [...this.characters] };
  }
}
