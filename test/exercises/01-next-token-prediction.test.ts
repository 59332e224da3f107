/**
 * Lesson 01's exercises: the reference solutions pass every case, and the learner's stubs
 * still say which exercise to do. (The autograder will reuse these cases.)
 */
import * as solutionSoftmax from '../../solutions/01-next-token-prediction/softmax';
import * as solutionCrossEntropy from '../../solutions/01-next-token-prediction/cross-entropy';
import * as solutionBigrams from '../../solutions/01-next-token-prediction/bigrams';
import * as stubSoftmax from '../../exercises/01-next-token-prediction/softmax';
import * as stubCrossEntropy from '../../exercises/01-next-token-prediction/cross-entropy';
import * as stubBigrams from '../../exercises/01-next-token-prediction/bigrams';

const close = (actual: readonly number[], expected: readonly number[], tolerance = 1e-9) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!)).toBeLessThan(tolerance));
};

describe('Exercise 1.1 — softmax (solution)', () => {
  const { softmax } = solutionSoftmax;
  it.each([
    [[0, 0], [0.5, 0.5]],
    [[1000, 1000], [0.5, 0.5]],
    [[Math.log(1), Math.log(3)], [0.25, 0.75]],
    [[5], [1]],
  ])('softmax(%j) = %j', (logits, expected) => close(softmax(logits), expected));

  it('sums to 1 and does not change when every logit is shifted', () => {
    const logits = [2, 1, 0.1, -3];
    const p = softmax(logits);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    close(softmax(logits.map((x) => x + 123.4)), p, 1e-12);
  });
});

describe('Exercise 1.2 — cross-entropy (solution)', () => {
  const { crossEntropy } = solutionCrossEntropy;
  it.each([
    [[0, 0, 0, 0], 2, Math.log(4)],
    [[Math.log(1), Math.log(3)], 1, -Math.log(0.75)],
    [[0, -1000], 1, 1000],
    [[1000, 0], 0, 0],
  ])('crossEntropy(%j, %d) = %d', (logits, target, expected) => {
    expect(crossEntropy(logits, target)).toBeCloseTo(expected, 9);
  });

  it('rejects a target that is not a token id', () => {
    expect(() => crossEntropy([0, 0], 2)).toThrow(RangeError);
    expect(() => crossEntropy([0, 0], 0.5)).toThrow(RangeError);
  });
});

describe('Exercise 1.3 — bigram model (solution)', () => {
  const { bigramProbabilities } = solutionBigrams;
  it.each([
    [[0, 1, 0, 2, 0, 1], 3, 0, [0, 2 / 3, 1 / 3]],
    [[0, 1, 0, 2, 0, 1], 3, 1, [1, 0, 0]],
    [[0, 1], 3, 2, [1 / 3, 1 / 3, 1 / 3]],
    [[1, 0], 2, 0, [0.5, 0.5]], // `0` only at the end: nothing follows it
  ])('bigramProbabilities(%j, %d, %d) = %j', (ids, vocabSize, previous, expected) => {
    close(bigramProbabilities(ids, vocabSize, previous), expected);
  });
});

describe('lesson 01 stubs', () => {
  it.each([
    ['1.1', () => stubSoftmax.softmax([1, 2])],
    ['1.2', () => stubCrossEntropy.crossEntropy([1, 2], 0)],
    ['1.3', () => stubBigrams.bigramProbabilities([0, 1], 2, 0)],
  ])('exercise %s says what to do', (id, call) => {
    expect(call).toThrow(`Exercise ${id}: replace this line`);
  });
});
