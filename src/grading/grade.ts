/**
 * Grading one submission: read its files, compile them, run every case of every exercise
 * in sandboxed children, judge each answer here, and add up the points. Grading "runs"
 * whatever the submission does; only a broken spec or an unreadable submission path throws.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileSubmission } from './compile';
import { judge } from './judge';
import type { CallOutcome } from './outcome';
import { GRADE_SCHEMA_VERSION, type GradeReport, roundPoints } from './result';
import { CHILD_RUNNER_SOURCE, type SandboxLimits, resolveLimits, runCalls } from './sandbox';
import { byExerciseId, scoreExercise } from './scoring';
import type { ExerciseSpec } from './spec';
import { readSubmission } from './submission';
import { COURSE_EXERCISES } from './specs';

export interface GradeOptions {
  /** A folder (a repository with `exercises/`, or laid out like it) or a notebook (`.ipynb`). */
  readonly submission: string;
  /** The exercises to grade, hidden cases included. @default the course's public specs */
  readonly exercises?: readonly ExerciseSpec[];
  /** Only these exercise ids. @default all */
  readonly only?: readonly string[];
  /** Time, memory and output limits. @default DEFAULT_LIMITS */
  readonly limits?: Partial<SandboxLimits>;
  /** The learner's name in reports. @default the folder's or notebook's name */
  readonly learner?: string;
}

const RUNNER_FILE = 'llm-lab-grader.cjs';

/**
 * A notebook is one lesson: its exercises are graded, not the whole course's (which would
 * report every other lesson's as missing). The lesson is the one the notebook was built
 * from (its `llm_lab.source` metadata, `lessons/02-inside-a-gpt.md` → "02"), else the
 * two digits its file name starts with; a notebook with neither is graded on every exercise.
 */
export function notebookLesson(submission: string): string | undefined {
  if (!submission.endsWith('.ipynb')) return undefined;
  let source: unknown;
  try {
    source = (JSON.parse(fs.readFileSync(submission, 'utf8')) as { metadata?: { llm_lab?: { source?: unknown } } }).metadata?.llm_lab?.source;
  } catch {
    return undefined; // unreadable: readSubmission says why
  }
  const fromSource = typeof source === 'string' ? /(?:^|\/)(\d\d)-[^/]*\.md$/.exec(source)?.[1] : undefined;
  return fromSource ?? /^(\d\d)-/.exec(path.basename(submission))?.[1];
}

export async function gradeSubmission(options: GradeOptions): Promise<GradeReport> {
  const started = Date.now();
  const limits = resolveLimits(options.limits);
  const lesson = options.only ? undefined : notebookLesson(options.submission);
  const specs = (options.exercises ?? COURSE_EXERCISES)
    .filter((s) => !options.only || options.only.includes(s.id))
    .filter((s) => lesson === undefined || s.file.startsWith(`${lesson}-`))
    .slice()
    .sort(byExerciseId);
  const submission = readSubmission(options.submission, specs);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-grade-'));
  try {
    // The child may read `sandbox/` only: the compiled files and its runner; never the specs.
    const sandboxDir = path.join(fs.realpathSync(workDir), 'sandbox');
    fs.mkdirSync(sandboxDir);
    const runner = path.join(sandboxDir, RUNNER_FILE);
    fs.writeFileSync(runner, CHILD_RUNNER_SOURCE);
    const compiled = await compileSubmission([...submission.files.values()], workDir, sandboxDir);
    const deadline = started + limits.submissionTimeoutMs;
    const exercises = [];
    for (const spec of specs) {
      const problem = submission.unreadable.get(spec.file) ?? compiled.errors.get(spec.file);
      const moduleFile = compiled.modules.get(spec.file);
      let outcomes: CallOutcome[];
      if (problem !== undefined || moduleFile === undefined) {
        const message = problem ?? 'not compiled';
        outcomes = spec.cases.map(() => ({ kind: 'failed', message, timeMs: 0 }));
      } else {
        const calls = spec.cases.map((c) => ({
          name: c.call ?? spec.exports[0]!,
          args: c.args,
          ...(c.question ? { read: true } : {}),
          ...(spec.caseTimeoutMs ? { timeoutMs: spec.caseTimeoutMs } : {}),
        }));
        outcomes = await runCalls({ readableDir: sandboxDir, runner, moduleFile, calls, limits, deadline });
      }
      const verdicts = spec.cases.map((c, i) => ({ ...judge(c, outcomes[i]!), timeMs: outcomes[i]!.timeMs }));
      exercises.push(scoreExercise(spec, verdicts, problem));
    }
    const points = roundPoints(exercises.reduce((sum, e) => sum + e.points, 0));
    const maxPoints = roundPoints(exercises.reduce((sum, e) => sum + e.maxPoints, 0));
    return {
      schemaVersion: GRADE_SCHEMA_VERSION,
      learner: options.learner ?? submission.learner,
      submission: options.submission,
      points,
      maxPoints,
      percent: maxPoints > 0 ? roundPoints((points / maxPoints) * 100) : 0,
      exercises,
      gradedAt: new Date(started).toISOString(),
      timeMs: Date.now() - started,
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
