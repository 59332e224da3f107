/**
 * Exercise 2.2 — one causal attention head.
 *
 * q, k and v are (T, d) arrays: one row per position. Return the (T, d) output whose row i is
 * Σ_j w[i][j] · v[j], where w[i] = softmax over j of (q[i] · k[j] / √d + mask[i][j]) and the
 * mask is the causal one (0 for j ≤ i, -Infinity for j > i). d is the width of q and k.
 * q, k and v with different numbers of rows, or k not as wide as q, is a RangeError.
 */
export function attentionHead(q: number[][], k: number[][], v: number[][]): number[][] {
  throw new Error('Exercise 2.2: replace this line with your attention head');
}
