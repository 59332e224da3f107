/**
 * Exercise 5.2 — what an adapter trains.
 *
 * `shapes` lists the adapted linear layers as [in, out]; each gets rank-`rank` factors A and B.
 * Return how many numbers they hold together. A rank that is not a positive integer, or a shape
 * that is not two positive integers, is a RangeError.
 */
export function adapterParameterCount(shapes: number[][], rank: number): number {
  throw new Error('Exercise 5.2: replace this line with your count');
}
