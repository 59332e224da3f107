import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Notebook, assignCellIds, buildLesson, serializeNotebook, sourceLines } from '../../src/lessons';
import { FILE, lesson, nbformatProblems } from './lesson-helpers';

const fixtures = path.join(__dirname, 'fixtures');
const sampleLesson = path.join(fixtures, 'lessons', '01-sample.md');
const sampleNotebook = path.join(fixtures, 'notebooks', '01-sample.ipynb');
const buildSample = () => buildLesson(fs.readFileSync(sampleLesson, 'utf8'), 'lessons/01-sample.md');

describe('sourceLines', () => {
  it.each([
    ['', []],
    ['one', ['one']],
    ['one\n', ['one\n']],
    ['one\ntwo', ['one\n', 'two']],
    ['one\n\ntwo\n', ['one\n', '\n', 'two\n']],
  ])('%j → %j', (text, lines) => {
    expect(sourceLines(text)).toEqual(lines);
    expect(sourceLines(text).join('')).toBe(text);
  });
});

describe('serializeNotebook', () => {
  it('writes as Jupyter does: keys sorted, one-space indent, final newline, UTF-8 as is', () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { z: 1, a: { y: [], b: {} } },
      cells: [{ source: ['é →\n', '"q"\t'], id: 'x', cell_type: 'markdown', metadata: {} }],
    } as unknown as Notebook;
    expect(serializeNotebook(notebook)).toBe(
      [
        '{',
        ' "cells": [',
        '  {',
        '   "cell_type": "markdown",',
        '   "id": "x",',
        '   "metadata": {},',
        '   "source": [',
        '    "é →\\n",',
        '    "\\"q\\"\\t"',
        '   ]',
        '  }',
        ' ],',
        ' "metadata": {',
        '  "a": {',
        '   "b": {},',
        '   "y": []',
        '  },',
        '  "z": 1',
        ' },',
        ' "nbformat": 4,',
        ' "nbformat_minor": 5',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('a built notebook', () => {
  it('matches the committed fixture byte for byte', () => {
    // If the output format changed on purpose, rebuild the fixture:
    //   node bin/llm-lab.js lessons build --lessons test/lessons/fixtures/lessons --out test/lessons/fixtures/notebooks
    expect(serializeNotebook(buildSample().notebook)).toBe(fs.readFileSync(sampleNotebook, 'utf8'));
  });

  it('is the same bytes when built twice', () => {
    expect(serializeNotebook(buildSample().notebook)).toBe(serializeNotebook(buildSample().notebook));
  });

  it('is valid nbformat 4.5 with the LLM Lab kernel and metadata', () => {
    const { notebook } = buildSample();
    expect(nbformatProblems(JSON.parse(serializeNotebook(notebook)))).toEqual([]);
    expect(notebook.metadata.kernelspec).toEqual({ name: 'llm-lab', display_name: 'TypeScript (LLM Lab)', language: 'typescript' });
    expect(notebook.metadata.language_info).toMatchObject({ name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' });
    expect(notebook.metadata.llm_lab).toEqual({
      source: 'lessons/01-sample.md',
      title: 'Counting what comes next',
      objectives: ['Say what a *bigram* model predicts', 'Compute a cross-entropy by hand, in nats ($\\ln$)'],
    });
    for (const cell of notebook.cells.filter((c) => c.cell_type === 'code')) {
      expect(cell).toMatchObject({ execution_count: null, outputs: [] });
    }
  });

  it('the structural checker catches what nbformat would reject', () => {
    const good = JSON.parse(serializeNotebook(buildSample().notebook)) as { cells: Record<string, unknown>[] };
    const broken = structuredClone(good);
    broken.cells[1] = { ...broken.cells[1], id: 'has a space' };
    broken.cells[2] = { ...broken.cells[2], source: ['no newline', 'then more'] };
    broken.cells[3] = { ...broken.cells[3], outputs: [] };
    expect(nbformatProblems(broken)).toEqual([
      "cell 1: id 'has a space' is 1-64 of [a-zA-Z0-9-_]",
      'cell 2: source is lines, each ending in its only \\n (the last may not)',
      'cell 3: markdown cell keys',
    ]);
  });

  // Optional: the reference validator, where the project's Python environment has it.
  const python = pythonWithNbformat();
  (python ? it : it.skip)('passes nbformat.validate and is what nbformat.writes gives (needs .venv with nbformat)', () => {
    const script = [
      'import sys, nbformat',
      'text = open(sys.argv[1], encoding="utf-8").read()',
      'nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)',
      'nbformat.validate(nb)',
      'assert nbformat.writes(nb) + "\\n" == text, "differs from nbformat.writes"',
    ].join('\n');
    const result = spawnSync(python as string, ['-c', script, sampleNotebook], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('cell ids', () => {
  const body = [
    'Intro.',
    '',
    '```ts',
    'const a = 1;',
    '```',
    '',
    'Middle.',
    '',
    '```ts exercise=1.1',
    '// BEGIN SOLUTION',
    'a;',
    '// END SOLUTION',
    '```',
    '',
    'End.',
  ];
  const ids = (lines: string[]) => buildLesson(lesson(...lines), FILE).notebook.cells.map((c) => c.id);
  const byText = (lines: string[]) => {
    const { cells } = buildLesson(lesson(...lines), FILE).notebook;
    return new Map(cells.map((c) => [c.source.join(''), c.id]));
  };

  it('are title, exercise-N-M, md-<hash> and code-<hash>', () => {
    expect(ids(body)).toEqual(['title', expect.stringMatching(/^md-[0-9a-f]{8}$/), expect.stringMatching(/^code-[0-9a-f]{8}$/), expect.stringMatching(/^md-[0-9a-f]{8}$/), 'exercise-1-1', expect.stringMatching(/^md-[0-9a-f]{8}$/)]);
  });

  it('stay the same for the other cells when cells are inserted', () => {
    const before = byText(body);
    const inserted = [...body.slice(0, 6), 'New prose.', '', '```ts', 'const inserted = 2;', '```', '', ...body.slice(6)];
    const after = byText(inserted);
    for (const [text, id] of before) expect([text, after.get(text)]).toEqual([text, id]);
    expect(after.size).toBe(before.size + 2);
  });

  it('change only for the edited cell; an exercise keeps its id when its code is edited', () => {
    const edited = body.map((line) => (line === 'Middle.' ? 'Middle, edited.' : line === 'a;' ? 'a + 1;' : line));
    const [b, a] = [ids(body), ids(edited)];
    expect(a.map((id, i) => id === b[i])).toEqual([true, true, true, false, true, true]);
  });

  it('are made unique in order for identical cells', () => {
    const twice = ['```ts', 'show();', '```', '', 'Same.', '', '```ts', 'show();', '```', '', 'Same.'];
    const got = ids(twice);
    expect(got[3]).toBe(`${got[1]}-2`);
    expect(got[4]).toBe(`${got[2]}-2`);
    expect(new Set(got).size).toBe(got.length);
  });

  it('do not depend on the lesson file name', () => {
    const source = lesson(...body);
    const ids1 = buildLesson(source, 'lessons/01-a.md').notebook.cells.map((c) => c.id);
    expect(buildLesson(source, 'lessons/07-b.md').notebook.cells.map((c) => c.id)).toEqual(ids1);
  });

  it('assignCellIds hashes text by kind', () => {
    expect(assignCellIds([{ kind: 'markdown', text: 'x' }, { kind: 'code', text: 'x' }, { kind: 'exercise', exercise: '3.4' }, { kind: 'title' }])).toEqual([
      'md-2d711642',
      'code-2d711642',
      'exercise-3-4',
      'title',
    ]);
  });
});

/** The project's Python (or NBFORMAT_PYTHON) when nbformat is installed beside it; looked up without running it. */
function pythonWithNbformat(): string | undefined {
  const override = process.env['NBFORMAT_PYTHON'];
  if (override) return override;
  const venv = path.resolve(__dirname, '..', '..', '.venv');
  const python = path.join(venv, 'bin', 'python');
  const lib = path.join(venv, 'lib');
  if (!fs.existsSync(python) || !fs.existsSync(lib)) return undefined;
  const hasNbformat = fs.readdirSync(lib).some((dir) => fs.existsSync(path.join(lib, dir, 'site-packages', 'nbformat')));
  return hasNbformat ? python : undefined;
}
