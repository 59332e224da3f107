/**
 * Lesson 02's exercises, through their spec (src/grading/specs): the reference solutions pass
 * every public case, and the learner's stubs pass none and say which exercise to do. The
 * sandboxed grader runs the same spec in test/grading.
 */
import { check, findExercise } from '../../src/grading';
import * as solutionMask from '../../solutions/02-inside-a-gpt/causal-mask';
import * as solutionHead from '../../solutions/02-inside-a-gpt/attention-head';
import * as solutionCount from '../../solutions/02-inside-a-gpt/parameter-count';
import * as stubMask from '../../exercises/02-inside-a-gpt/causal-mask';
import * as stubHead from '../../exercises/02-inside-a-gpt/attention-head';
import * as stubCount from '../../exercises/02-inside-a-gpt/parameter-count';

const lesson02 = [
  ['2.1', solutionMask, stubMask],
  ['2.2', solutionHead, stubHead],
  ['2.3', solutionCount, stubCount],
] as const;

describe.each(lesson02)('Exercise %s', (id, solution, stub) => {
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
