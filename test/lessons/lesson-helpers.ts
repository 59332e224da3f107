/** What the lesson-builder tests share: a lesson written in a few lines, and a notebook checker. */
import { LessonError, type Notebook, buildLesson } from '../../src/lessons';

export const FILE = 'lessons/01-test.md';

/** Front matter taking lines 1–5; with the blank line after it, a body starts on line 7. */
export const FRONT_MATTER = '---\ntitle: A test lesson\nobjectives:\n  - Learn one thing\n---\n';
export const BODY_FIRST_LINE = 7;

/** A lesson with the standard front matter and this body. */
export function lesson(...bodyLines: string[]): string {
  return `${FRONT_MATTER}\n${bodyLines.join('\n')}\n`;
}

/** The text of each cell, in order (sources joined). */
export function cellTexts(notebook: Notebook): string[] {
  return notebook.cells.map((cell) => cell.source.join(''));
}

/** The LessonError that building `source` throws (fails the test when it builds). */
export function buildError(source: string, file = FILE): LessonError {
  try {
    buildLesson(source, file);
  } catch (error) {
    if (error instanceof LessonError) return error;
    throw error;
  }
  throw new Error(`expected ${file} not to build, but it did`);
}

/**
 * The ways `notebook` breaks nbformat 4.5 (https://github.com/jupyter/nbformat, schema
 * v4.5) as far as the builder can produce it; an empty list when it is valid.
 */
export function nbformatProblems(notebook: unknown): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const nb = notebook as Record<string, unknown>;
  expect(sameKeys(nb, ['cells', 'metadata', 'nbformat', 'nbformat_minor']), 'top level keys');
  expect(nb['nbformat'] === 4 && nb['nbformat_minor'] === 5, 'nbformat 4.5');
  const metadata = (nb['metadata'] ?? {}) as Record<string, Record<string, unknown>>;
  const kernelspec = metadata['kernelspec'] ?? {};
  expect(typeof kernelspec['name'] === 'string' && typeof kernelspec['display_name'] === 'string', 'kernelspec name and display_name');
  expect(typeof metadata['language_info']?.['name'] === 'string', 'language_info.name');
  const cells = nb['cells'];
  expect(Array.isArray(cells), 'cells is a list');
  const ids = new Set<string>();
  for (const [i, cell] of (Array.isArray(cells) ? cells : []).entries()) {
    const c = cell as Record<string, unknown>;
    const id = c['id'];
    expect(typeof id === 'string' && /^[a-zA-Z0-9-_]{1,64}$/.test(id), `cell ${i}: id '${String(id)}' is 1-64 of [a-zA-Z0-9-_]`);
    expect(!ids.has(id as string), `cell ${i}: id '${String(id)}' is unique`);
    ids.add(id as string);
    const source = c['source'];
    expect(Array.isArray(source) && source.every(isSourceLine), `cell ${i}: source is lines, each ending in its only \\n (the last may not)`);
    const meta = (c['metadata'] ?? null) as Record<string, unknown> | null;
    expect(meta !== null && typeof meta === 'object' && !Array.isArray(meta), `cell ${i}: metadata is an object`);
    const tags = meta?.['tags'];
    expect(tags === undefined || (Array.isArray(tags) && new Set(tags).size === tags.length && tags.every((t) => typeof t === 'string')), `cell ${i}: tags are unique strings`);
    const jupyter = meta?.['jupyter'] as Record<string, unknown> | undefined;
    expect(jupyter === undefined || typeof jupyter['source_hidden'] === 'boolean', `cell ${i}: jupyter.source_hidden is a boolean`);
    if (c['cell_type'] === 'markdown') {
      expect(sameKeys(c, ['cell_type', 'id', 'metadata', 'source']), `cell ${i}: markdown cell keys`);
    } else if (c['cell_type'] === 'code') {
      expect(sameKeys(c, ['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']), `cell ${i}: code cell keys`);
      expect(c['execution_count'] === null && Array.isArray(c['outputs']), `cell ${i}: execution_count null, outputs a list`);
    } else {
      problems.push(`cell ${i}: cell_type '${String(c['cell_type'])}'`);
    }
  }
  return problems;
}

function isSourceLine(line: unknown, index: number, lines: unknown[]): boolean {
  if (typeof line !== 'string' || line === '') return false;
  const newline = line.indexOf('\n');
  const last = index === lines.length - 1;
  return newline === line.length - 1 || (last && newline === -1);
}

function sameKeys(object: Record<string, unknown>, keys: string[]): boolean {
  return JSON.stringify(Object.keys(object).sort()) === JSON.stringify([...keys].sort());
}
