/** Solutions get full marks, stubs zero, wrong submissions the partial scores they earn. */
import { COURSE_EXERCISES, gradeSubmission, withHiddenCases } from '../../src/grading';
import { exampleHiddenDir, fixturesDir, pointsById, solutionsDir, stubsDir } from './helpers';
import * as path from 'node:path';

const withHidden = withHiddenCases(COURSE_EXERCISES, exampleHiddenDir);

describe('grading the course', () => {
  it('gives the solutions full marks, hidden cases included', async () => {
    const report = await gradeSubmission({ submission: solutionsDir, exercises: withHidden });
    expect(report.points).toBe(report.maxPoints);
    expect(report.percent).toBe(100);
    expect(report.exercises.flatMap((e) => e.cases).some((c) => c.visibility === 'hidden')).toBe(true);
  });

  it('gives the stubs zero, and says they are not done yet', async () => {
    const report = await gradeSubmission({ submission: stubsDir, exercises: withHidden });
    expect(report.points).toBe(0);
    const publicCase = report.exercises[0]!.cases[0]!;
    expect(publicCase.message).toMatch(/^not done yet: Exercise 1\.1: replace this line/);
    expect(publicCase.hint).toBeTruthy();
  });

  it.each([
    // naive: softmax fails 1 of 5 cases; cross-entropy 2 of 6 (no RangeError); bigrams 2 of 4 (0/0)
    ['naive', { '1.1': 8, '1.2': 6.67, '1.3': 5 }],
    // only-softmax: the other files are missing
    ['only-softmax', { '1.1': 10, '1.2': 0, '1.3': 0 }],
  ])('gives the wrong submission %s its partial score (lesson 01 only: the other lessons\' files are missing)', async (fixture, expected) => {
    const report = await gradeSubmission({ submission: path.join(fixturesDir, 'wrong', fixture) });
    const points = pointsById(report);
    const lesson01 = Object.fromEntries(Object.entries(points).filter(([id]) => id in expected));
    expect(lesson01).toEqual(expected);
    expect(Object.entries(points).filter(([id]) => !(id in expected) && points[id] !== 0)).toEqual([]);
  });

  it('says which file is missing', async () => {
    const report = await gradeSubmission({ submission: path.join(fixturesDir, 'wrong', 'only-softmax') });
    expect(report.exercises[1]!.problem).toMatch(/cross-entropy\.ts: missing/);
  });

  it('shows a hidden case without its inputs or expected value', async () => {
    const report = await gradeSubmission({ submission: path.join(fixturesDir, 'wrong', 'naive'), exercises: withHidden });
    // The exercises whose file is there: a missing file is reported by its name, which is no secret.
    const hidden = report.exercises.filter((e) => e.problem === undefined).flatMap((e) => e.cases).filter((c) => c.visibility === 'hidden');
    expect(hidden.map((c) => c.name)).toContain('hidden case 1');
    const failed = hidden.filter((c) => !c.passed);
    expect(failed.length).toBeGreaterThan(0); // crossEntropy([0,0], -1) must throw a RangeError
    for (const c of failed) {
      expect(c.message).toMatch(/^hidden case failed/);
      expect(c.message).not.toMatch(/\d/);
    }
  });
});
