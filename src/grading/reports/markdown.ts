/** The report as Markdown, for `$GITHUB_STEP_SUMMARY` or a pull request comment. */
import type { GradeReport } from '../result';

export function markdownReport(report: GradeReport): string {
  const lines = [
    `## Grade: ${report.learner} — ${report.points} / ${report.maxPoints} points (${report.percent}%)`,
    '',
    '| exercise | points | cases passed |',
    '| --- | ---: | ---: |',
    ...report.exercises.map((e) => `| ${e.id} ${cell(e.title)} | ${e.points} / ${e.maxPoints} | ${e.cases.filter((c) => c.passed).length} / ${e.cases.length} |`),
  ];
  const failures = report.exercises.flatMap((e) => e.cases.filter((c) => !c.passed).map((c) => ({ exercise: e, testCase: c })));
  if (failures.length > 0) {
    lines.push('', '### What failed', '', '| exercise | case | what happened | hint |', '| --- | --- | --- | --- |');
    for (const { exercise, testCase } of failures) {
      lines.push(`| ${exercise.id} | ${cell(testCase.name)} | ${cell(testCase.message)} | ${cell(testCase.hint ?? '')} |`);
    }
  }
  lines.push('', `Graded in ${(report.timeMs / 1000).toFixed(1)} s.`, '');
  return lines.join('\n');
}

/** A class: one row per learner. */
export function markdownClassSummary(reports: readonly GradeReport[]): string {
  const ids = [...new Set(reports.flatMap((r) => r.exercises.map((e) => e.id)))];
  return [
    `## Class grades (${reports.length} submissions)`,
    '',
    `| learner | total | ${ids.join(' | ')} |`,
    `| --- | ---: | ${ids.map(() => '---:').join(' | ')} |`,
    ...reports.map((r) => `| ${cell(r.learner)} | ${r.points} / ${r.maxPoints} | ${ids.map((id) => r.exercises.find((e) => e.id === id)?.points ?? '').join(' | ')} |`),
    '',
  ].join('\n');
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).slice(0, 300);
}
