/**
 * Exercise 4.2 — how far a weight moved.
 *
 * `before` and `after` are the same weight (all its entries, flattened) before and after
 * fine-tuning. Return ‖after − before‖ / ‖before‖, where ‖x‖ = √(Σ xᵢ²): 0.01 means the change
 * is 1% of the weight's size. A RangeError when the two have different lengths, or when
 * `before` is empty or all zeros.
 */
export function relativeChange(before: readonly number[], after: readonly number[]): number {
  // BEGIN SOLUTION
  if (before.length !== after.length) throw new RangeError(`before has ${before.length} numbers, after ${after.length}`);
  let change = 0;
  let size = 0;
  for (let i = 0; i < before.length; i++) {
    change += (after[i]! - before[i]!) ** 2;
    size += before[i]! ** 2;
  }
  if (size === 0) throw new RangeError('before is all zeros');
  return Math.sqrt(change / size);
  // END SOLUTION
  throw new Error('Exercise 4.2: replace this line with your relative change');
}
