/** Lesson 05's exercises: a LoRA layer's forward pass, what it trains, and merging it into the weight. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const identity2 = [
  [1, 0],
  [0, 1],
];

const loraForward: ExerciseSpec = {
  id: '5.1',
  title: 'a LoRA layer',
  points: 10,
  file: '05-lora/lora-forward.ts',
  exports: ['loraForward'],
  cases: [
    {
      name: 'with B = 0 the layer is the base layer',
      args: [[[1, 2]], identity2, [[1], [1]], [[0, 0]], 2],
      expected: [[1, 2]],
      hint: 'B starts at zero, so (x·A)·B = 0 and the output is x·W: training starts exactly from the base.',
    },
    {
      name: 'a rank-1 adapter adds scaling · (x·A)·B',
      args: [[[1, 2]], identity2, [[1], [1]], [[1, -1]], 0.5],
      expected: [[2.5, 0.5]],
      tolerance: 1e-12,
      hint: 'x·A = [3]; (x·A)·B = [3, −3]; times 0.5 is [1.5, −1.5], added to x·W = [1, 2].',
    },
    {
      name: 'every row of x on its own',
      args: [[[1, 0], [0, 1]], [[2, 0], [0, 2]], [[1], [0]], [[1, 1]], 1],
      expected: [[3, 1], [0, 2]],
      tolerance: 1e-12,
      hint: 'Row 0: x·W = [2, 0], x·A = [1], plus [1, 1]. Row 1: x·W = [0, 2], x·A = [0], plus nothing.',
    },
    {
      name: 'out may differ from in',
      args: [[[1, 1]], [[1, 0, 0], [0, 1, 0]], [[1], [1]], [[0, 0, 1]], 1],
      expected: [[1, 1, 2]],
      tolerance: 1e-12,
      hint: 'W is (in, out) = (2, 3) and B is (r, out) = (1, 3): the output has 3 columns.',
    },
    { args: [[[1, 2, 3]], identity2, [[1], [1]], [[0, 0]], 1], throws: 'RangeError', hint: 'x has 3 columns but W has 2 rows: a RangeError.' },
    { args: [[[1, 2]], identity2, [[1], [1]], [[0, 0, 0]], 1], throws: 'RangeError', hint: 'B has 3 columns but W has 2: the adapter\'s output would not match the layer\'s.' },
  ],
};

const merge: ExerciseSpec = {
  id: '5.3',
  title: 'merging an adapter',
  points: 10,
  file: '05-lora/merge.ts',
  exports: ['mergeLora'],
  cases: [
    { args: [identity2, [[1], [2]], [[3, 4]], 1], expected: [[4, 4], [6, 9]], tolerance: 1e-12, hint: 'A·B = [[3, 4], [6, 8]]; add it to W.' },
    { args: [identity2, [[1], [2]], [[3, 4]], 0.5], expected: [[2.5, 2], [3, 5]], tolerance: 1e-12, hint: 'Multiply A·B by scaling before adding it.' },
    { args: [[[4, 4], [6, 9]], [[1], [2]], [[3, 4]], -1], expected: identity2, tolerance: 1e-12, hint: 'Merging with −scaling subtracts the adapter again: that is unmerging.' },
    { args: [[[1, 2, 3]], [[1, 0]], [[1, 0, 0], [0, 1, 0]], 1], expected: [[2, 2, 3]], tolerance: 1e-12, hint: 'A rank-2 adapter: A·B = [[1, 0, 0]] for W of shape (1, 3).' },
    { args: [identity2, [[1]], [[3, 4]], 1], throws: 'RangeError', hint: 'A has 1 row but W has 2: A is (in, r).' },
  ],
};

const parameters: ExerciseSpec = {
  id: '5.2',
  title: 'what an adapter trains',
  points: 10,
  file: '05-lora/adapter-parameters.ts',
  exports: ['adapterParameterCount'],
  cases: [
    { args: [[[128, 384]], 8], expected: 4096, hint: 'A is (128, 8) and B is (8, 384): 8 · (128 + 384).' },
    { args: [[[128, 384], [128, 128]], 1], expected: 768, hint: 'Add the layers: (128 + 384) + (128 + 128).' },
    { args: [[], 4], expected: 0, hint: 'No layers, no adapters.' },
    { args: [[[10, 10]], 0], throws: 'RangeError', hint: 'Rank 0 is no adapter at all: the rank must be a positive integer.' },
    { args: [[[10]], 2], throws: 'RangeError', hint: 'A shape is [in, out]: two positive integers.' },
  ],
};

export const LESSON_05_EXERCISES: readonly ExerciseSpec[] = [loraForward, parameters, merge];
