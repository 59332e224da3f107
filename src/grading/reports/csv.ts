/** Scores of a class as CSV (RFC 4180): one row per learner and exercise, plus a total row per learner. */
import type { GradeReport } from '../result';

export function scoresCsv(reports: readonly GradeReport[]): string {
  const rows = [['learner', 'exercise', 'points', 'max_points']];
  for (const report of reports) {
    for (const e of report.exercises) rows.push([report.learner, e.id, String(e.points), String(e.maxPoints)]);
    rows.push([report.learner, 'total', String(report.points), String(report.maxPoints)]);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: quote it with a leading apostrophe.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
