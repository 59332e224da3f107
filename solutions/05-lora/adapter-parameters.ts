/**
 * Exercise 5.2 — what an adapter trains.
 *
 * `shapes` lists the adapted linear layers as [in, out]; each gets rank-`rank` factors A and B.
 * Return how many numbers they hold together. A rank that is not a positive integer, or a shape
 * that is not two positive integers, is a RangeError.
 */
export function adapterParameterCount(shapes: number[][], rank: number): number {
  // BEGIN SOLUTION
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`rank must be a positive integer, got ${rank}`);
  let total = 0;
  for (const shape of shapes) {
    if (shape.length !== 2 || !shape.every((n) => Number.isInteger(n) && n > 0)) throw new RangeError(`bad shape ${JSON.stringify(shape)}`);
    total += rank * (shape[0]! + shape[1]!);
  }
  return total;
  // END SOLUTION
  throw new Error('Exercise 5.2: replace this line with your count');
}
