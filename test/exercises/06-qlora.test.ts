/**
 * Lesson 06's exercises, through their spec (src/grading/specs): the reference solutions pass
 * every public case, and the learner's stubs pass none and say which exercise to do. The
 * sandboxed grader runs the same spec in test/grading.
 */
import { check, findExercise } from '../../src/grading';
import * as solutionInt8 from '../../solutions/06-qlora/int8';
import * as solutionNF4 from '../../solutions/06-qlora/nf4';
import * as stubInt8 from '../../exercises/06-qlora/int8';
import * as stubNF4 from '../../exercises/06-qlora/nf4';

const lesson06 = [
  ['6.1', solutionInt8, stubInt8],
  ['6.2', solutionNF4, stubNF4],
] as const;

describe.each(lesson06)('Exercise %s', (id, solution, stub) => {
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
