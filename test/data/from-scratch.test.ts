/**
 * The toolkit's plain-array references for lesson 01 (softmax, cross-entropy, bigram odds, KL):
 * they pass the lesson's public exercise cases (what the notebook falls back to must be right)
 * and agree with the tensor and distribution versions the rest of the toolkit uses.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { check } from '../../src/grading';
import { bigramProbabilities, crossEntropyFromLogits, klDivergence, klDivergenceOfVectors, softmax } from '../../src/data';

describe('lesson 01 references on plain arrays', () => {
  it.each([
    ['1.1', { softmax }],
    ['1.2', { crossEntropy: crossEntropyFromLogits }],
    ['1.3', { bigramProbabilities }],
    ['1.4', { klDivergence: klDivergenceOfVectors }],
  ] as const)('pass every public case of Exercise %s', async (id, exports) => {
    const result = await check(id, exports, { show: false });
    expect(result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`)).toEqual([]);
  });

  it('softmax matches tf.softmax, and cross-entropy is −ln of its probability', async () => {
    await tf.setBackend('cpu');
    const logits = [2, 1, 0.1, -3, 7];
    const expected = tf.tidy(() => tf.softmax(tf.tensor1d(logits)).arraySync());
    softmax(logits).forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 6));
    logits.forEach((_, t) => expect(crossEntropyFromLogits(logits, t)).toBeCloseTo(-Math.log(softmax(logits)[t]!), 10));
  });

  it('KL on vectors equals the distribution version, and is not symmetric', () => {
    const p = [0.1, 0.6, 0.3];
    const q = [0.3, 0.3, 0.4];
    const asRows = p.map((probability, token) => ({ token, text: String(token), probability }));
    expect(klDivergenceOfVectors(p, q)).toBeCloseTo(klDivergence(asRows, q), 12);
    expect(klDivergenceOfVectors(p, q)).not.toBeCloseTo(klDivergenceOfVectors(q, p), 3);
  });

  it('refuses what is not a prediction, saying what to pass', () => {
    expect(() => softmax([])).toThrow(/no logits/);
    expect(() => crossEntropyFromLogits([0, 0], 2)).toThrow(RangeError);
    expect(() => bigramProbabilities([0, 1], 0, 0)).toThrow(/vocabSize must be a positive integer/);
    expect(() => klDivergenceOfVectors([1], [0.5, 0.5])).toThrow(/same vocabulary/);
  });
});
