/**
 * Exercise 2.1 — the causal mask.
 *
 * A T × T matrix (an array of T rows of T numbers) that is added to the attention scores:
 * row i (the position asking) is 0 at every column j ≤ i (itself and the past: allowed) and
 * -Infinity at every column j > i (the future: after the softmax its weight is exactly 0).
 * T that is not a whole number ≥ 1 is a RangeError.
 */
export function causalMaskMatrix(T: number): number[][] {
  throw new Error('Exercise 2.1: replace this line with your causal mask');
}
