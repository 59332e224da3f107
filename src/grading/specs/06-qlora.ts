/** Lesson 06's exercises: blockwise absmax int8 and NF4 quantization. The public cases; hidden ones live with the instructor. */
import { NF4_LEVELS } from '../../finetune/normal-float';
import type { ExerciseSpec } from '../spec';

const int8: ExerciseSpec = {
  id: '6.1',
  title: 'absmax int8, block by block',
  points: 10,
  file: '06-qlora/int8.ts',
  exports: ['quantizeInt8Blocks'],
  cases: [
    { args: [[0.5, -1, 0.25, 0], 4], expected: { codes: [64, -127, 32, 0], scales: [1] }, hint: 'One block, absmax 1: each code is round(127 · value / 1); 63.5 rounds to 64.' },
    {
      name: 'each block has its own scale',
      args: [[2, 1, 0.1, -0.04], 2],
      expected: { codes: [127, 64, 127, -51], scales: [2, 0.1] },
      hint: 'Blocks [2, 1] and [0.1, −0.04]: scales 2 and 0.1, and each value over its own block\'s scale.',
    },
    { name: 'the last block may be shorter', args: [[1, -1, 3], 2], expected: { codes: [127, -127, 127], scales: [1, 3] }, hint: 'Three values in blocks of 2: [1, −1] and [3].' },
    { name: 'an all-zero block', args: [[0, 0, 4, 2], 2], expected: { codes: [0, 0, 127, 64], scales: [0, 4] }, hint: 'A block of zeros has scale 0: its codes are 0, not 0 / 0 = NaN.' },
    { args: [[], 4], expected: { codes: [], scales: [] }, hint: 'No values: no codes and no blocks.' },
    { args: [[1, 2], 0], throws: 'RangeError', hint: 'blockSize must be a positive integer.' },
  ],
};

const simpleLevels = [-1, -0.5, 0, 0.5, 1];

const nf4: ExerciseSpec = {
  id: '6.2',
  title: 'NF4, block by block',
  points: 10,
  file: '06-qlora/nf4.ts',
  exports: ['quantizeNF4Blocks'],
  cases: [
    {
      name: 'each value becomes the index of the nearest level to value / scale',
      args: [[1, 0.6, -0.3, 0.1], 4, simpleLevels],
      expected: { codes: [4, 3, 1, 2], scales: [1] },
      hint: '0.6 is nearest 0.5 (index 3), −0.3 nearest −0.5 (index 1), 0.1 nearest 0 (index 2).',
    },
    { name: 'blocks and their scales, as in int8', args: [[4, -2, 0.5, 0.25], 2, simpleLevels], expected: { codes: [4, 1, 4, 3], scales: [4, 0.5] }, hint: '−2 / 4 = −0.5 (index 1); 0.25 / 0.5 = 0.5 (index 3).' },
    { name: 'an all-zero block gets the code of level 0', args: [[0, 0, 1], 2, simpleLevels], expected: { codes: [2, 2, 4], scales: [0, 1] }, hint: 'Scale 0: do not divide; every value is 0, the level at index 2 here.' },
    { name: 'a tie goes to the lower index', args: [[1, 0.25], 2, simpleLevels], expected: { codes: [4, 2], scales: [1] }, hint: '0.25 is as near 0 (index 2) as 0.5 (index 3): take the lower index.' },
    {
      name: 'with the real NF4 levels',
      args: [[0.05, -0.1, 0.02, 0], 4, [...NF4_LEVELS]],
      expected: { codes: [12, 0, 9, 7], scales: [0.1] },
      hint: 'absmax 0.1: 0.05 → 0.5, nearest 0.4407 (index 12); −0.1 → −1 (index 0); 0.02 → 0.2, nearest 0.1609 (index 9); 0 → 0 (index 7).',
    },
    { args: [[1], 1.5, simpleLevels], throws: 'RangeError', hint: 'blockSize must be a positive integer.' },
  ],
};

export const LESSON_06_EXERCISES: readonly ExerciseSpec[] = [int8, nf4];
