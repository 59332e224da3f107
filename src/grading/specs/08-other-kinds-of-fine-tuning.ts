/** Lesson 08's exercises: the constant-label baseline, perplexity from token losses, where to stop for a forgetting budget. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const constantLabel: ExerciseSpec = {
  id: '8.1',
  title: 'the classifier that ignores the text',
  points: 10,
  file: '08-other-kinds-of-fine-tuning/constant-label.ts',
  exports: ['constantLabelAccuracy'],
  cases: [
    {
      args: [['a', 'b', 'a', 'a'], ['a', 'b', 'b', 'b']],
      expected: { label: 'a', accuracy: 0.25 },
      hint: "Training says 'a' most often, so the constant classifier always answers 'a'; one test label in four is 'a'.",
    },
    {
      name: 'the test set decides the accuracy, not the training set',
      args: [['pos', 'neg', 'neg'], ['neg', 'neg', 'pos', 'neg', 'neg']],
      expected: { label: 'neg', accuracy: 0.8 },
      hint: "Answer 'neg' (two of three training labels); four of the five test labels are 'neg'.",
    },
    {
      name: 'a tie goes to the label seen first in training',
      args: [['y', 'x', 'x', 'y'], ['x', 'x', 'y']],
      expected: { label: 'y', accuracy: 1 / 3 },
      hint: "'x' and 'y' both appear twice; 'y' comes first in the training labels, so answer 'y'.",
    },
    {
      name: 'a label training never saw is never answered',
      args: [['a', 'a'], ['c', 'c']],
      expected: { label: 'a', accuracy: 0 },
      hint: "The classifier answers 'a' whatever the text; no test label is 'a'.",
    },
    { args: [[], ['a']], throws: 'RangeError', hint: 'No training labels: there is no most common label. Throw a RangeError.' },
    { args: [['a'], []], throws: 'RangeError', hint: 'No test labels: nothing to score. Throw a RangeError.' },
  ],
};

const perplexity: ExerciseSpec = {
  id: '8.2',
  title: 'perplexity from the loss of each token',
  points: 10,
  file: '08-other-kinds-of-fine-tuning/perplexity.ts',
  exports: ['perplexityFromLosses'],
  cases: [
    {
      name: 'a model that always gives the true token 1/4',
      args: [[Math.log(4), Math.log(4), Math.log(4)]],
      expected: 4,
      tolerance: 1e-9,
      hint: 'Every loss is ln 4: the model is as unsure as one choosing among 4 tokens evenly.',
    },
    {
      name: 'p = 1/2 then p = 1/8: the geometric mean of 1/p',
      args: [[Math.log(2), Math.log(8)]],
      expected: 4,
      tolerance: 1e-9,
      hint: 'A uniform choice among N tokens loses ln N at each of the 2 positions; find the N whose total, 2·ln N, equals ln 2 + ln 8.',
    },
    { name: 'a certain, right model', args: [[0, 0]], expected: 1, hint: 'p = 1 for every token: loss 0, one choice.' },
    {
      args: [[0.5, 1.5, 2.5]],
      expected: Math.exp(1.5),
      tolerance: 1e-9,
      hint: 'The same total loss spread evenly: 1.5 per token.',
    },
    { args: [[]], throws: 'RangeError', hint: 'No losses: there is no perplexity. Throw a RangeError.' },
    { args: [[1, -0.5]], throws: 'RangeError', hint: 'A loss below 0 means a probability above 1: throw a RangeError.' },
  ],
};

const curve = [
  { step: 0, domain: 2000, general: 3 },
  { step: 10, domain: 200, general: 5 },
  { step: 20, domain: 80, general: 12 },
  { step: 30, domain: 40, general: 25 },
];

const stopping: ExerciseSpec = {
  id: '8.3',
  title: 'where to stop, with a budget for forgetting',
  points: 10,
  file: '08-other-kinds-of-fine-tuning/forgetting-budget.ts',
  exports: ['bestStepWithinForgetting'],
  cases: [
    { name: 'general perplexity may double', args: [curve, 2], expected: 10, hint: 'Twice the first general perplexity is 6: steps 0 and 10 are within it, and step 10 has the lower domain perplexity.' },
    { name: 'a budget of 5 times', args: [curve, 5], expected: 20, hint: 'Within 15: steps 0, 10 and 20; step 20 is lowest on domain text.' },
    { name: 'a budget exactly met counts', args: [curve, 25 / 3], expected: 30, hint: 'General perplexity at most (25/3)·3 = 25: step 30 is within it (≤, not <).' },
    { name: 'no forgetting allowed', args: [curve, 1], expected: 0, hint: 'Factor 1: only points no worse than the first on general text, here the first itself.' },
    {
      name: 'a point back under budget counts, and ties go to the earlier step',
      args: [
        [
          { step: 0, domain: 50, general: 2 },
          { step: 5, domain: 9, general: 3 },
          { step: 10, domain: 9, general: 9 },
          { step: 15, domain: 9, general: 3.5 },
        ],
        2,
      ],
      expected: 5,
      hint: 'Within 4: steps 0, 5 and 15 (step 10 is not); 5 and 15 tie at 9, so the earlier, 5.',
    },
    { args: [curve, 0.5], throws: 'RangeError', hint: 'A factor below 1 asks general perplexity to improve: throw a RangeError.' },
    { args: [[], 2], throws: 'RangeError', hint: 'No points: nowhere to stop. Throw a RangeError.' },
  ],
};

export const LESSON_08_EXERCISES: readonly ExerciseSpec[] = [constantLabel, perplexity, stopping];
