/**
 * Measuring what instruction tuning taught: is the answer exactly right, and how many of the
 * answer's tokens does the model predict?
 *
 * - `exactMatch` is the strict test for tasks with one right answer (the `extract-fields`
 *   dataset): a generated answer either has every field right or it does not.
 * - `tokenAccuracy` is the gentler, per-token view during training: at how many of the
 *   positions the loss counts is the model's most likely next token the right one.
 */

/**
 * Whether a generated answer is the reference answer. Whitespace around either is ignored
 * (a model may end its answer with a newline); everything else, case included, must match.
 * Cut the answer out of the generated text first with `responseText`.
 */
export function exactMatch(prediction: string, reference: string): boolean {
  return prediction.trim() === reference.trim();
}

/**
 * The fraction of counted positions where the predicted token is the target: `predicted`
 * holds the model's choices (the argmax of its logits at each position), `targets` the
 * right tokens, `lossMask` (optional) which positions count — the same mask the loss uses,
 * so the accuracy is over the answer tokens only. All three are the same length.
 *
 * Throws a `RangeError` when the lengths differ or no position counts.
 */
export function tokenAccuracy(
  predicted: ArrayLike<number>,
  targets: ArrayLike<number>,
  lossMask?: ArrayLike<number>,
): number {
  if (predicted.length !== targets.length || (lossMask !== undefined && lossMask.length !== targets.length)) {
    throw new RangeError(
      `tokenAccuracy: predicted (${predicted.length}), targets (${targets.length})` +
        `${lossMask === undefined ? '' : ` and lossMask (${lossMask.length})`} must be the same length: ` +
        'one entry per position of the same batch.',
    );
  }
  let counted = 0;
  let correct = 0;
  for (let i = 0; i < targets.length; i++) {
    if (lossMask !== undefined && !(lossMask[i]! > 0)) continue;
    counted += 1;
    if (predicted[i] === targets[i]) correct += 1;
  }
  if (counted === 0) {
    throw new RangeError('tokenAccuracy: no position counts (the mask is all zeros), so there is nothing to measure.');
  }
  return correct / counted;
}
