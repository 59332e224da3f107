/**
 * The notebook a lesson builds to: nbformat 4.5 (https://nbformat.readthedocs.io), written
 * the way Jupyter writes it (sorted keys, one-space indent, sources as lists of lines): the
 * bytes Python's `nbformat.writes` gives, so one saved by Jupyter diffs cleanly against it.
 */

/** The kernel the notebooks run on: tslab, registered for this project as `llm-lab`. */
export const KERNELSPEC = { name: 'llm-lab', display_name: 'TypeScript (LLM Lab)', language: 'typescript' } as const;

/**
 * What tslab reports in its kernel_info reply (and Jupyter saves after running a notebook),
 * less its `version`, which is a constant unrelated to the TypeScript tslab runs.
 */
export const LANGUAGE_INFO = {
  name: 'typescript',
  file_extension: '.ts',
  mimetype: 'text/typescript',
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
} as const;

export interface CellMetadata {
  /** `["exercise"]` on exercise cells. */
  readonly tags?: readonly string[];
  /** `source_hidden: true` collapses the cell's code in JupyterLab. */
  readonly jupyter?: { readonly source_hidden: boolean };
  /** The exercise id of an exercise cell. */
  readonly llm_lab?: { readonly exercise: string };
}

export interface MarkdownCell {
  readonly cell_type: 'markdown';
  readonly id: string;
  readonly metadata: CellMetadata;
  readonly source: readonly string[];
}

export interface CodeCell {
  readonly cell_type: 'code';
  readonly id: string;
  readonly metadata: CellMetadata;
  readonly source: readonly string[];
  readonly execution_count: null;
  readonly outputs: readonly [];
}

export type NotebookCell = MarkdownCell | CodeCell;

export interface NotebookMetadata {
  readonly kernelspec: typeof KERNELSPEC;
  readonly language_info: typeof LANGUAGE_INFO;
  readonly llm_lab: {
    /** The lesson the notebook is built from, e.g. `lessons/01-next-token.md`. */
    readonly source: string;
    readonly title: string;
    readonly objectives: readonly string[];
  };
}

export interface Notebook {
  readonly nbformat: 4;
  readonly nbformat_minor: 5;
  readonly metadata: NotebookMetadata;
  readonly cells: readonly NotebookCell[];
}

/** Jupyter's on-disk form of a cell's text: lines that keep their `\n`, the last without. */
export function sourceLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => `${line}\n`);
  const last = lines.length - 1;
  lines[last] = (lines[last] as string).slice(0, -1);
  if (lines[last] === '') lines.pop();
  return lines;
}

/** The notebook as Jupyter writes it: keys sorted, one-space indent, a final newline. */
export function serializeNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, sortKeys, 1)}\n`;
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
