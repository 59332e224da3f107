/**
 * Exercise 3.2 — top-p (nucleus) filtering.
 *
 * Take tokens by probability, highest first, equal probabilities by index, lowest first; keep
 * the smallest such set whose probabilities add up to at least p; return the distribution with
 * every other token set to 0 and the kept ones divided by their total. p = 1 keeps every
 * token. p outside (0, 1], or no probabilities at all, is a RangeError.
 */
export function topPFilter(probs: number[], p: number): number[] {
  throw new Error('Exercise 3.2: replace this line with your top-p filter');
}
