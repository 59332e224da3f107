/** Lesson 07's exercises: reading a learning curve, and a margin against the seeds' spread. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const curve = [
  { x: 0, score: 0 },
  { x: 200, score: 0.35 },
  { x: 400, score: 0.8 },
  { x: 600, score: 0.75 },
  { x: 800, score: 0.99 },
];

const firstReaching: ExerciseSpec = {
  id: '7.1',
  title: 'the budget that reaches a score',
  points: 10,
  file: '07-does-pretraining-matter/first-reaching.ts',
  exports: ['firstReaching'],
  cases: [
    { args: [curve, 0.8], expected: 400, hint: 'The first point with score ≥ 0.8 is x = 400; "at least" includes equal.' },
    { name: 'a later dip does not matter', args: [curve, 0.7], expected: 400, hint: 'x = 400 already reached 0.7; x = 600 falling to 0.75 changes nothing.' },
    { name: 'the very first point may already be there', args: [curve, 0], expected: 0, hint: 'Score 0 at x = 0 is ≥ 0.' },
    { name: 'never reached in what was measured', args: [curve, 0.995], expected: null, hint: 'No point reaches 0.995: return null, not the last x.' },
    { name: 'no points', args: [[], 0.5], expected: null, hint: 'An empty curve reaches nothing.' },
    { args: [[{ x: 100, score: 0.9 }, { x: 50, score: 1 }], 0.5], throws: 'RangeError', hint: 'x must increase from point to point: 50 after 100 is an error.' },
  ],
};

const seedMargin: ExerciseSpec = {
  id: '7.2',
  title: 'a margin larger than the seeds’ spread',
  points: 10,
  file: '07-does-pretraining-matter/seed-margin.ts',
  exports: ['seedMargin'],
  cases: [
    {
      args: [[0.7, 0.74, 0.72], [0.3, 0.4, 0.35]],
      expected: { margin: 0.37, spread: 0.1, clear: true },
      tolerance: 1e-9,
      hint: 'Means 0.72 and 0.35: margin 0.37. Ranges 0.04 and 0.10: spread is the larger, 0.10.',
    },
    {
      name: 'one side that varies more than the gap',
      args: [[0.5, 0.9], [0.6, 0.62]],
      expected: { margin: 0.09, spread: 0.4, clear: false },
      tolerance: 1e-9,
      hint: 'Means 0.70 and 0.61; but a goes from 0.5 to 0.9 with the seed: spread 0.4 > 0.09.',
    },
    {
      name: 'a behind b',
      args: [[0.2, 0.25], [0.6, 0.61]],
      expected: { margin: -0.38, spread: 0.05, clear: false },
      tolerance: 1e-9,
      hint: 'margin is mean(a) − mean(b), negative when a is behind; a negative margin is never clear.',
    },
    { name: 'one seed each', args: [[0.5], [0.5]], expected: { margin: 0, spread: 0, clear: false }, hint: 'One run per side: both ranges are 0; margin 0 is not more than 0.' },
    { args: [[], [0.5]], throws: 'RangeError', hint: 'A side with no runs has no mean.' },
  ],
};

export const LESSON_07_EXERCISES: readonly ExerciseSpec[] = [firstReaching, seedMargin];
