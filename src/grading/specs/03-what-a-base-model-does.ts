/** Lesson 03's exercises: temperature and top-p, the two knobs of sampling. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const e = Math.E;
const temperature: ExerciseSpec = {
  id: '3.1',
  title: 'temperature',
  points: 10,
  file: '03-what-a-base-model-does/temperature.ts',
  exports: ['softmaxWithTemperature'],
  cases: [
    { args: [[1, 0], 1], expected: [e / (e + 1), 1 / (e + 1)], tolerance: 1e-9, hint: 'At T = 1 it is the plain softmax.' },
    { name: 'T = 0.5 doubles the logits', args: [[1, 0], 0.5], expected: [(e * e) / (e * e + 1), 1 / (e * e + 1)], tolerance: 1e-9, hint: 'Divide every logit by T before the softmax.' },
    { name: 'a large T flattens towards uniform', args: [[3, 0, -3], 1000], expected: [1 / 3, 1 / 3, 1 / 3], tolerance: 0.01, hint: 'logits / 1000 are all near 0: nearly uniform.' },
    { name: 'a tiny T picks the largest, without overflow', args: [[1, 0.5], 0.0001], expected: [1, 0], tolerance: 1e-9, hint: '1 / 0.0001 = 10,000 and exp(10000) is Infinity: subtract the largest scaled logit first.' },
    { args: [[1, 2], 0], throws: 'RangeError', hint: 'T = 0 would divide by zero (greedy decoding is the limit T → 0, not T = 0): a RangeError.' },
    { args: [[1, 2], -1], throws: 'RangeError', hint: 'A negative T flips the order of the tokens: a RangeError.' },
  ],
};

const topP: ExerciseSpec = {
  id: '3.2',
  title: 'top-p filtering',
  points: 10,
  file: '03-what-a-base-model-does/top-p.ts',
  exports: ['topPFilter'],
  cases: [
    { args: [[0.2, 0.5, 0.3], 0.6], expected: [0, 0.625, 0.375], tolerance: 1e-9, hint: '0.5 alone is below 0.6; 0.5 + 0.3 reaches it: keep those two and divide by 0.8.' },
    { name: 'the most likely token alone can be enough', args: [[0.1, 0.7, 0.2], 0.5], expected: [0, 1, 0], tolerance: 1e-9, hint: 'The smallest set: 0.7 ≥ 0.5 already.' },
    { name: 'ties go to the lower index', args: [[0.4, 0.3, 0.3], 0.5], expected: [0.4 / 0.7, 0.3 / 0.7, 0], tolerance: 1e-9, hint: 'Tokens 1 and 2 tie at 0.3: take the lower index first, and stop once the total reaches p.' },
    { name: 'p = 1 keeps every token', args: [[0.25, 0.25, 0.5], 1], expected: [0.25, 0.25, 0.5], tolerance: 1e-9, hint: 'With p = 1 nothing is cut.' },
    { args: [[0.5, 0.5], 0], throws: 'RangeError', hint: 'p = 0 would keep nothing: p must be in (0, 1].' },
    { args: [[0.5, 0.5], 1.2], throws: 'RangeError', hint: 'Probabilities never add up past 1: p must be in (0, 1].' },
  ],
};

export const LESSON_03_EXERCISES: readonly ExerciseSpec[] = [temperature, topP];
