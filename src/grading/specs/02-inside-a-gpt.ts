/** Lesson 02's exercises: the causal mask, one attention head, a GPT's parameter count. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const causalMask: ExerciseSpec = {
  id: '2.1',
  title: 'the causal mask',
  points: 10,
  file: '02-inside-a-gpt/causal-mask.ts',
  exports: ['causalMaskMatrix'],
  cases: [
    { args: [1], expected: [[0]], hint: 'One position sees only itself: [[0]].' },
    { args: [2], expected: [[0, -Infinity], [0, 0]], hint: 'Row i is 0 up to column i and -Infinity after it.' },
    {
      args: [4],
      expected: [
        [0, -Infinity, -Infinity, -Infinity],
        [0, 0, -Infinity, -Infinity],
        [0, 0, 0, -Infinity],
        [0, 0, 0, 0],
      ],
      hint: 'Below and on the diagonal (j ≤ i): 0. Above it (j > i, the future): -Infinity.',
    },
    { args: [0], throws: 'RangeError', hint: 'A mask needs at least one position: T = 0 is a RangeError.' },
    { args: [2.5], throws: 'RangeError', hint: 'T counts positions: a number that is not whole is a RangeError.' },
  ],
};

const s = Math.SQRT1_2; // q1 · k1 / √2 in the two-position case below
const attentionHead: ExerciseSpec = {
  id: '2.2',
  title: 'one attention head',
  points: 10,
  file: '02-inside-a-gpt/attention-head.ts',
  exports: ['attentionHead'],
  cases: [
    { args: [[[1, 2]], [[3, 4]], [[5, 6]]], expected: [[5, 6]], tolerance: 1e-9, hint: 'The first position sees only itself: its weight is 1, its output is its own value.' },
    {
      name: 'zero queries give each position the mean of the values so far',
      args: [[[0], [0], [0]], [[1], [2], [3]], [[1], [2], [6]]],
      expected: [[1], [1.5], [3]],
      tolerance: 1e-9,
      hint: 'With q = 0 every allowed score is 0, so the softmax is uniform over positions 0…i.',
    },
    {
      args: [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]],
      expected: [[1, 0], [1 / (1 + Math.exp(s)), Math.exp(s) / (1 + Math.exp(s))]],
      tolerance: 1e-9,
      hint: 'Scale the dot products by 1/√d (d = 2 here) before the softmax.',
    },
    {
      name: 'large scores do not overflow',
      args: [[[0], [100]], [[10], [20]], [[1], [2]]],
      expected: [[1], [2]],
      tolerance: 1e-9,
      hint: 'exp(2000) is Infinity: subtract each row\'s largest score before exponentiating.',
    },
    { args: [[[1]], [[1], [2]], [[1]]], throws: 'RangeError', hint: 'q, k and v need one row per position each: different row counts are a RangeError.' },
  ],
};

const parameterCount: ExerciseSpec = {
  id: '2.3',
  title: 'a GPT\'s parameter count',
  points: 10,
  file: '02-inside-a-gpt/parameter-count.ts',
  exports: ['gptParameterCount'],
  cases: [
    {
      name: 'the baby GPT on Shakespeare characters',
      args: [{ vocabSize: 65, blockSize: 64, nLayer: 4, nEmbd: 128, bias: false }],
      expected: 804_096,
      hint: 'Per block without biases: 2 layer norms (C each), qkv (C·3C), projection (C·C), MLP (C·4C + 4C·C). Then wte, wpe and the final layer norm.',
    },
    {
      name: 'one block, eight wide',
      args: [{ vocabSize: 10, blockSize: 4, nLayer: 1, nEmbd: 8, bias: false }],
      expected: 904,
      hint: 'The output head is the token embedding (tied): it is not counted twice.',
    },
    {
      name: 'with biases',
      args: [{ vocabSize: 16, blockSize: 16, nLayer: 2, nEmbd: 32, bias: true }],
      expected: 16 * 32 + 16 * 32 + 2 * (2 * 64 + (32 * 96 + 96) + (32 * 32 + 32) + (32 * 128 + 128) + (128 * 32 + 32)) + 64,
      hint: 'With bias, a layer norm has C more numbers and each linear layer one more per output.',
    },
  ],
};

export const LESSON_02_EXERCISES: readonly ExerciseSpec[] = [causalMask, attentionHead, parameterCount];
