/**
 * Exercise 1.4 — the KL divergence.
 *
 * p is the true next-token distribution and q a model's, both arrays over the same
 * vocabulary. On data drawn from p the model's expected loss is −Σ p ln q; the best possible
 * model (q = p) has −Σ p ln p. Return the difference, KL(p‖q), in nats: 0 when q = p, more
 * the further q is from p. Tokens with p(t) = 0 add nothing (even where q(t) = 0 too); a token
 * with p(t) > 0 and q(t) = 0 makes it Infinity. p and q of different lengths are a RangeError.
 */
export function klDivergence(p: readonly number[], q: readonly number[]): number {
  throw new Error('Exercise 1.4: replace this line with your KL divergence');
}
