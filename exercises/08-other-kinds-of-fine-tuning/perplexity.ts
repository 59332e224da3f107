/**
 * Exercise 8.2 — perplexity from the loss of each token.
 *
 * `losses` holds each token's loss, −ln p, p the probability the model gave the true token.
 * Return the perplexity: the N for which a model that spread its odds evenly over N tokens at
 * every position would have the same total loss. No losses, or a loss that is NaN or
 * negative, is a RangeError.
 */
export function perplexityFromLosses(losses: number[]): number {
  throw new Error('Exercise 8.2: replace this line with your perplexity');
}
