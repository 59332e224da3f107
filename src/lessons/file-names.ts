/** Lesson and notebook file names: `lessons/NN-name.md` builds `notebooks/NN-name.ipynb`. */
import * as path from 'node:path';
import { LessonError } from './errors';

/** A lesson file name: two digits, a dash, lowercase words joined by dashes, `.md`. */
export const LESSON_FILE_PATTERN = /^(\d\d)-[a-z0-9-]+\.md$/;

/** The notebooks the builder owns in its output folder (others are left alone). */
export const NOTEBOOK_FILE_PATTERN = /^\d\d-.*\.ipynb$/;

/** The folder lesson sources live in, as recorded in each notebook's metadata. */
export const LESSONS_FOLDER = 'lessons';

export interface LessonFileName {
  /** The lesson's number as written, e.g. `"01"`. */
  readonly number: string;
  /** The file name without `.md`, e.g. `"01-next-token"`. */
  readonly stem: string;
  /** e.g. `"01-next-token.md"`. */
  readonly lessonFile: string;
  /** e.g. `"01-next-token.ipynb"`. */
  readonly notebookFile: string;
}

/** Reads a lesson's number and notebook name from its path; throws on a name that breaks the rule. */
export function parseLessonFileName(file: string): LessonFileName {
  const base = path.basename(file);
  const match = LESSON_FILE_PATTERN.exec(base);
  if (!match) {
    throw new LessonError(
      file,
      undefined,
      `'${base}' is not a lesson file name. Name lessons NN-name.md: two digits, a dash, then lowercase ` +
        `letters, digits and dashes (e.g. 01-next-token.md); rename the file.`,
    );
  }
  const stem = base.slice(0, -'.md'.length);
  return { number: match[1] as string, stem, lessonFile: base, notebookFile: `${stem}.ipynb` };
}
