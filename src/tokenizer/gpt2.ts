/**
 * GPT-2's own tokenizer: byte-level BPE with 50,000 merges learned on 40 GB of web text, plus
 * `<|endoftext|>`. The same algorithm as our `BpeTokenizer`, at full size.
 *
 * We do not re-implement it: the ids must match GPT-2's exactly, so they come from the
 * maintained `gpt-tokenizer` package (its `r50k_base` encoding, which is GPT-2's).
 */
// The CommonJS build, imported by file: the package's "exports" map is not read by Node10
// module resolution (ours, and the notebook kernel's), and its "main" is the ES module build.
import { decode as r50kDecode, encode as r50kEncode } from 'gpt-tokenizer/cjs/encoding/r50k_base';
import r50kTokens from 'gpt-tokenizer/cjs/bpeRanks/r50k_base';
import { formatBytes } from './bytes';
import { checkTokenId } from './errors';
import { readSavedTokenizer } from './json';
import { splitOnSpecialTokens } from './pretokenize';
import type { Tokenizer, TokenizerJSON } from './types';

/** GPT-2's one special token: it separates documents in its training data. */
export const GPT2_END_OF_TEXT = '<|endoftext|>';
/** Its id, the last of the vocabulary. */
export const GPT2_END_OF_TEXT_ID = 50256;

/**
 * GPT-2's tokenizer. `<|endoftext|>` in the text is encoded as the special token 50256,
 * like the special tokens of `BpeTokenizer` (so text can mark where documents end), and
 * decoding 50256 gives `<|endoftext|>` back.
 */
export class Gpt2Tokenizer implements Tokenizer {
  readonly kind = 'gpt2';
  readonly vocabSize = 50257;

  /** `{ kind: 'gpt2' }`: there is nothing to restore, the vocabulary is GPT-2's. */
  static fromJSON(json: unknown): Gpt2Tokenizer {
    readSavedTokenizer(json, 'gpt2');
    return new Gpt2Tokenizer();
  }

  encode(text: string): number[] {
    // We split out <|endoftext|> ourselves rather than pass `allowedSpecial` to the package:
    // gpt-tokenizer 4.0.0 finds an allowed special token only at the start of the text.
    const ids: number[] = [];
    for (const segment of splitOnSpecialTokens(text, [GPT2_END_OF_TEXT])) {
      if (segment.isSpecial) ids.push(GPT2_END_OF_TEXT_ID);
      else for (const id of r50kEncode(segment.text)) ids.push(id);
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    for (const id of ids) checkTokenId(id, this.vocabSize, 'Gpt2Tokenizer.decode');
    return r50kDecode(ids);
  }

  /** The token's text, with bytes that are only part of a character shown as `<0xE2>`. */
  tokenToString(id: number): string {
    checkTokenId(id, this.vocabSize, 'Gpt2Tokenizer.tokenToString');
    if (id === GPT2_END_OF_TEXT_ID) return GPT2_END_OF_TEXT;
    // The package keeps each token as its text, or as its bytes where they are not valid
    // UTF-8 on their own (344 of GPT-2's tokens hold part of a character).
    const token = r50kTokens[id]!;
    return typeof token === 'string' ? token : formatBytes(Uint8Array.from(token));
  }

  toJSON(): TokenizerJSON {
    return { kind: this.kind };
  }
}
