/**
 * Hidden tests: a folder the instructor keeps out of the learners' repository. Each file
 * (`.json`, or `.js`/`.cjs` for cases with a `property` function) adds cases to exercises:
 *
 *   { "exercises": [ { "id": "1.1", "cases": [ { "args": [[1, 2]], "expected": [0.27, 0.73], "tolerance": 0.01, "hint": "…" } ] } ] }
 *
 * Hidden cases are graded like public ones, and reported without their inputs or expected values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidSpecError } from './errors';
import type { ExerciseSpec, GradingCase } from './spec';
import { validateCase } from './validate';

interface HiddenFile {
  readonly exercises: readonly { readonly id: string; readonly cases: readonly GradingCase[] }[];
}

/** The specs with every hidden case of `dir` added (marked hidden). Throws `InvalidSpecError` naming the file. */
export function withHiddenCases(specs: readonly ExerciseSpec[], dir: string): ExerciseSpec[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new InvalidSpecError(dir, 'the hidden tests folder does not exist (pass --tests <folder of .json or .js files>)');
  }
  const added = new Map<string, GradingCase[]>();
  const files = fs.readdirSync(dir).filter((f) => /\.(?:json|c?js)$/.test(f)).sort();
  if (files.length === 0) throw new InvalidSpecError(dir, 'no .json or .js files of hidden cases in this folder');
  for (const name of files) {
    const file = path.resolve(dir, name);
    const content = loadHiddenFile(file);
    for (const entry of content.exercises) {
      const spec = specs.find((s) => s.id === entry?.id);
      if (!spec) throw new InvalidSpecError(file, `exercise ${JSON.stringify(entry?.id)} is not in the course (${specs.map((s) => s.id).join(', ')})`);
      if (!Array.isArray(entry.cases)) throw new InvalidSpecError(file, `exercise ${entry.id}: cases must be an array`);
      entry.cases.forEach((c, i) => validateCase(c, spec, `${file}, exercise ${entry.id}, case ${i + 1}`));
      const list = added.get(spec.id) ?? [];
      list.push(...entry.cases.map((c): GradingCase => ({ ...c, visibility: 'hidden' })));
      added.set(spec.id, list);
    }
  }
  return specs.map((spec) => ({ ...spec, cases: [...spec.cases, ...(added.get(spec.id) ?? [])] }));
}

function loadHiddenFile(file: string): HiddenFile {
  let content: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the instructor's own spec modules, loaded by path at run time
    content = file.endsWith('.json') ? JSON.parse(fs.readFileSync(file, 'utf8')) : require(file);
  } catch (error) {
    throw new InvalidSpecError(file, `cannot be read: ${(error as Error).message}`);
  }
  const exercises = (content as Partial<HiddenFile> | null)?.exercises;
  if (!Array.isArray(exercises)) throw new InvalidSpecError(file, 'expected { "exercises": [ { "id": "1.1", "cases": [ … ] } ] }');
  return { exercises };
}
