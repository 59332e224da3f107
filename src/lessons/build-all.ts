/** Every lesson in a folder → its notebook: build, write, or check what is committed. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BuiltLesson, buildLesson } from './build-lesson';
import { LessonBuildError, LessonError, LessonsFolderError } from './errors';
import { NOTEBOOK_FILE_PATTERN, parseLessonFileName } from './file-names';
import { serializeNotebook } from './notebook';

export interface LessonsOptions {
  /**
   * The folder of lesson sources (`NN-name.md`; a `README.md` there is skipped).
   * @default 'lessons'
   */
  readonly lessonsDir?: string;
  /**
   * The folder of notebooks.
   * @default 'notebooks'
   */
  readonly outDir?: string;
}

export interface BuiltNotebook extends BuiltLesson {
  /** The lesson's path: `lessonsDir` joined with its file name. */
  readonly lessonPath: string;
  /** Where its notebook goes: `outDir` joined with the notebook's file name. */
  readonly notebookPath: string;
  /** The notebook file's contents, byte for byte. */
  readonly text: string;
}

/**
 * Builds every lesson in memory, in file-name order. Collects the problems of all lessons
 * (plus lesson numbers or exercise ids used twice) and throws them together as a
 * `LessonBuildError`.
 */
export function buildAllLessons(options: LessonsOptions = {}): BuiltNotebook[] {
  const { lessonsDir, outDir } = resolveOptions(options);
  const errors: LessonError[] = [];
  const built: BuiltNotebook[] = [];
  for (const file of lessonFiles(lessonsDir, errors)) {
    const lessonPath = path.join(lessonsDir, file);
    try {
      const lesson = buildLesson(fs.readFileSync(lessonPath, 'utf8'), lessonPath);
      built.push({ ...lesson, lessonPath, notebookPath: path.join(outDir, lesson.notebookFile), text: serializeNotebook(lesson.notebook) });
    } catch (error) {
      if (!(error instanceof LessonError)) throw error;
      errors.push(error);
    }
  }
  errors.push(...sharedNumbers(built), ...sharedExerciseIds(built));
  if (errors.length > 0) throw new LessonBuildError(errors);
  return built;
}

export interface WriteReport {
  /** Every lesson as built, in file-name order. */
  readonly notebooks: readonly BuiltNotebook[];
  /** Notebooks written because they were new or differed. */
  readonly written: readonly string[];
  /** Notebooks already up to date (left untouched, so their modification time stays). */
  readonly unchanged: readonly string[];
  /** Notebooks removed because their lesson no longer exists. */
  readonly removed: readonly string[];
}

/**
 * Builds every lesson and writes the notebooks that changed into `outDir` (created if
 * needed); removes the `NN-*.ipynb` there whose lesson is gone. Writes nothing if any
 * lesson fails to build.
 */
export function writeNotebooks(options: LessonsOptions = {}): WriteReport {
  const { outDir } = resolveOptions(options);
  const built = buildAllLessons(options);
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const notebook of built) {
    if (readIfExists(notebook.notebookPath) === notebook.text) {
      unchanged.push(notebook.notebookPath);
    } else {
      fs.writeFileSync(notebook.notebookPath, notebook.text);
      written.push(notebook.notebookPath);
    }
  }
  const removed = strayNotebooks(outDir, built);
  for (const file of removed) fs.rmSync(file);
  return { notebooks: built, written, unchanged, removed };
}

export interface CheckReport {
  /** True when every notebook in `outDir` is exactly what its lesson builds to. */
  readonly upToDate: boolean;
  /** Notebooks whose contents differ, with the first line (1-based) that does. */
  readonly differ: readonly { readonly notebookPath: string; readonly lessonPath: string; readonly line: number }[];
  /** Notebooks a lesson builds to that are not in `outDir`. */
  readonly missing: readonly { readonly notebookPath: string; readonly lessonPath: string }[];
  /** `NN-*.ipynb` files in `outDir` that no lesson builds to. */
  readonly extra: readonly string[];
}

/** Builds every lesson in memory and compares with the notebooks in `outDir`; writes nothing. */
export function checkLessons(options: LessonsOptions = {}): CheckReport {
  const { outDir } = resolveOptions(options);
  const built = buildAllLessons(options);
  const differ: { notebookPath: string; lessonPath: string; line: number }[] = [];
  const missing: { notebookPath: string; lessonPath: string }[] = [];
  for (const { notebookPath, lessonPath, text } of built) {
    const committed = readIfExists(notebookPath);
    if (committed === undefined) missing.push({ notebookPath, lessonPath });
    else if (committed !== text) differ.push({ notebookPath, lessonPath, line: firstDifferentLine(committed, text) });
  }
  const extra = strayNotebooks(outDir, built);
  return { upToDate: differ.length + missing.length + extra.length === 0, differ, missing, extra };
}

/** The check's findings as lines for a terminal, ending with the command that fixes them. */
export function formatCheckReport(report: CheckReport, fixCommand = 'npm run lessons:build'): string {
  if (report.upToDate) return 'The notebooks are up to date with their lessons.';
  const lines = [
    ...report.differ.map((d) => `  ${d.notebookPath} differs from what ${d.lessonPath} builds to (from line ${d.line})`),
    ...report.missing.map((m) => `  ${m.notebookPath} is missing (built from ${m.lessonPath})`),
    ...report.extra.map((file) => `  ${file} has no lesson (no ${path.basename(file, '.ipynb')}.md in the lessons folder)`),
  ];
  const count = lines.length === 1 ? '1 notebook is' : `${lines.length} notebooks are`;
  return [`${count} out of date with the lessons:`, ...lines, `Run \`${fixCommand}\` and commit the notebooks.`].join('\n');
}

function resolveOptions(options: LessonsOptions): { lessonsDir: string; outDir: string } {
  return { lessonsDir: options.lessonsDir ?? 'lessons', outDir: options.outDir ?? 'notebooks' };
}

/** The lesson file names in a folder, sorted; a bad name becomes an error and is skipped. */
function lessonFiles(lessonsDir: string, errors: LessonError[]): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(lessonsDir, { withFileTypes: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new LessonsFolderError(`The lessons folder ${lessonsDir} ${reason}: run from the project folder, or pass --lessons <folder>.`);
  }
  const markdown = entries.filter((e) => e.isFile() && e.name.endsWith('.md') && e.name !== 'README.md').map((e) => e.name).sort();
  const files: string[] = [];
  for (const name of markdown) {
    try {
      parseLessonFileName(path.join(lessonsDir, name));
      files.push(name);
    } catch (error) {
      if (!(error instanceof LessonError)) throw error;
      errors.push(error);
    }
  }
  if (files.length === 0 && errors.length === 0) {
    throw new LessonsFolderError(`No lessons (NN-name.md files) in ${lessonsDir}: pass --lessons <folder> if they are elsewhere.`);
  }
  return files;
}

function sharedNumbers(built: readonly BuiltNotebook[]): LessonError[] {
  const errors: LessonError[] = [];
  const firstWith = new Map<string, BuiltNotebook>();
  for (const lesson of built) {
    const other = firstWith.get(lesson.number);
    if (other) errors.push(new LessonError(lesson.lessonPath, undefined, `lesson number ${lesson.number} is also used by ${other.lessonPath}: give each lesson its own number.`));
    else firstWith.set(lesson.number, lesson);
  }
  return errors;
}

function sharedExerciseIds(built: readonly BuiltNotebook[]): LessonError[] {
  const errors: LessonError[] = [];
  const firstWith = new Map<string, { file: string; line: number }>();
  for (const exercise of built.flatMap((lesson) => lesson.exercises)) {
    const other = firstWith.get(exercise.id);
    if (other) errors.push(new LessonError(exercise.file, exercise.line, `exercise ${exercise.id} is also defined at ${other.file}:${other.line}: exercise ids must be unique across the lessons.`));
    else firstWith.set(exercise.id, exercise);
  }
  return errors;
}

/** Builder-owned notebooks (`NN-*.ipynb`) in `outDir` that no lesson builds to. */
function strayNotebooks(outDir: string, built: readonly BuiltNotebook[]): string[] {
  if (!fs.existsSync(outDir)) return [];
  const expected = new Set(built.map((b) => b.notebookFile));
  return fs
    .readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isFile() && NOTEBOOK_FILE_PATTERN.test(e.name) && !expected.has(e.name))
    .map((e) => path.join(outDir, e.name))
    .sort();
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i += 1;
  return i + 1;
}
