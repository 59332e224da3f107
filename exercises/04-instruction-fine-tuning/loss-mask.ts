/**
 * Exercise 4.1 — the loss mask.
 *
 * `isAnswer[i]` says whether token i of a formatted conversation belongs to the answer (the
 * assistant's words and its end marker). A training row has `blockSize` positions; position t
 * reads token t and is scored on predicting token t + 1. Return the row's mask, `blockSize`
 * numbers: 1 where the loss counts the position — its target exists and is an answer token —
 * and 0 elsewhere (a prompt token as target, or no token at all: padding). A conversation
 * longer than blockSize + 1 tokens is cut to the first blockSize positions. A RangeError when
 * blockSize is not a positive integer, or when no position has an answer token as its target.
 */
export function answerLossMask(isAnswer: readonly boolean[], blockSize: number): number[] {
  throw new Error('Exercise 4.1: replace this line with your loss mask');
}
