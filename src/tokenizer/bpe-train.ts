/**
 * Learning byte-pair merges from a corpus.
 *
 * Start with the text as bytes. Count every pair of neighbouring tokens; the most frequent
 * pair becomes a new token; replace it everywhere; repeat until the vocabulary is full.
 * Frequent words end up as one token, rare words as several pieces, and any text at all can
 * still be spelled out byte by byte.
 *
 * Two ideas make this take seconds on a megabyte instead of minutes:
 * 1. Count words, not text. Merges never cross pre-token boundaries (see `pretokenize`), so
 *    the corpus is just a bag of distinct pieces with their counts: " the" appears 20,000
 *    times in Shakespeare but is stored, and merged, once.
 * 2. Update counts, don't recount. A merge changes only the words that contain its pair, so
 *    we take those words' pairs out of the counts, merge, and put their new pairs back.
 */
import { BYTE_TOKENS, MAX_TOKEN_ID, type Merge, mergePair, pairKey } from './bpe-merge';
import { textToBytes } from './bytes';
import { pretokenize, splitOnSpecialTokens } from './pretokenize';

export interface LearnMergesOptions {
  /** How many merges to learn at most (fewer if the corpus runs out of pairs). */
  readonly numMerges: number;
  /** Strings left out of training: they become tokens of their own, never merged. */
  readonly specialTokens: readonly string[];
}

/** A distinct pre-token of the corpus: its current tokens and how often it occurs. */
interface Word {
  ids: number[];
  readonly count: number;
}

/** The merges, in the order learned (merge `i` creates token `256 + i`). Deterministic. */
export function learnMerges(text: string, options: LearnMergesOptions): Merge[] {
  const words = countWords(text, options.specialTokens);
  const pairCounts = new Map<number, number>(); // pairKey → occurrences in the corpus
  // pairKey → indices of the words that contain the pair (or did once: entries are not
  // removed when a word changes, and a word without the pair is skipped when merging).
  const wordsWithPair = new Map<number, Set<number>>();

  const countPairs = (wordIndex: number, sign: 1 | -1): void => {
    const { ids, count } = words[wordIndex]!;
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = pairKey(ids[i]!, ids[i + 1]!);
      const total = (pairCounts.get(key) ?? 0) + sign * count;
      if (total === 0) pairCounts.delete(key);
      else pairCounts.set(key, total);
      if (sign > 0) {
        let holders = wordsWithPair.get(key);
        if (holders === undefined) wordsWithPair.set(key, (holders = new Set()));
        holders.add(wordIndex);
      }
    }
  };
  words.forEach((_, wordIndex) => countPairs(wordIndex, 1));

  const merges: Merge[] = [];
  while (merges.length < options.numMerges) {
    const best = mostFrequentPair(pairCounts);
    if (best === undefined) break; // every word is a single token: nothing left to merge
    const left = Math.floor(best / MAX_TOKEN_ID);
    const right = best % MAX_TOKEN_ID;
    const merged = BYTE_TOKENS + merges.length;
    merges.push([left, right]);

    const holders = wordsWithPair.get(best) ?? new Set<number>();
    wordsWithPair.delete(best);
    for (const wordIndex of holders) {
      const word = words[wordIndex]!;
      const mergedIds = mergePair(word.ids, left, right, merged);
      if (mergedIds === undefined) continue; // an earlier merge already took this pair apart
      countPairs(wordIndex, -1);
      word.ids = mergedIds;
      countPairs(wordIndex, 1);
    }
  }
  return merges;
}

/** Each distinct pre-token of the corpus as bytes, with its count; special tokens left out. */
function countWords(text: string, specialTokens: readonly string[]): Word[] {
  const counts = new Map<string, number>();
  for (const segment of splitOnSpecialTokens(text, specialTokens)) {
    if (segment.isSpecial) continue;
    for (const piece of pretokenize(segment.text)) {
      counts.set(piece, (counts.get(piece) ?? 0) + 1);
    }
  }
  return [...counts].map(([piece, count]) => ({ ids: Array.from(textToBytes(piece)), count }));
}

/**
 * The key of the pair with the highest count. Ties go to the smallest key, that is the
 * lowest left id, then the lowest right id, so that training the same text twice learns
 * the same merges. `undefined` when no pairs are left.
 */
function mostFrequentPair(pairCounts: ReadonlyMap<number, number>): number | undefined {
  let bestKey: number | undefined;
  let bestCount = 0;
  for (const [key, count] of pairCounts) {
    if (count > bestCount || (count === bestCount && key < bestKey!)) {
      bestKey = key;
      bestCount = count;
    }
  }
  return bestKey;
}
