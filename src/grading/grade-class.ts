/**
 * Grading a class: many submissions, `jobs` at a time (each runs its cases in child
 * processes, so the cores are used), one report folder per learner, and a CSV of scores.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gradeSubmission, type GradeOptions } from './grade';
import type { GradeReport } from './result';
import { markdownClassSummary, scoresCsv, writeReports } from './reports';

export interface GradeClassOptions extends Omit<GradeOptions, 'submission' | 'learner'> {
  readonly submissions: readonly string[];
  /** Reports go to `outDir/<learner>/`, the CSV and the class summary to `outDir/`. */
  readonly outDir: string;
  /** Submissions graded at once. @default the number of CPUs */
  readonly jobs?: number;
  /** Called as each submission is done. */
  readonly onGraded?: (report: GradeReport, done: number, total: number) => void;
}

export const SCORES_CSV = 'scores.csv';
export const CLASS_SUMMARY = 'summary.md';

export async function gradeClass(options: GradeClassOptions): Promise<GradeReport[]> {
  const { submissions, outDir } = options;
  const learners = uniqueLearnerNames(submissions);
  const jobs = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), submissions.length));
  const reports = new Array<GradeReport>(submissions.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < submissions.length; i = next++) {
      const report = await gradeSubmission({ ...options, submission: submissions[i]!, learner: learners[i]! });
      await writeReports(report, path.join(outDir, learners[i]!));
      reports[i] = report;
      options.onGraded?.(report, ++done, submissions.length);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  fs.writeFileSync(path.join(outDir, SCORES_CSV), scoresCsv(reports));
  fs.writeFileSync(path.join(outDir, CLASS_SUMMARY), markdownClassSummary(reports));
  return reports;
}

/** Folder or notebook names as learner names; a repeated name gets -2, -3… */
function uniqueLearnerNames(submissions: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return submissions.map((s) => {
    const cleaned = path.basename(path.resolve(s)).replace(/\.ipynb$/, '').replace(/[^\w.-]+/g, '_');
    const base = /^\.*$/.test(cleaned) ? 'submission' : cleaned;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}
