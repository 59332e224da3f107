/**
 * Instruction tuning on plain arrays: the two functions lesson 04 has the learner write, as
 * the toolkit's reference (the lesson's later cells fall back to these while an exercise does
 * not pass yet).
 *
 *   answerLossMask(isAnswer, blockSize)   which positions the loss counts: those predicting an answer token
 *   relativeChange(before, after)         ‖after − before‖ / ‖before‖: how far fine-tuning moved a weight
 *
 * `encodeForTraining` computes the same mask while it encodes a conversation; this one takes
 * the per-token answer flags, so the shift by one can be read on its own.
 */

/**
 * The loss mask of one training row of `blockSize` positions. Position t's input is token t
 * and its target token t + 1, so the mask belongs to the target: 1 where token t + 1 exists
 * and is an answer token, 0 where it is a prompt token or beyond the conversation (padding).
 * A conversation longer than blockSize + 1 tokens is cut: only the first blockSize positions
 * exist. A RangeError when blockSize is not a positive integer, or when not one answer token
 * is the target of a position (the row would teach nothing).
 */
export function answerLossMask(isAnswer: readonly boolean[], blockSize: number): number[] {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`answerLossMask: blockSize must be a positive integer, got ${blockSize}.`);
  const mask = Array.from({ length: blockSize }, (_, t) => (t + 1 < isAnswer.length && isAnswer[t + 1] ? 1 : 0));
  if (!mask.includes(1)) {
    throw new RangeError(
      `answerLossMask: no position of the ${blockSize} predicts an answer token (the answer starts at token ${isAnswer.indexOf(true)}); shorten the prompt or use a longer blockSize.`,
    );
  }
  return mask;
}

/**
 * How far a weight moved, relative to its size: ‖after − before‖ / ‖before‖, the norms over
 * every entry (the Frobenius norm of a matrix). 0.01 means the change is 1% of the weight.
 * A RangeError when the two differ in length, are empty, or `before` is all zeros (a change
 * relative to nothing has no size).
 */
export function relativeChange(before: ArrayLike<number>, after: ArrayLike<number>): number {
  if (before.length !== after.length) throw new RangeError(`relativeChange: before has ${before.length} numbers and after ${after.length}; pass the same weight twice.`);
  let change = 0;
  let size = 0;
  for (let i = 0; i < before.length; i++) {
    change += (after[i]! - before[i]!) ** 2;
    size += before[i]! ** 2;
  }
  if (size === 0) throw new RangeError('relativeChange: before is empty or all zeros, so a change relative to it has no size.');
  return Math.sqrt(change) / Math.sqrt(size);
}
