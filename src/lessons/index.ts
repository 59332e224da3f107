/**
 * Lessons: the Markdown lesson sources (`lessons/NN-name.md`) built into the notebooks the
 * learner opens (`notebooks/NN-name.ipynb`), deterministically, with stable cell ids.
 * The format is described in README.md beside this file.
 */
export { buildLesson, extractExercises } from './build-lesson';
export type { BuiltLesson, LessonExercise } from './build-lesson';

export { buildAllLessons, writeNotebooks, checkLessons, formatCheckReport } from './build-all';
export type { LessonsOptions, BuiltNotebook, WriteReport, CheckReport } from './build-all';

export { serializeNotebook, sourceLines, KERNELSPEC, LANGUAGE_INFO } from './notebook';
export type { Notebook, NotebookCell, MarkdownCell, CodeCell, CellMetadata, NotebookMetadata } from './notebook';

export { assignCellIds } from './cell-ids';
export type { CellIdentity } from './cell-ids';

export { parseCellOptions, CELL_OPTIONS, EXERCISE_ID_PATTERN } from './cell-options';
export type { CellOptions } from './cell-options';

export { learnerVersion, BEGIN_SOLUTION, END_SOLUTION } from './solution';
export { readFrontMatter, FRONT_MATTER_KEYS } from './front-matter';
export type { LessonFrontMatter } from './front-matter';
export { parseLessonFileName, LESSON_FILE_PATTERN, NOTEBOOK_FILE_PATTERN } from './file-names';
export type { LessonFileName } from './file-names';
export { CODE_CELL_LANGUAGES } from './lesson-cells';

export { LessonError, LessonBuildError, LessonsFolderError, NotebooksOutOfDateError } from './errors';
export { MarkdownParserUnavailableError } from './markdown';
