/** Lesson 04's exercises: the loss mask of instruction tuning, and how far fine-tuning moved a weight. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

// A conversation of 6 tokens: four of prompt (role markers, the question), then two of answer.
const sixTokens = [false, false, false, false, true, true];

const lossMask: ExerciseSpec = {
  id: '4.1',
  title: 'the loss mask',
  points: 10,
  file: '04-instruction-fine-tuning/loss-mask.ts',
  exports: ['answerLossMask'],
  cases: [
    {
      name: 'the mask belongs to the target: position t counts when token t + 1 is an answer token',
      args: [sixTokens, 5],
      expected: [0, 0, 0, 1, 1],
      hint: 'Position 3 reads token 3 (prompt) and predicts token 4 (answer): it counts. Position 4 predicts token 5, the last answer token.',
    },
    {
      name: 'positions past the end of the conversation are padding',
      args: [sixTokens, 8],
      expected: [0, 0, 0, 1, 1, 0, 0, 0],
      hint: 'Six tokens make five (input, target) positions; positions 5, 6 and 7 have no target: 0.',
    },
    {
      name: 'a conversation longer than the row is cut to blockSize positions',
      args: [sixTokens, 4],
      expected: [0, 0, 0, 1],
      hint: 'Only blockSize positions exist: the mask is always blockSize long.',
    },
    {
      name: 'an answer in two turns counts both, and nothing between them',
      args: [[false, true, false, false, true], 4],
      expected: [1, 0, 0, 1],
      hint: 'Look at each target on its own: is token t + 1 an answer token?',
    },
    { args: [sixTokens, 3], throws: 'RangeError', hint: 'With 3 positions the targets are tokens 1–3, all prompt: the row teaches nothing, a RangeError.' },
    { args: [sixTokens, 0], throws: 'RangeError', hint: 'blockSize must be a positive integer.' },
  ],
};

const relativeChange: ExerciseSpec = {
  id: '4.2',
  title: 'how far a weight moved',
  points: 10,
  file: '04-instruction-fine-tuning/relative-change.ts',
  exports: ['relativeChange'],
  cases: [
    { args: [[3, 4], [3, 4]], expected: 0, hint: 'An unchanged weight moved 0.' },
    { args: [[3, 4], [3.3, 4.4]], expected: 0.1, tolerance: 1e-9, hint: 'Every entry grew by 10%: the change is 10% of the weight, 0.1.' },
    { args: [[1, 0, 0, 0], [1, 1, 1, 1]], expected: Math.sqrt(3), tolerance: 1e-9, hint: '‖after − before‖ = √(0 + 1 + 1 + 1) = √3, over ‖before‖ = 1.' },
    { name: 'the sign of the change does not matter', args: [[2, 0], [0, 0]], expected: 1, tolerance: 1e-9, hint: 'Square the differences: a weight moved to zero changed by its whole size.' },
    { args: [[1, 2], [1]], throws: 'RangeError', hint: 'Before and after are the same weight: different lengths are a RangeError.' },
    { args: [[0, 0], [1, 1]], throws: 'RangeError', hint: 'A change relative to an all-zero weight has no size: a RangeError.' },
  ],
};

export const LESSON_04_EXERCISES: readonly ExerciseSpec[] = [lossMask, relativeChange];
