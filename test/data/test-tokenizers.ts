/**
 * Two tiny tokenizers for the data tests, so that they do not depend on src/tokenizer:
 * one token per character, and one token per word with the space in front of it (the way
 * GPT-2's byte-pair encoding splits " mat").
 */
import type { Tokenizer, TokenizerKind } from '../../src/tokenizer/types';

class ListTokenizer implements Tokenizer {
  readonly vocabSize: number;
  private readonly ids: Map<string, number>;

  constructor(
    readonly kind: TokenizerKind,
    private readonly vocabulary: readonly string[],
    private readonly split: (text: string) => string[],
  ) {
    this.vocabSize = vocabulary.length;
    this.ids = new Map(vocabulary.map((token, id) => [token, id]));
  }

  encode(text: string): number[] {
    return this.split(text).map((piece) => {
      const id = this.ids.get(piece);
      if (id === undefined) throw new Error(`test tokenizer: unknown piece ${JSON.stringify(piece)}`);
      return id;
    });
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.vocabulary[id] ?? '').join('');
  }

  tokenToString(id: number): string {
    return this.vocabulary[id] ?? '';
  }

  toJSON() {
    return { kind: this.kind, vocabulary: this.vocabulary };
  }
}

/** One token per character of `text`, ids in sorted character order (as nanoGPT does). */
export function charTokenizerFor(text: string): Tokenizer {
  const characters = [...new Set(text)].sort();
  return new ListTokenizer('char', characters, (s) => [...s]);
}

/** Words with their leading space as one token (" mat"), and every other character alone. */
export function wordTokenizerFor(text: string): Tokenizer {
  const split = (s: string): string[] => s.match(/ ?[A-Za-z]+|[^A-Za-z]/g) ?? [];
  // Single characters and " m"-like pieces too, so that a prefix that ends inside a word
  // ("on the ", "on the m") still has tokens, as it has in GPT-2.
  const letters = [...text].filter((c) => /[A-Za-z]/.test(c));
  const pieces = [...new Set([...split(text), ...text, ...letters.map((c) => ' ' + c)])].sort();
  return new ListTokenizer('bpe', pieces, split);
}
