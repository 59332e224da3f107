/**
 * Hostile submissions: each costs its own cases, never the grader, never the other
 * exercises, and never earns a point it did not earn.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COURSE_EXERCISES, type SandboxLimits, gradeSubmission, withHiddenCases } from '../../src/grading';
import { FAST_LIMITS, exampleHiddenDir, pointsById, submissionFrom } from './helpers';

const exercises = withHiddenCases(COURSE_EXERCISES, exampleHiddenDir);
/** Full marks on every exercise: the fixtures replace one file of the solutions. */
const full = Object.fromEntries(COURSE_EXERCISES.map((e) => [e.id, e.points]));

async function grade(fixture: string, limits: Partial<SandboxLimits> = {}) {
  const submission = submissionFrom(path.join('hostile', fixture));
  try {
    return await gradeSubmission({ submission, exercises, limits: { ...FAST_LIMITS, ...limits } });
  } finally {
    fs.rmSync(submission, { recursive: true, force: true });
  }
}

const messagesOf = (report: Awaited<ReturnType<typeof grade>>, id: string) =>
  report.exercises.find((e) => e.id === id)!.cases.map((c) => c.message);

describe('hostile submissions', () => {
  it.each([
    ['infinite-loop', '1.1', /took longer than 0\.4 s/, {}],
    ['heap-bomb', '1.1', /memory/, { caseTimeoutMs: 5000 }],
    ['buffer-bomb', '1.2', /memory/, { caseTimeoutMs: 5000 }],
    ['exit-at-import', '1.3', /ended its process \(exit code 0\) while its file was loading/, {}],
    ['exit-in-call', '1.1', /ended its process \(exit code 0\) during this case: do not call process\.exit/, {}],
    ['print-forever', '1.1', /printed more than 4 MB/, { caseTimeoutMs: 5000 }],
    ['compile-error', '1.2', /does not compile: .*cross-entropy\.ts:4:9: error TS2322/, {}],
    ['forge-channel', '1.1', /grader's channel|the file threw|expected/, {}],
    // (every row has its limits: jest would take a missing last argument for the `done` callback)
  ] as [string, string, RegExp, Partial<SandboxLimits>][])('%s: zero for exercise %s, full marks for the others', async (fixture, id, message, limits) => {
    const report = await grade(fixture, limits);
    expect(pointsById(report)).toEqual({ ...full, [id]: 0 });
    expect(messagesOf(report, id)[0]).toMatch(message);
  });

  it('read-outside: cannot read outside its own folder (it would answer right if it could)', async () => {
    const report = await grade('read-outside');
    expect(pointsById(report)).toEqual({ ...full, '1.1': 0 });
  });

  it('write-report: cannot write anywhere (it would answer right if it could)', async () => {
    const marker = path.join(os.tmpdir(), 'llm-lab-hostile-write-marker');
    fs.rmSync(marker, { force: true });
    const report = await grade('write-report');
    expect(pointsById(report)).toEqual({ ...full, '1.1': 0 });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('monkey-patch: patching JSON, Math and prototypes changes only its own answers', async () => {
    const report = await grade('monkey-patch');
    expect(pointsById(report)).toEqual({ ...full, '1.1': 0 });
  });

  it('print-megabytes: printing 2 MB a case (under the limit) costs nothing', async () => {
    const report = await grade('print-megabytes');
    expect(pointsById(report)).toEqual(full);
  });

  it('throw-non-error: a thrown object is not a RangeError', async () => {
    const report = await grade('throw-non-error');
    const cases = report.exercises.find((e) => e.id === '1.2')!.cases;
    const failed = cases.filter((c) => !c.passed);
    expect(failed).toHaveLength(3); // two public RangeError cases, one hidden
    expect(failed[0]!.message).toMatch(/which is not an Error/);
  });

  it('a symbolic link to the hidden tests is not read', async () => {
    const submission = submissionFrom(path.join('wrong', 'only-softmax'));
    const link = path.join(submission, 'exercises', '01-next-token-prediction', 'cross-entropy.ts');
    fs.rmSync(link);
    fs.symlinkSync(path.join(exampleHiddenDir, '01-next-token-prediction.json'), link);
    try {
      const report = await gradeSubmission({ submission, exercises, limits: FAST_LIMITS });
      expect(report.exercises[1]!.problem).toMatch(/symbolic link/);
      expect(JSON.stringify(report)).not.toContain('2.4076059644443806'); // an expected value in the linked file
    } finally {
      fs.rmSync(submission, { recursive: true, force: true });
    }
  });

  it('the whole submission has a time budget', async () => {
    const submission = submissionFrom(path.join('hostile', 'infinite-loop'));
    try {
      const report = await gradeSubmission({ submission, limits: { ...FAST_LIMITS, submissionTimeoutMs: 900 } });
      const messages = report.exercises[0]!.cases.map((c) => c.message);
      expect(messages.some((m) => /whole time budget/.test(m))).toBe(true);
    } finally {
      fs.rmSync(submission, { recursive: true, force: true });
    }
  });
});
