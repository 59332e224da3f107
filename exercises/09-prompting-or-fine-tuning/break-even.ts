/**
 * Exercise 9.2 — the break-even.
 *
 * Prompting costs `promptedSecondsPerQuery` a query and nothing up front; fine-tuning costs
 * `trainingSeconds` once, then `tunedSecondsPerQuery` a query. Return the smallest whole number
 * of queries n ≥ 1 after which fine-tuning has cost less in total (strictly), or Infinity when
 * it never does. A number that is negative or not finite is a RangeError.
 */
export function breakEvenQueries(trainingSeconds: number, promptedSecondsPerQuery: number, tunedSecondsPerQuery: number): number {
  throw new Error('Exercise 9.2: replace this line with your break-even');
}
