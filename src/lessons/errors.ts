/** The ways building the notebooks can fail: each says what is wrong, where, and what to do. */

/** A problem in one lesson source. `line` is 1-based; absent when the whole file is at fault. */
export class LessonError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  /** The message without its `file:line: ` prefix. */
  readonly problem: string;

  constructor(file: string, line: number | undefined, problem: string) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`);
    this.name = 'LessonError';
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/** Several lessons (or several problems) at once, so that one build reports all of them. */
export class LessonBuildError extends Error {
  readonly errors: readonly LessonError[];

  constructor(errors: readonly LessonError[]) {
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    super(`${count} in the lessons:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
    this.name = 'LessonBuildError';
    this.errors = errors;
  }
}

/** A folder of lessons or notebooks that cannot be used as asked (missing, empty, unreadable). */
export class LessonsFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LessonsFolderError';
  }
}

/** `checkLessons` found notebooks that are not what their lessons build to. */
export class NotebooksOutOfDateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebooksOutOfDateError';
  }
}
