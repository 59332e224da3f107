/** One lesson source → one notebook, and the exercises in it. */
import type { RootContent } from 'mdast';
import { assignCellIds, type CellIdentity } from './cell-ids';
import { parseCellOptions } from './cell-options';
import { LessonError } from './errors';
import { LESSONS_FOLDER, parseLessonFileName } from './file-names';
import { type LessonFrontMatter, readFrontMatter } from './front-matter';
import { type LessonPiece, splitLesson } from './lesson-cells';
import { parseMarkdown } from './markdown';
import { type CellMetadata, KERNELSPEC, LANGUAGE_INFO, type Notebook, type NotebookCell, sourceLines } from './notebook';
import { assertNoSolutionMarkers, learnerVersion } from './solution';

/** An exercise as the lesson defines it: what the grader needs to run solutions and stubs. */
export interface LessonExercise {
  /** e.g. `"1.2"`. */
  readonly id: string;
  /** The lesson file, as given to `buildLesson`. */
  readonly file: string;
  /** The line of the exercise's opening fence in the lesson. */
  readonly line: number;
  /** The cell as written in the lesson: the reference solution, its marker lines included. */
  readonly solution: string;
  /** The cell as the notebook shows it: every solution region removed. */
  readonly learner: string;
}

export interface BuiltLesson extends LessonFrontMatter {
  /** The lesson's number as written in its file name, e.g. `"01"`. */
  readonly number: string;
  /** The notebook's file name, e.g. `"01-next-token.ipynb"`. */
  readonly notebookFile: string;
  readonly notebook: Notebook;
  readonly exercises: readonly LessonExercise[];
}

/**
 * Builds a lesson's notebook. `fileName` is the lesson's path (its base name must be
 * `NN-name.md`); errors name it with the line, as `lessons/01-next-token.md:12: …`.
 * Throws a `LessonError` on the first problem found.
 */
export function buildLesson(source: string, fileName: string): BuiltLesson {
  const name = parseLessonFileName(fileName);
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const tree = parseMarkdown(text);
  const [first, ...rest] = tree.children;
  const frontMatterNode = first?.type === 'yaml' ? first : undefined;
  const frontMatter = readFrontMatter(frontMatterNode, text, fileName);
  const body: RootContent[] = frontMatterNode ? rest : tree.children;

  const drafts: CellDraft[] = [titleCell(name.number, frontMatter)];
  const exercises: LessonExercise[] = [];
  for (const piece of splitLesson(body, text, fileName)) {
    const draft = cellFromPiece(piece, fileName);
    if (draft.exercise) {
      const earlier = exercises.find((e) => e.id === draft.exercise?.id);
      if (earlier) {
        throw new LessonError(fileName, piece.line, `exercise ${earlier.id} is already defined at line ${earlier.line}: give each exercise its own id.`);
      }
      exercises.push(draft.exercise);
    }
    drafts.push(draft);
  }

  const ids = assignCellIds(drafts.map((d) => d.identity));
  const cells = drafts.map((draft, i) => toCell(draft, ids[i] as string));
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: KERNELSPEC,
      language_info: LANGUAGE_INFO,
      llm_lab: { source: `${LESSONS_FOLDER}/${name.lessonFile}`, title: frontMatter.title, objectives: frontMatter.objectives },
    },
    cells,
  };
  return { ...frontMatter, number: name.number, notebookFile: name.notebookFile, notebook, exercises };
}

/** The exercises of a lesson (builds it, so the same checks apply). */
export function extractExercises(source: string, fileName: string): readonly LessonExercise[] {
  return buildLesson(source, fileName).exercises;
}

interface CellDraft {
  readonly type: 'markdown' | 'code';
  readonly text: string;
  readonly metadata: CellMetadata;
  readonly identity: CellIdentity;
  readonly exercise?: LessonExercise;
}

/** The first cell: `# NN · Title` and the objectives. */
function titleCell(number: string, { title, objectives }: LessonFrontMatter): CellDraft {
  const list = objectives.map((objective) => `- ${objective.replace(/\n/g, '\n  ')}`);
  const text = [`# ${number} · ${title}`, '', 'In this lesson you will:', '', ...list].join('\n');
  return { type: 'markdown', text, metadata: {}, identity: { kind: 'title' } };
}

function cellFromPiece(piece: LessonPiece, file: string): CellDraft {
  if (piece.kind === 'markdown') {
    return { type: 'markdown', text: piece.text, metadata: {}, identity: { kind: 'markdown', text: piece.text } };
  }
  const at = { file, line: piece.line, fenceLine: piece.line };
  const options = parseCellOptions(piece.meta, at);
  const hidden: CellMetadata = options.hide ? { jupyter: { source_hidden: true } } : {};
  if (options.exercise === undefined) {
    assertNoSolutionMarkers(piece.code, at);
    return { type: 'code', text: piece.code, metadata: hidden, identity: { kind: 'code', text: piece.code } };
  }
  const id = options.exercise;
  const learner = learnerVersion(piece.code, id, at);
  return {
    type: 'code',
    text: learner,
    metadata: { tags: ['exercise'], llm_lab: { exercise: id } },
    identity: { kind: 'exercise', exercise: id },
    exercise: { id, file, line: piece.line, solution: piece.code, learner },
  };
}

function toCell(draft: CellDraft, id: string): NotebookCell {
  const source = sourceLines(draft.text);
  if (draft.type === 'markdown') return { cell_type: 'markdown', id, metadata: draft.metadata, source };
  return { cell_type: 'code', id, metadata: draft.metadata, source, execution_count: null, outputs: [] };
}
