/**
 * Lesson 01's exercises, through their spec (src/grading/specs): the reference solutions pass
 * every public case, and the learner's stubs pass none and say which exercise to do. The
 * sandboxed grader runs the same spec in test/grading.
 */
import { check, findExercise } from '../../src/grading';
import * as solutionSoftmax from '../../solutions/01-next-token-prediction/softmax';
import * as solutionCrossEntropy from '../../solutions/01-next-token-prediction/cross-entropy';
import * as solutionBigrams from '../../solutions/01-next-token-prediction/bigrams';
import * as solutionKl from '../../solutions/01-next-token-prediction/kl-divergence';
import * as stubSoftmax from '../../exercises/01-next-token-prediction/softmax';
import * as stubCrossEntropy from '../../exercises/01-next-token-prediction/cross-entropy';
import * as stubBigrams from '../../exercises/01-next-token-prediction/bigrams';
import * as stubKl from '../../exercises/01-next-token-prediction/kl-divergence';

const lesson01 = [
  ['1.1', solutionSoftmax, stubSoftmax],
  ['1.2', solutionCrossEntropy, stubCrossEntropy],
  ['1.3', solutionBigrams, stubBigrams],
  ['1.4', solutionKl, stubKl],
] as const;

describe.each(lesson01)('Exercise %s', (id, solution, stub) => {
  it('the solution passes every public case', async () => {
    const result = await check(id, solution, { show: false });
    expect(result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`)).toEqual([]);
    expect(result.points).toBe(findExercise(id).points);
  });

  it('the stub passes none, and says what to do', async () => {
    const result = await check(id, stub, { show: false });
    expect(result.points).toBe(0);
    for (const c of result.cases) expect(c.message).toMatch(new RegExp(`^not done yet: Exercise ${id.replace('.', '\\.')}: replace this line`));
  });
});
