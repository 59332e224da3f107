/**
 * Every notebook in notebooks/ runs from top to bottom on the LLM Lab kernel without an
 * error, and saves its charts. Before those, a self-test notebook made here proves the kernel
 * itself: the toolkit imports by name, top-level await works, a plotly figure is saved, the
 * environment reaches the kernel, and a failing cell is reported as one.
 *
 * The first run installs JupyterLab into .venv (a minute or two); later runs reuse it.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  PLOTLY_MIME,
  RESULTS_DIR,
  ROOT,
  describeFailures,
  executeNotebook,
  inCI,
  makeNotebook,
  progress,
  projectTempDir,
  pythonMissingReason,
  readOutputs,
  setupForTests,
  streamText,
} from './harness';

/**
 * A code cell calling one of these draws a chart, so its notebook must save a plotly output:
 * the toolkit's chart helpers (src/notebook/: `plot` and the figure builders it draws, the live
 * training chart, the `show…` helpers that draw). Add new chart helpers here.
 */
const PLOT_HELPER =
  /\b(plot|lineChart|barChart|heatmap|liveTrainingChart|showNextTokenBars|showAttentionHeatmap|show\w*(Chart|Plot|Bars|Heatmap))\s*\(/;

const NOTEBOOKS_DIR = path.join(ROOT, 'notebooks');
const lessonNotebooks = fs.existsSync(NOTEBOOKS_DIR)
  ? fs
      .readdirSync(NOTEBOOKS_DIR)
      .filter((name) => name.endsWith('.ipynb'))
      .sort()
  : [];

const missing = pythonMissingReason();
const describeWithPython = missing && !inCI ? describe.skip : describe;
if (missing && !inCI) progress(`skipping the notebook tests: ${missing}`);

describeWithPython('notebooks on the LLM Lab kernel', () => {
  const scratch: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`The notebook tests need Python (CI is set, so this is a failure):\n${missing}`);
    await setupForTests();
  }, 20 * 60 * 1000);

  afterAll(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('self-test: imports from llm-lab, top-level await, a plotly figure, the environment', async () => {
    const dir = projectTempDir('self-test');
    scratch.push(dir);
    const figure = { data: [{ type: 'scatter', y: [3, 1, 2] }], layout: { title: { text: 'self-test' } } };
    const notebook = path.join(dir, 'self-test.ipynb');
    fs.writeFileSync(
      notebook,
      JSON.stringify(
        makeNotebook([
          { type: 'markdown', source: '# Kernel self-test' },
          {
            source: [
              "import { GPT, countParameters, resolveConfig, version } from 'llm-lab';",
              "const config = resolveConfig('tiny', { vocabSize: 16 });",
              'console.log(`llm-lab ${version}: ${typeof GPT} GPT, ${config.nLayer} layers, ${countParameters(config)} parameters`);',
            ].join('\n'),
          },
          {
            source: [
              'const answer = await new Promise<number>((resolve) => setTimeout(() => resolve(6 * 7), 10));',
              'console.log(`answer ${answer}`);',
            ].join('\n'),
          },
          {
            source: [
              "import * as tslab from 'tslab';",
              `const figure = ${JSON.stringify(figure)};`,
              '// display.raw is typed for strings and bytes, and passes any value on as the MIME data.',
              `tslab.display.raw('${PLOTLY_MIME}', figure as unknown as string);`,
            ].join('\n'),
          },
          { source: 'console.log(`quick ${process.env.LLM_LAB_QUICK}`);' },
        ]),
      ),
    );
    const executed = path.join(dir, 'self-test.executed.ipynb');
    const run = await executeNotebook(notebook, executed, { env: { LLM_LAB_QUICK: '1' }, cellTimeout: 120 });

    expect(describeFailures(run)).toBe('');
    expect(run.code).toBe(0);
    expect(run.summary?.executedCells).toBe(4);
    expect(streamText(readOutputs(executed, 1))).toMatch(/^llm-lab \d+\.\d+\.\d+\S*: function GPT, 2 layers, \d+ parameters$/m);
    expect(streamText(readOutputs(executed, 2))).toBe('answer 42\n');
    const plots = readOutputs(executed, 3).filter((o) => o.data?.[PLOTLY_MIME] !== undefined);
    expect(plots.map((o) => o.data?.[PLOTLY_MIME])).toEqual([figure]);
    expect(run.summary?.mimeTypes).toContain(PLOTLY_MIME);
    expect(streamText(readOutputs(executed, 4))).toBe('quick 1\n');
  }, 5 * 60 * 1000);

  test('self-test: a cell that does not compile, or throws, is reported as an error', async () => {
    const dir = projectTempDir('self-test-errors');
    scratch.push(dir);
    const notebook = path.join(dir, 'errors.ipynb');
    fs.writeFileSync(
      notebook,
      JSON.stringify(
        makeNotebook([
          { source: "const n: number = 'not a number';" },
          { source: "throw new RangeError('never reached');" },
        ]),
      ),
    );
    const run = await executeNotebook(notebook, path.join(dir, 'errors.executed.ipynb'), { cellTimeout: 120 });

    expect(run.code).toBe(1);
    expect(run.summary?.errors).toEqual([
      expect.objectContaining({ cell: 0, ename: 'CompileError', evalue: expect.stringContaining("not assignable to type 'number'") }),
    ]);
    expect(run.summary?.executedCells).toBe(1); // it stops at the first error, as Run All does
  }, 5 * 60 * 1000);

  if (lessonNotebooks.length === 0) {
    test('notebooks/ has no notebooks yet: only the self-tests ran', () => {
      progress('notebooks/ has no .ipynb files yet; the self-tests above are what ran');
    });
    return; // test.each refuses an empty table
  }

  test.each(lessonNotebooks)('%s runs without errors (LLM_LAB_QUICK=1)', async (name) => {
    const source = path.join(NOTEBOOKS_DIR, name);
    const executed = path.join(RESULTS_DIR, 'notebooks', name);
    progress(`running notebooks/${name}`);
    const run = await executeNotebook(source, executed, { env: { LLM_LAB_QUICK: '1' } });
    progress(`notebooks/${name}: ${run.summary?.seconds ?? '?'} s, executed copy in ${path.relative(ROOT, executed)}`);

    expect(describeFailures(run)).toBe('');
    expect(run.code).toBe(0);
    expect(run.summary?.executedCells).toBe(run.summary?.codeCells);
    const nb = JSON.parse(fs.readFileSync(source, 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
    const drawsCharts = nb.cells.some(
      (cell) => cell.cell_type === 'code' && PLOT_HELPER.test(Array.isArray(cell.source) ? cell.source.join('') : cell.source),
    );
    if (drawsCharts) expect(run.summary?.mimeTypes).toContain(PLOTLY_MIME);
  }, 20 * 60 * 1000);
});
