/**
 * What every tokenizer in LLM Lab can do: turn text into token ids and back.
 *
 * A model never sees text, only integers in [0, vocabSize). The tokenizer is saved next to
 * the weights in every checkpoint (`tokenizer.json`), because a model is useless without
 * the exact mapping it was trained with.
 */
export interface Tokenizer {
  /** Which kind of tokenizer this is; `tokenizerFromJSON` dispatches on it. */
  readonly kind: TokenizerKind;
  /** How many distinct token ids `encode` can produce: the model's vocabulary size. */
  readonly vocabSize: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** A human-readable form of one token (for tables of next-token probabilities). */
  tokenToString(id: number): string;
  /** Everything needed to rebuild this tokenizer with `tokenizerFromJSON`. */
  toJSON(): TokenizerJSON;
}

export type TokenizerKind = 'char' | 'bpe' | 'gpt2';

/** The saved form of a tokenizer: its kind plus whatever that kind needs. */
export interface TokenizerJSON {
  readonly kind: TokenizerKind;
  readonly [field: string]: unknown;
}
