/** The report files of one submission: grade.json, junit.xml, summary.md. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GradeReport } from '../result';
import { writeJUnitReport } from './junit';
import { markdownReport } from './markdown';

export const REPORT_FILES = { json: 'grade.json', junit: 'junit.xml', markdown: 'summary.md' } as const;

export async function writeReports(report: GradeReport, outDir: string): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, REPORT_FILES.markdown), markdownReport(report));
  await writeJUnitReport(report, path.join(outDir, REPORT_FILES.junit));
}
