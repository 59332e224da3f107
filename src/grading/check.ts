/**
 * `check("1.2")` in a notebook (or `llm-lab check 1.2`): the public cases of one exercise,
 * a table of what passed and what failed with a hint for each failure, and the score.
 *
 *   await check('1.1', softmax);       // the function defined in a notebook cell, run here
 *   await check('1.1', { softmax: softmax });  // the same, by name (an exercise with several functions)
 *   await check('1.1');                // exercises/01-next-token-prediction/softmax.ts, sandboxed
 *
 *   await check('10.1', quiz);         // a quiz: the object of answers from a cell (or a function returning it)
 *   await check('10.1', { q1: 'b', q2: ['a', 'c'] });  // the same, the answers written in place
 *
 * In a notebook, write `{ softmax: softmax }` rather than `{ softmax }`: tslab does not
 * resolve a shorthand property that names a function declared in an earlier cell
 * (ReferenceError), and a learner should not meet that on their first check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { showTable } from '../notebook/table';
import { SubmissionNotFoundError } from './errors';
import { gradeSubmission } from './grade';
import { callInProcess, readInProcess } from './in-process';
import { judge } from './judge';
import type { ExerciseResult } from './result';
import type { ExerciseSpec } from './spec';
import { scoreExercise } from './scoring';
import { findExercise } from './specs';

export interface CheckOptions {
  /** The folder with `exercises/` (or laid out like it). @default the nearest `exercises/` from the working directory up */
  readonly exercisesDir?: string;
  /** Show the table. @default true */
  readonly show?: boolean;
  /** The specs to find `id` in. @default the course's */
  readonly exercises?: readonly ExerciseSpec[];
}

export async function check(
  id: string,
  yours?: Readonly<Record<string, unknown>> | ((...args: never[]) => unknown),
  options: CheckOptions = {},
): Promise<ExerciseResult> {
  const spec = findExercise(id, options.exercises);
  let result: ExerciseResult;
  if (yours) {
    const given = typeof yours === 'function' ? onlyExport(id, spec.exports, yours) : quizAnswersOrByName(spec, yours);
    const verdicts = [];
    for (const c of spec.cases) {
      const name = c.call ?? spec.exports[0]!;
      const outcome = c.question ? await readInProcess(given[name], c.args, name) : await callInProcess(given[name], c.args, name);
      verdicts.push({ ...judge(c, outcome), timeMs: outcome.timeMs });
    }
    result = scoreExercise(spec, verdicts);
  } else {
    const submission = options.exercisesDir ?? findExercisesDir(process.cwd());
    const report = await gradeSubmission({ submission, exercises: [spec] });
    result = report.exercises[0]!;
  }
  if (options.show ?? true) showCheck(result);
  return result;
}

/** A lone function stands for the exercise's one export; an exercise with several needs them by name. */
export function onlyExport(id: string, exports: readonly string[], fn: unknown): Record<string, unknown> {
  if (exports.length !== 1) {
    const byName = exports.map((name) => `${name}: ${name}`).join(', ');
    throw new TypeError(`Exercise ${id} checks ${exports.length} functions (${exports.join(', ')}): pass them by name, check('${id}', { ${byName} }).`);
  }
  return { [exports[0]!]: fn };
}

/**
 * A quiz with one export takes its answers object itself (`check('10.1', quiz)` with
 * `const quiz = { q1: 'b', … }`); an object holding the export's name is by name, as for functions.
 */
function quizAnswersOrByName(spec: ExerciseSpec, yours: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const only = spec.exports.length === 1 ? spec.exports[0]! : undefined;
  const isQuiz = spec.cases.some((c) => c.question !== undefined);
  return isQuiz && only !== undefined && !Object.hasOwn(yours, only) ? { [only]: yours } : yours;
}

/** The table `check` shows. */
export function showCheck(result: ExerciseResult): void {
  const rows = result.cases.map((c) => ({
    case: c.name,
    result: c.passed ? '✓ passed' : '✗ failed',
    'what happened': c.passed ? '' : c.message,
    hint: c.passed ? '' : (c.hint ?? ''),
  }));
  const passed = result.cases.filter((c) => c.passed).length;
  const title = `Exercise ${result.id} — ${result.title}: ${passed}/${result.cases.length} cases, ${result.points}/${result.maxPoints} points`;
  showTable(rows, { title, columns: ['case', 'result', 'what happened', 'hint'] });
}

function findExercisesDir(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'exercises'))) return path.join(dir, 'exercises');
    if (path.dirname(dir) === dir) break;
  }
  throw new SubmissionNotFoundError(from, 'no exercises/ folder here or above: run check from the course folder, or pass { exercisesDir }');
}
