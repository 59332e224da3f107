/**
 * The one operation of byte-pair encoding: replace each occurrence of a pair of neighbouring
 * tokens by a new token. Training chooses which pairs to merge; encoding replays them.
 */

/** A learned merge: the two token ids that become one. Merge `i` creates token `256 + i`. */
export type Merge = readonly [left: number, right: number];

/** Token ids 0–255 are the bytes themselves; learned tokens come after. */
export const BYTE_TOKENS = 256;

/**
 * Token ids must stay below this so that a pair fits in one number key (see `pairKey`).
 * Sixteen million is far more than any vocabulary (GPT-2 has 50,257 tokens).
 */
export const MAX_TOKEN_ID = 2 ** 24;

/**
 * One number for a pair of ids, to use as a Map key (a Map compares arrays by identity, not
 * by content). Comparing keys compares pairs: by left id, then by right id.
 */
export function pairKey(left: number, right: number): number {
  return left * MAX_TOKEN_ID + right;
}

/**
 * `ids` with every occurrence of `left, right` replaced by `merged`, scanning left to right
 * (so merging `a a` in `a a a` gives `aa a`). Returns `undefined` if the pair does not occur.
 */
export function mergePair(
  ids: readonly number[],
  left: number,
  right: number,
  merged: number,
): number[] | undefined {
  let result: number[] | undefined;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === left && ids[i + 1] === right) {
      result ??= ids.slice(0, i); // first occurrence: copy what came before
      result.push(merged);
      i++; // skip `right`, it is inside `merged` now
    } else if (result !== undefined) {
      result.push(ids[i]!);
    }
  }
  return result;
}
