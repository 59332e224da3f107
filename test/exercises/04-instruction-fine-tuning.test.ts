/**
 * Lesson 04's exercises, through their spec (src/grading/specs): the reference solutions pass
 * every public case, and the learner's stubs pass none and say which exercise to do. The
 * sandboxed grader runs the same spec in test/grading.
 */
import { check, findExercise } from '../../src/grading';
import * as solutionMask from '../../solutions/04-instruction-fine-tuning/loss-mask';
import * as solutionChange from '../../solutions/04-instruction-fine-tuning/relative-change';
import * as stubMask from '../../exercises/04-instruction-fine-tuning/loss-mask';
import * as stubChange from '../../exercises/04-instruction-fine-tuning/relative-change';

const lesson04 = [
  ['4.1', solutionMask, stubMask],
  ['4.2', solutionChange, stubChange],
] as const;

describe.each(lesson04)('Exercise %s', (id, solution, stub) => {
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
