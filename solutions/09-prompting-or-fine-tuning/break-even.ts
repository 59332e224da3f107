/**
 * Exercise 9.2 — the break-even.
 *
 * Prompting costs `promptedSecondsPerQuery` a query and nothing up front; fine-tuning costs
 * `trainingSeconds` once, then `tunedSecondsPerQuery` a query. Return the smallest whole number
 * of queries n ≥ 1 after which fine-tuning has cost less in total (strictly), or Infinity when
 * it never does. A number that is negative or not finite is a RangeError.
 */
export function breakEvenQueries(trainingSeconds: number, promptedSecondsPerQuery: number, tunedSecondsPerQuery: number): number {
  // BEGIN SOLUTION
  for (const value of [trainingSeconds, promptedSecondsPerQuery, tunedSecondsPerQuery]) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`seconds must be finite and ≥ 0, got ${value}`);
  }
  const saved = promptedSecondsPerQuery - tunedSecondsPerQuery;
  if (saved <= 0) return Infinity;
  let n = Math.max(1, Math.floor(trainingSeconds / saved) + 1);
  // The division can round either way: step to the first n that really is cheaper.
  while (n > 1 && trainingSeconds + (n - 1) * tunedSecondsPerQuery < (n - 1) * promptedSecondsPerQuery) n -= 1;
  while (!(trainingSeconds + n * tunedSecondsPerQuery < n * promptedSecondsPerQuery)) n += 1;
  return n;
  // END SOLUTION
  throw new Error('Exercise 9.2: replace this line with your break-even');
}
