/**
 * One source for exercises: `solutions/` holds each exercise file with its reference
 * solution between `// BEGIN SOLUTION` and `// END SOLUTION`; the learner's `exercises/`
 * file is the same with those regions removed (the line after the region, which throws
 * "Exercise 1.x: replace this line …", is what the learner replaces).
 *
 * `checkExercises` is what `llm-lab exercises check` runs: every solution scores full
 * marks, every stub scores zero (on the public cases and the given hidden ones), and
 * `exercises/` is what `solutions/` builds to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { learnerVersion } from '../lessons/solution';
import { ExercisesCheckError } from './errors';
import { gradeSubmission } from './grade';
import { withHiddenCases } from './hidden';
import type { GradeReport } from './result';
import type { ExerciseSpec } from './spec';
import { COURSE_EXERCISES } from './specs';
import { validateExercise } from './validate';

export interface ExercisesFolders {
  /** @default 'solutions' */
  readonly solutionsDir?: string;
  /** @default 'exercises' */
  readonly exercisesDir?: string;
  /** @default the course's specs */
  readonly exercises?: readonly ExerciseSpec[];
}

/** The learner's files, by path relative to the folders: what `solutions/` builds to. */
export function buildExerciseFiles(options: ExercisesFolders = {}): Map<string, string> {
  const solutionsDir = options.solutionsDir ?? 'solutions';
  const built = new Map<string, string>();
  for (const spec of options.exercises ?? COURSE_EXERCISES) {
    const file = path.join(solutionsDir, ...spec.file.split('/'));
    const source = fs.readFileSync(file, 'utf8');
    built.set(spec.file, learnerVersion(source, spec.id, { file, fenceLine: 0 }));
  }
  return built;
}

/** Writes `exercises/` from `solutions/`; returns the files that changed. */
export function writeExerciseFiles(options: ExercisesFolders = {}): string[] {
  const exercisesDir = options.exercisesDir ?? 'exercises';
  const written: string[] = [];
  for (const [file, text] of buildExerciseFiles(options)) {
    const where = path.join(exercisesDir, ...file.split('/'));
    if (fs.existsSync(where) && fs.readFileSync(where, 'utf8') === text) continue;
    fs.mkdirSync(path.dirname(where), { recursive: true });
    fs.writeFileSync(where, text);
    written.push(where);
  }
  return written;
}

export interface ExercisesCheckReport {
  readonly solutions: GradeReport;
  readonly stubs: GradeReport;
}

/** Throws `ExercisesCheckError` listing every problem; returns both reports when all is well. */
export async function checkExercises(options: ExercisesFolders & { readonly hiddenDir?: string } = {}): Promise<ExercisesCheckReport> {
  const solutionsDir = options.solutionsDir ?? 'solutions';
  const exercisesDir = options.exercisesDir ?? 'exercises';
  const base = options.exercises ?? COURSE_EXERCISES;
  base.forEach((spec) => validateExercise(spec, 'course spec'));
  const specs = options.hiddenDir ? withHiddenCases(base, options.hiddenDir) : base;
  const problems: string[] = [];
  for (const [file, text] of buildExerciseFiles({ ...options, exercises: base })) {
    const where = path.join(exercisesDir, ...file.split('/'));
    if (!fs.existsSync(where)) problems.push(`${where} is missing: run \`llm-lab exercises build\``);
    else if (fs.readFileSync(where, 'utf8') !== text) problems.push(`${where} differs from what ${path.join(solutionsDir, file)} builds to: run \`llm-lab exercises build\``);
  }
  const solutions = await gradeSubmission({ submission: solutionsDir, exercises: specs });
  const stubs = await gradeSubmission({ submission: exercisesDir, exercises: specs });
  for (const exercise of solutions.exercises) {
    for (const c of exercise.cases) if (!c.passed) problems.push(`solution of ${exercise.id} fails ${c.name}: ${c.message}`);
  }
  for (const exercise of stubs.exercises) {
    for (const c of exercise.cases) if (c.passed) problems.push(`the stub of ${exercise.id} passes ${c.name}: make the case ask for something the stub cannot give`);
  }
  if (problems.length > 0) throw new ExercisesCheckError(problems);
  return { solutions, stubs };
}
