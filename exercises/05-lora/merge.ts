/**
 * Exercise 5.3 — merging an adapter into its weight.
 *
 * Return W + scaling·A·B, (in, out), for W (in, out), A (in, r) and B (r, out): the one matrix
 * that computes what W and the adapter compute together, so a merged layer costs nothing extra
 * at inference. Shapes that do not fit together are a RangeError.
 */
export function mergeLora(W: number[][], A: number[][], B: number[][], scaling: number): number[][] {
  throw new Error('Exercise 5.3: replace this line with your merge');
}
