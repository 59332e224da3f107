/**
 * Lesson 03's exercises, through their spec (src/grading/specs): the reference solutions pass
 * every public case, and the learner's stubs pass none and say which exercise to do. The
 * sandboxed grader runs the same spec in test/grading.
 */
import { check, findExercise } from '../../src/grading';
import * as solutionTemperature from '../../solutions/03-what-a-base-model-does/temperature';
import * as solutionTopP from '../../solutions/03-what-a-base-model-does/top-p';
import * as stubTemperature from '../../exercises/03-what-a-base-model-does/temperature';
import * as stubTopP from '../../exercises/03-what-a-base-model-does/top-p';

const lesson03 = [
  ['3.1', solutionTemperature, stubTemperature],
  ['3.2', solutionTopP, stubTopP],
] as const;

describe.each(lesson03)('Exercise %s', (id, solution, stub) => {
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
