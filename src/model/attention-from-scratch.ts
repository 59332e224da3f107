/**
 * Attention on plain arrays: what the GPT's tensor code computes for one head, written out
 * so that every step can be read (and so lesson 02 has a reference for its exercises).
 *
 *   scores  = q · kᵀ / √d          (T, T): how much each position asks of each other one
 *   masked  = scores + causal mask  −∞ above the diagonal: no position sees the future
 *   weights = softmax over each row (T, T): each row sums to 1
 *   output  = weights · v           (T, d): a weighted average of the values seen so far
 */

/** The causal mask of T positions: row i is 0 at columns j ≤ i and −Infinity at j > i. */
export function causalMaskMatrix(T: number): number[][] {
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`A causal mask needs T ≥ 1 positions (a whole number), got ${T}.`);
  return Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j <= i ? 0 : -Infinity)));
}

/** The attention weights of one causal head: softmax(q · kᵀ / √d + mask), row by row. (T, T) */
export function attentionWeights(q: readonly (readonly number[])[], k: readonly (readonly number[])[]): number[][] {
  const T = q.length;
  checkMatrix('q', q, T);
  checkMatrix('k', k, T, q[0]!.length);
  const d = q[0]!.length;
  const mask = causalMaskMatrix(T);
  return q.map((qi, i) => {
    const scores = k.map((kj, j) => qi.reduce((s, x, c) => s + x * kj[c]!, 0) / Math.sqrt(d) + mask[i]![j]!);
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  });
}

/** One causal attention head: each position's output is its weights times the values. (T, d_v) */
export function attentionHead(
  q: readonly (readonly number[])[],
  k: readonly (readonly number[])[],
  v: readonly (readonly number[])[],
): number[][] {
  const weights = attentionWeights(q, k);
  checkMatrix('v', v, q.length);
  const dv = v[0]!.length;
  return weights.map((row) => Array.from({ length: dv }, (_, c) => row.reduce((s, w, j) => s + w * v[j]![c]!, 0)));
}

function checkMatrix(name: string, m: readonly (readonly number[])[], rows: number, columns?: number): void {
  if (!Array.isArray(m) || m.length === 0) throw new RangeError(`${name} must be a non-empty (T, d) array of rows.`);
  if (m.length !== rows) throw new RangeError(`${name} has ${m.length} rows but q has ${rows}: q, k and v need one row per position.`);
  const width = columns ?? m[0]!.length;
  if (width === 0 || m.some((row) => !Array.isArray(row) || row.length !== width)) {
    throw new RangeError(`every row of ${name} must have ${width > 0 ? width : 'the same (non-zero) number of'} numbers${columns !== undefined ? ' (k is as wide as q)' : ''}.`);
  }
}
