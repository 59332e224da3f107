/**
 * The report as JUnit XML, written by `jest-junit` (the reporter jest projects use) from
 * results shaped as jest gives them: one test suite per exercise, one test per case.
 */
import * as path from 'node:path';
import { GraderDependencyMissingError } from '../errors';
import type { GradeReport } from '../result';

interface JestJUnitReporter {
  onRunComplete(contexts: unknown, results: unknown): Promise<void>;
}
type JestJUnitConstructor = new (globalConfig: { rootDir: string }, options: Record<string, string>) => JestJUnitReporter;

export async function writeJUnitReport(report: GradeReport, file: string): Promise<void> {
  let JestJUnit: JestJUnitConstructor;
  try {
    JestJUnit = (await import('jest-junit')).default as unknown as JestJUnitConstructor;
  } catch {
    throw new GraderDependencyMissingError('jest-junit', 'write JUnit XML');
  }
  const started = Date.parse(report.gradedAt);
  const testResults = report.exercises.map((e) => {
    const failing = e.cases.filter((c) => !c.passed).length;
    return {
      testFilePath: path.resolve(e.file),
      displayName: `${e.id} ${e.title}`,
      numFailingTests: failing,
      numPassingTests: e.cases.length - failing,
      numPendingTests: 0,
      perfStats: { start: started, end: started + e.cases.reduce((sum, c) => sum + c.timeMs, 0) },
      testExecError: null,
      testResults: e.cases.map((c) => ({
        ancestorTitles: [`${report.learner} › Exercise ${e.id} — ${e.title}`],
        title: `${c.name} (${c.points}/${c.maxPoints} points)`,
        duration: c.timeMs,
        status: c.passed ? 'passed' : 'failed',
        failureMessages: c.passed ? [] : [`${c.message}${c.hint ? `\nHint: ${c.hint}` : ''}`],
        failureDetails: [],
        numPassingAsserts: c.passed ? 1 : 0,
      })),
    };
  });
  const results = {
    startTime: started,
    numTotalTests: testResults.reduce((sum, s) => sum + s.testResults.length, 0),
    testResults,
  };
  const reporter = new JestJUnit(
    { rootDir: process.cwd() },
    {
      suiteName: `llm-lab grade: ${report.learner}`,
      outputDirectory: path.dirname(path.resolve(file)),
      outputName: path.basename(file),
      suiteNameTemplate: '{title}',
      classNameTemplate: '{classname}',
      titleTemplate: '{title}',
      reportTestSuiteErrors: 'true',
    },
  );
  await reporter.onRunComplete(new Set(), results);
}
