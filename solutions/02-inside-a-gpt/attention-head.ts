/**
 * Exercise 2.2 — one causal attention head.
 *
 * q, k and v are (T, d) arrays: one row per position. Return the (T, d) output whose row i is
 * Σ_j w[i][j] · v[j], where w[i] = softmax over j of (q[i] · k[j] / √d + mask[i][j]) and the
 * mask is the causal one (0 for j ≤ i, -Infinity for j > i). d is the width of q and k.
 * q, k and v with different numbers of rows, or k not as wide as q, is a RangeError.
 */
export function attentionHead(q: number[][], k: number[][], v: number[][]): number[][] {
  // BEGIN SOLUTION
  const T = q.length;
  const d = q[0]?.length ?? 0;
  if (T === 0 || k.length !== T || v.length !== T) throw new RangeError('q, k and v need the same number of rows (one per position)');
  if (k.some((row) => row.length !== d) || q.some((row) => row.length !== d)) throw new RangeError('k must be as wide as q');
  return q.map((qi, i) => {
    const scores = k.map((kj, j) => (j <= i ? qi.reduce((s, x, c) => s + x * kj[c]!, 0) / Math.sqrt(d) : -Infinity));
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return v[0]!.map((_, c) => exps.reduce((s, e, j) => s + (e / sum) * v[j]![c]!, 0));
  });
  // END SOLUTION
  throw new Error('Exercise 2.2: replace this line with your attention head');
}
