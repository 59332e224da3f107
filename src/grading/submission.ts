/**
 * A submission as source files: a learner's repository (its `exercises/` folder), a folder
 * laid out like `exercises/` (e.g. `solutions/`), or a notebook whose exercise cells are
 * tagged (the lesson builder's `llm_lab.exercise` metadata) or start with `// Exercise 1.2`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SubmissionNotFoundError } from './errors';
import type { ExerciseSpec } from './spec';

/** One exercise file of a submission. */
export interface SubmissionFile {
  /** As in the spec: `01-next-token-prediction/softmax.ts`. */
  readonly file: string;
  readonly code: string;
  /** Where line `line` of `code` is, as the learner would look for it. */
  readonly locate: (line: number) => string;
}

export interface Submission {
  /** The learner: the folder's or notebook's name. */
  readonly learner: string;
  readonly path: string;
  /** By spec file; an exercise whose file is absent is missing here. */
  readonly files: ReadonlyMap<string, SubmissionFile>;
  /** Why a file the specs name was not read (missing, a link, too large), by spec file. */
  readonly unreadable: ReadonlyMap<string, string>;
}

const MAX_SOURCE_BYTES = 1024 * 1024;
const MARKER = /^\s*\/\/\s*Exercise\s+(\d+\.\d+)\b/i;

export function readSubmission(submission: string, specs: readonly ExerciseSpec[]): Submission {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(submission);
  } catch {
    throw new SubmissionNotFoundError(submission, 'no such file or folder');
  }
  if (stat.isDirectory()) return readFolder(submission, specs);
  if (submission.endsWith('.ipynb')) return readNotebook(submission, specs);
  throw new SubmissionNotFoundError(submission, 'expected a folder (a repository with exercises/, or one laid out like it) or a notebook (.ipynb)');
}

function readFolder(submission: string, specs: readonly ExerciseSpec[]): Submission {
  const nested = path.join(submission, 'exercises');
  const root = fs.existsSync(nested) && fs.statSync(nested).isDirectory() ? nested : submission;
  const realRoot = fs.realpathSync(root);
  const files = new Map<string, SubmissionFile>();
  const unreadable = new Map<string, string>();
  for (const spec of specs) {
    const where = path.join(root, ...spec.file.split('/'));
    const shown = path.relative(process.cwd(), where) || where;
    const problem = unreadableBecause(where, realRoot);
    if (problem) {
      unreadable.set(spec.file, `${shown}: ${problem}`);
      continue;
    }
    files.set(spec.file, { file: spec.file, code: fs.readFileSync(where, 'utf8'), locate: (line) => `${shown}:${line}` });
  }
  return { learner: path.basename(path.resolve(submission)), path: submission, files, unreadable };
}

/** Only plain files inside the submission are read: a link could point at the hidden tests. */
function unreadableBecause(file: string, realRoot: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return 'missing';
  }
  if (stat.isSymbolicLink()) return 'a symbolic link (submit the file itself)';
  if (!stat.isFile()) return 'not a file';
  if (stat.size > MAX_SOURCE_BYTES) return `larger than ${MAX_SOURCE_BYTES / 1024} KB`;
  const real = fs.realpathSync(file);
  if (!real.startsWith(realRoot + path.sep)) return 'outside the submission';
  return undefined;
}

interface RawCell {
  readonly cell_type?: unknown;
  readonly source?: unknown;
  readonly metadata?: { readonly llm_lab?: { readonly exercise?: unknown }; readonly tags?: unknown };
}

function readNotebook(submission: string, specs: readonly ExerciseSpec[]): Submission {
  let notebook: { cells?: unknown };
  try {
    notebook = JSON.parse(fs.readFileSync(submission, 'utf8')) as { cells?: unknown };
  } catch (error) {
    throw new SubmissionNotFoundError(submission, `not a notebook (${(error as Error).message})`);
  }
  if (!Array.isArray(notebook.cells)) throw new SubmissionNotFoundError(submission, 'not a notebook: it has no cells');
  const files = new Map<string, SubmissionFile>();
  const shown = path.relative(process.cwd(), submission) || submission;
  (notebook.cells as RawCell[]).forEach((cell, index) => {
    if (cell?.cell_type !== 'code') return;
    const code = Array.isArray(cell.source) ? cell.source.join('') : typeof cell.source === 'string' ? cell.source : '';
    const id = exerciseIdOf(cell, code);
    const spec = id === undefined ? undefined : specs.find((s) => s.id === id);
    if (!spec) return;
    // The last cell of an exercise wins: the learner's latest try.
    files.set(spec.file, {
      file: spec.file,
      code: withExports(code, spec.exports),
      locate: (line) => `${shown}, cell ${index + 1} (exercise ${spec.id}), line ${line}`,
    });
  });
  const unreadable = new Map<string, string>();
  for (const spec of specs) {
    if (!files.has(spec.file)) unreadable.set(spec.file, `${shown}: no cell for exercise ${spec.id} (tag it, or start it with // Exercise ${spec.id})`);
  }
  return { learner: path.basename(submission, '.ipynb'), path: submission, files, unreadable };
}

function exerciseIdOf(cell: RawCell, code: string): string | undefined {
  const tagged = cell.metadata?.llm_lab?.exercise;
  if (typeof tagged === 'string') return tagged;
  return MARKER.exec(code)?.[1];
}

/** A notebook cell declares its functions; the grader imports them, so export what is not exported yet (after the last line, so line numbers stay). */
export function withExports(code: string, names: readonly string[]): string {
  const missing = names.filter((name) => !new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+${name}\\b`).test(code));
  return missing.length === 0 ? code : `${code}\n;export { ${missing.join(', ')} };\n`;
}
