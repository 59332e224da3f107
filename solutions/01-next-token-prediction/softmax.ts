/**
 * Exercise 1.1 — softmax.
 *
 * Turn logits (any real numbers) into probabilities: exponentiate, then divide by the sum.
 * Subtract the largest logit first: it cancels in the division, and keeps Math.exp from
 * overflowing, so softmax([1000, 1000]) is [0.5, 0.5], not [NaN, NaN].
 */
export function softmax(logits: readonly number[]): number[] {
  // BEGIN SOLUTION
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
  // END SOLUTION
  throw new Error('Exercise 1.1: replace this line with your softmax');
}
