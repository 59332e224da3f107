/**
 * What every lesson's exercise test checks, through the exercise's spec (src/grading/specs):
 * the reference solution passes every public case for full marks, and the learner's stub
 * passes none and says which exercise to do. The sandboxed grader runs the same specs in
 * test/grading.
 */
import { check, findExercise } from '../../src/grading';

/** One exercise: its id, the solution module and the stub module. */
export type ExerciseModules = readonly [id: string, solution: Record<string, unknown>, stub: Record<string, unknown>];

export function describeSolutionsAndStubs(exercises: readonly ExerciseModules[]): void {
  describe.each(exercises)('Exercise %s', (id, solution, stub) => {
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
}
