/** Lesson 01's exercises: softmax, cross-entropy, a bigram model, the KL divergence. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const softmax: ExerciseSpec = {
  id: '1.1',
  title: 'softmax',
  points: 10,
  file: '01-next-token-prediction/softmax.ts',
  exports: ['softmax'],
  cases: [
    { args: [[0, 0]], expected: [0.5, 0.5], hint: 'Equal logits get equal probabilities: exp(0) / (exp(0) + exp(0)).' },
    { args: [[1000, 1000]], expected: [0.5, 0.5], hint: 'Math.exp(1000) is Infinity: subtract the largest logit before exponentiating.' },
    { args: [[0, Math.log(3)]], expected: [0.25, 0.75], hint: 'Exponentiate each logit, then divide by the sum of the exponentials.' },
    { args: [[5]], expected: [1], hint: 'One logit: all the probability goes to it.' },
    {
      name: 'softmax([2,1,0.1,-3]) is a distribution that keeps the order of the logits',
      args: [[2, 1, 0.1, -3]],
      property: (output) => {
        if (!Array.isArray(output) || output.length !== 4) return 'expected an array of 4 probabilities';
        const p = output as unknown[];
        if (!p.every((x) => typeof x === 'number' && x >= 0 && x <= 1)) return 'every probability must be a number in [0, 1]';
        const sum = (p as number[]).reduce((a, b) => a + b, 0);
        if (Math.abs(sum - 1) > 1e-9) return `the probabilities sum to ${sum}, not 1`;
        const [a, b, c, d] = p as number[];
        return a! > b! && b! > c! && c! > d! ? undefined : 'a larger logit must get a larger probability';
      },
      hint: 'Divide every exponential by the same sum, so the results add up to 1.',
    },
  ],
};

const crossEntropy: ExerciseSpec = {
  id: '1.2',
  title: 'cross-entropy',
  points: 10,
  file: '01-next-token-prediction/cross-entropy.ts',
  exports: ['crossEntropy'],
  cases: [
    { args: [[0, 0, 0, 0], 2], expected: Math.log(4), hint: 'Uniform logits over V tokens give ln V.' },
    { args: [[0, Math.log(3)], 1], expected: -Math.log(0.75), hint: 'The loss is −ln of the probability softmax gives the target.' },
    { args: [[0, -1000], 1], expected: 1000, hint: 'exp(−1000) underflows to 0 and ln 0 is −Infinity: compute logsumexp(logits) − logits[target].' },
    { args: [[1000, 0], 0], expected: 0, hint: 'Subtract the largest logit inside logsumexp, or Math.exp(1000) overflows.' },
    { args: [[0, 0], 2], throws: 'RangeError', hint: 'A target past the last logit is not a token id: throw a RangeError.' },
    { args: [[0, 0], 0.5], throws: 'RangeError', hint: 'A target that is not an integer is not a token id: throw a RangeError.' },
  ],
};

const bigrams: ExerciseSpec = {
  id: '1.3',
  title: 'a bigram model',
  points: 10,
  file: '01-next-token-prediction/bigrams.ts',
  exports: ['bigramProbabilities'],
  cases: [
    { args: [[0, 1, 0, 2, 0, 1], 3, 0], expected: [0, 2 / 3, 1 / 3], hint: 'Count what follows each 0, then divide by how many followers there are.' },
    { args: [[0, 1, 0, 2, 0, 1], 3, 1], expected: [1, 0, 0], hint: 'Only the tokens right after `previous` count.' },
    { args: [[0, 1], 3, 2], expected: [1 / 3, 1 / 3, 1 / 3], hint: 'A token never seen: return the uniform distribution 1 / vocabSize.' },
    { args: [[1, 0], 2, 0], expected: [0.5, 0.5], hint: 'A token seen only at the very end has no follower: return the uniform distribution.' },
  ],
};

const klDivergence: ExerciseSpec = {
  id: '1.4',
  title: 'the KL divergence',
  points: 10,
  file: '01-next-token-prediction/kl-divergence.ts',
  exports: ['klDivergence'],
  cases: [
    { args: [[0.25, 0.75], [0.25, 0.75]], expected: 0, hint: 'A model that gives the true odds loses nothing to the best model: KL(p‖p) = 0.' },
    { args: [[1, 0], [0.5, 0.5]], expected: Math.log(2), hint: 'The model pays −ln 0.5 for the token that always comes; the best model pays −ln 1 = 0.' },
    {
      args: [[0.5, 0.5], [0.25, 0.75]],
      expected: 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75),
      hint: "The model's expected loss −Σ p ln q, minus the best model's −Σ p ln p: Σ p ln(p / q).",
    },
    { args: [[0.5, 0.5, 0], [0.5, 0.5, 0]], expected: 0, hint: 'A token the truth rules out adds nothing, even where q is 0 too (0 · ln(0/0) would be NaN: skip p = 0).' },
    { args: [[0.5, 0.5], [1, 0]], expected: Infinity, hint: 'The truth allows token 1 but the model rules it out: −ln 0 is an infinite loss.' },
    { args: [[1], [0.5, 0.5]], throws: 'RangeError', hint: 'p and q must cover the same vocabulary: different lengths are a RangeError.' },
  ],
};

export const LESSON_01_EXERCISES: readonly ExerciseSpec[] = [softmax, crossEntropy, bigrams, klDivergence];
