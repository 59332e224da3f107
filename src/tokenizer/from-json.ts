/**
 * Loading any saved tokenizer: read `kind`, hand the rest to that kind's `fromJSON`.
 * A checkpoint stores `tokenizer.json` beside the weights; this turns it back into the
 * exact tokenizer the model was trained with.
 */
import { BpeTokenizer } from './bpe';
import { CharTokenizer } from './char';
import { TokenizerJSONError } from './errors';
import { Gpt2Tokenizer } from './gpt2';
import { describeValue } from './json';
import type { Tokenizer, TokenizerKind } from './types';

const loaders: Record<TokenizerKind, (json: unknown) => Tokenizer> = {
  char: (json) => CharTokenizer.fromJSON(json),
  bpe: (json) => BpeTokenizer.fromJSON(json),
  gpt2: (json) => Gpt2Tokenizer.fromJSON(json),
};

/** The tokenizer that `tokenizer.toJSON()` saved (parse the file with `JSON.parse` first). */
export function tokenizerFromJSON(json: unknown): Tokenizer {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TokenizerJSONError(
      `A saved tokenizer must be a JSON object with a "kind" field, got ${describeValue(json)}.`,
    );
  }
  const kind = (json as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !Object.hasOwn(loaders, kind)) {
    throw new TokenizerJSONError(
      `Unknown tokenizer kind ${describeValue(kind)}; expected one of ${Object.keys(loaders)
        .map((known) => `"${known}"`)
        .join(', ')}.`,
    );
  }
  return loaders[kind as TokenizerKind](json);
}
