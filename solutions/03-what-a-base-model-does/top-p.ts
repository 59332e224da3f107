/**
 * Exercise 3.2 — top-p (nucleus) filtering.
 *
 * Take tokens by probability, highest first, equal probabilities by index, lowest first; keep
 * the smallest such set whose probabilities add up to at least p; return the distribution with
 * every other token set to 0 and the kept ones divided by their total. p = 1 keeps every
 * token. p outside (0, 1], or no probabilities at all, is a RangeError.
 */
export function topPFilter(probs: number[], p: number): number[] {
  // BEGIN SOLUTION
  if (!(p > 0 && p <= 1)) throw new RangeError(`p must be in (0, 1], got ${p}`);
  if (probs.length === 0) throw new RangeError('no probabilities');
  const order = probs.map((_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
  const kept = new Set<number>();
  let total = 0;
  for (const token of order) {
    if (kept.size > 0 && total >= p) break;
    kept.add(token);
    total += probs[token]!;
  }
  return probs.map((q, i) => (kept.has(i) ? q / total : 0));
  // END SOLUTION
  throw new Error('Exercise 3.2: replace this line with your top-p filter');
}
