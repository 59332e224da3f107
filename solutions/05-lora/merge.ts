/**
 * Exercise 5.3 — merging an adapter into its weight.
 *
 * Return W + scaling·A·B, (in, out), for W (in, out), A (in, r) and B (r, out): the one matrix
 * that computes what W and the adapter compute together, so a merged layer costs nothing extra
 * at inference. Shapes that do not fit together are a RangeError.
 */
export function mergeLora(W: number[][], A: number[][], B: number[][], scaling: number): number[][] {
  // BEGIN SOLUTION
  if (A.length !== W.length || B.length !== A[0]!.length || B[0]!.length !== W[0]!.length) {
    throw new RangeError('W (in, out), A (in, r) and B (r, out) do not fit together');
  }
  return W.map((row, i) => row.map((w, j) => w + scaling * A[i]!.reduce((sum, a, k) => sum + a * B[k]![j]!, 0)));
  // END SOLUTION
  throw new Error('Exercise 5.3: replace this line with your merge');
}
