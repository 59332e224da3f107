/**
 * A byte-level byte-pair encoding (BPE) tokenizer, trained on your own corpus: the kind of
 * tokenizer GPT-2 and most LLMs since use, small enough to train in a lesson.
 *
 * The vocabulary, in id order:
 *   0–255                   the 256 bytes, so any UTF-8 text can be encoded;
 *   256 … 256+merges−1      one token per learned merge, in the order they were learned;
 *   then                    the special tokens (like `<|endoftext|>`), in the order given.
 *
 * Encoding splits the text into pre-tokens (words, numbers, punctuation, whitespace), turns
 * each into bytes and replays the merges inside it, lowest rank (earliest learned) first.
 */
import { BYTE_TOKENS, MAX_TOKEN_ID, type Merge, mergePair, pairKey } from './bpe-merge';
import { learnMerges } from './bpe-train';
import { bytesToText, formatBytes, textToBytes } from './bytes';
import { TokenizerJSONError, checkTokenId } from './errors';
import { describeValue, readSavedTokenizer } from './json';
import { pretokenize, splitOnSpecialTokens } from './pretokenize';
import type { Tokenizer, TokenizerJSON } from './types';

export interface BpeTrainOptions {
  /**
   * The vocabulary size to reach: 256 byte tokens + the merges to learn + the special
   * tokens. If the corpus runs out of pairs to merge first, the vocabulary is smaller: read
   * `vocabSize` from the trained tokenizer.
   */
  readonly vocabSize: number;
  /**
   * Strings that each get one token of their own and are recognised verbatim by `encode`,
   * such as `<|endoftext|>` between documents or `<|user|>` in a chat template. They are
   * left out of training.
   * @default []
   */
  readonly specialTokens?: readonly string[];
}

// Remembering each pre-token's tokens makes encoding a corpus several times faster (words
// repeat); the cap keeps memory bounded when encoding text with endless new words.
const ENCODE_CACHE_LIMIT = 100_000;

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe';
  readonly vocabSize: number;
  /** The learned merges, in rank order: merge `i` makes token `256 + i`. */
  readonly merges: readonly Merge[];
  readonly specialTokens: readonly string[];
  /** The bytes each token stands for (a special token: the UTF-8 of its text). */
  private readonly tokenBytes: readonly Uint8Array[];
  /** pairKey(left, right) → rank of the merge that joins them. */
  private readonly mergeRank: ReadonlyMap<number, number>;
  private readonly specialTokenIds: ReadonlyMap<string, number>;
  private readonly encodeCache = new Map<string, readonly number[]>();

  /**
   * A tokenizer from merges already learned. Usually you want `BpeTokenizer.train` or
   * `BpeTokenizer.fromJSON` instead.
   */
  constructor(merges: readonly Merge[], specialTokens: readonly string[] = []) {
    checkSpecialTokens(specialTokens);
    const tokenBytes: Uint8Array[] = [];
    for (let byte = 0; byte < BYTE_TOKENS; byte++) tokenBytes.push(Uint8Array.of(byte));
    const mergeRank = new Map<number, number>();
    merges.forEach(([left, right], rank) => {
      const merged = BYTE_TOKENS + rank;
      for (const id of [left, right]) {
        if (!Number.isInteger(id) || id < 0 || id >= merged) {
          throw new RangeError(
            `BpeTokenizer: merge ${rank} joins token ${id}, which does not exist yet ` +
              '(a merge can only join bytes 0–255 and tokens made by earlier merges, ' +
              `ids below ${merged}).`,
          );
        }
      }
      const key = pairKey(left, right);
      if (mergeRank.has(key)) {
        throw new RangeError(
          `BpeTokenizer: merge ${rank} joins ${left} and ${right}, which merge ` +
            `${mergeRank.get(key)} already joins; each pair is merged once.`,
        );
      }
      mergeRank.set(key, rank);
      tokenBytes.push(concatBytes([tokenBytes[left]!, tokenBytes[right]!]));
    });
    const specialTokenIds = new Map<string, number>();
    for (const special of specialTokens) {
      specialTokenIds.set(special, tokenBytes.length);
      tokenBytes.push(textToBytes(special));
    }
    this.merges = Object.freeze(merges.map(([left, right]) => [left, right] as const));
    this.specialTokens = Object.freeze([...specialTokens]);
    this.tokenBytes = tokenBytes;
    this.mergeRank = mergeRank;
    this.specialTokenIds = specialTokenIds;
    this.vocabSize = tokenBytes.length;
  }

  /**
   * Learns merges from `text` until the vocabulary has `vocabSize` tokens (see
   * `BpeTrainOptions`). The same text and options always give the same tokenizer: when two
   * pairs are equally frequent, the one with the lower ids is merged first.
   */
  static train(text: string, options: BpeTrainOptions): BpeTokenizer {
    const { vocabSize, specialTokens = [] } = options;
    checkSpecialTokens(specialTokens);
    const smallest = BYTE_TOKENS + specialTokens.length;
    if (!Number.isInteger(vocabSize) || vocabSize < smallest || vocabSize > MAX_TOKEN_ID) {
      throw new RangeError(
        `BpeTokenizer.train: vocabSize must be an integer from ${smallest} (256 byte tokens + ` +
          `${specialTokens.length} special tokens) to ${MAX_TOKEN_ID}, got ${vocabSize}. ` +
          'Choose one in that range: the tokens above the minimum are the merges it learns.',
      );
    }
    const numMerges = vocabSize - smallest;
    return new BpeTokenizer(learnMerges(text, { numMerges, specialTokens }), specialTokens);
  }

  /** Rebuilds a tokenizer saved with `toJSON()`: same merges, same ids, same encodings. */
  static fromJSON(json: unknown): BpeTokenizer {
    const saved = readSavedTokenizer(json, 'bpe');
    const { merges, specialTokens = [] } = saved;
    const isPair = (merge: unknown): merge is Merge =>
      Array.isArray(merge) && merge.length === 2 && merge.every(Number.isInteger);
    if (!Array.isArray(merges) || !merges.every(isPair)) {
      throw new TokenizerJSONError(
        'A saved BPE tokenizer needs "merges", an array of [left, right] pairs of token ids; ' +
          `got ${describeValue(merges)}.`,
      );
    }
    if (!Array.isArray(specialTokens)) {
      throw new TokenizerJSONError(
        `A saved BPE tokenizer's "specialTokens" must be an array of strings; ` +
          `got ${describeValue(specialTokens)}.`,
      );
    }
    try {
      return new BpeTokenizer(merges, specialTokens as string[]);
    } catch (error) {
      throw new TokenizerJSONError(`The saved BPE tokenizer is invalid: ${(error as Error).message}`);
    }
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const segment of splitOnSpecialTokens(text, this.specialTokens)) {
      if (segment.isSpecial) {
        ids.push(this.specialTokenIds.get(segment.text)!);
        continue;
      }
      for (const piece of pretokenize(segment.text)) ids.push(...this.encodePiece(piece));
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    const pieces = ids.map((id) => {
      checkTokenId(id, this.vocabSize, 'BpeTokenizer.decode');
      return this.tokenBytes[id]!;
    });
    // Join the bytes first, then decode: a character may be split across tokens.
    return bytesToText(concatBytes(pieces));
  }

  /** The token's text, with bytes that are only part of a character shown as `<0xE2>`. */
  tokenToString(id: number): string {
    checkTokenId(id, this.vocabSize, 'BpeTokenizer.tokenToString');
    return formatBytes(this.tokenBytes[id]!);
  }

  toJSON(): TokenizerJSON {
    return {
      kind: this.kind,
      merges: this.merges.map(([left, right]) => [left, right]),
      specialTokens: [...this.specialTokens],
    };
  }

  /** One pre-token's ids: its bytes, merged by rank until no learned merge applies. */
  private encodePiece(piece: string): readonly number[] {
    const cached = this.encodeCache.get(piece);
    if (cached !== undefined) return cached;

    let ids = Array.from(textToBytes(piece));
    for (;;) {
      // Of the neighbouring pairs, find the one learned first: that is how training built
      // the tokens, so replaying in that order rebuilds them.
      let bestRank = Infinity;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.mergeRank.get(pairKey(ids[i]!, ids[i + 1]!));
        if (rank !== undefined && rank < bestRank) bestRank = rank;
      }
      if (bestRank === Infinity) break;
      const [left, right] = this.merges[bestRank]!;
      ids = mergePair(ids, left, right, BYTE_TOKENS + bestRank)!;
    }

    if (this.encodeCache.size >= ENCODE_CACHE_LIMIT) this.encodeCache.clear();
    this.encodeCache.set(piece, ids);
    return ids;
  }
}

function checkSpecialTokens(specialTokens: readonly unknown[]): void {
  const seen = new Set<string>();
  for (const special of specialTokens) {
    if (typeof special !== 'string' || special === '') {
      throw new TypeError(
        'BpeTokenizer: special tokens must be non-empty strings like "<|endoftext|>", ' +
          `got ${describeValue(special)}.`,
      );
    }
    if (seen.has(special)) {
      throw new RangeError(
        `BpeTokenizer: the special token ${JSON.stringify(special)} is listed twice; list each once.`,
      );
    }
    seen.add(special);
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
