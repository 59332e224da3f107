/**
 * Lesson 05's exercises, through their spec (src/grading/specs): the reference solutions pass
 * every public case, and the learner's stubs pass none and say which exercise to do. The
 * sandboxed grader runs the same spec in test/grading.
 */
import { check, findExercise } from '../../src/grading';
import * as solutionForward from '../../solutions/05-lora/lora-forward';
import * as solutionMerge from '../../solutions/05-lora/merge';
import * as solutionCount from '../../solutions/05-lora/adapter-parameters';
import * as stubForward from '../../exercises/05-lora/lora-forward';
import * as stubMerge from '../../exercises/05-lora/merge';
import * as stubCount from '../../exercises/05-lora/adapter-parameters';

const lesson05 = [
  ['5.1', solutionForward, stubForward],
  ['5.3', solutionMerge, stubMerge],
  ['5.2', solutionCount, stubCount],
] as const;

describe.each(lesson05)('Exercise %s', (id, solution, stub) => {
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
