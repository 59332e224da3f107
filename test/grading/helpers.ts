/** Submissions for the grading tests: the solutions with some files replaced by fixtures. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '..', '..');
export const solutionsDir = path.join(root, 'solutions');
export const stubsDir = path.join(root, 'exercises');
export const exampleHiddenDir = path.join(root, 'grading', 'example-hidden');
export const fixturesDir = path.join(root, 'test', 'fixtures', 'grading');

/** Limits that keep the hostile fixtures quick. */
export const FAST_LIMITS = { caseTimeoutMs: 400, loadTimeoutMs: 2000, memoryMb: 96 } as const;

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `llm-lab-test-${prefix}-`));
}

/** A learner repository (`<dir>/exercises/…`) holding the solutions, with the fixture's files on top. */
export function submissionFrom(fixture: string, into = tempDir('submission')): string {
  const exercises = path.join(into, 'exercises');
  fs.cpSync(solutionsDir, exercises, { recursive: true });
  fs.cpSync(path.join(fixturesDir, fixture), exercises, { recursive: true });
  return into;
}

/** Points per exercise id. */
export function pointsById(report: { exercises: readonly { id: string; points: number }[] }): Record<string, number> {
  return Object.fromEntries(report.exercises.map((e) => [e.id, e.points]));
}
