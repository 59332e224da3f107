/**
 * Every lesson notebook as a learner who solved every exercise runs it: each exercise cell
 * holds the lesson's reference solution (its markers and the "replace this line" throw
 * removed), the notebook runs from top to bottom on the LLM Lab kernel without an error, and
 * every exercise's check reports that the cells below use the learner's function. The
 * notebooks as built (the stubs) run in execute.test.ts; this is the other path through the
 * same cells, the one that uses what the learner wrote.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BEGIN_SOLUTION, END_SOLUTION, buildLesson } from '../../src/lessons';
import { RESULTS_DIR, ROOT, describeFailures, executeNotebook, inCI, progress, projectTempDir, pythonMissingReason, setupForTests } from './harness';

const LESSONS_DIR = path.join(ROOT, 'lessons');
const solvedLessons = fs
  .readdirSync(LESSONS_DIR)
  .filter((name) => /^\d\d-.*\.md$/.test(name))
  .sort()
  .map((name) => ({ name, lesson: buildLesson(fs.readFileSync(path.join(LESSONS_DIR, name), 'utf8'), `lessons/${name}`) }))
  .filter(({ lesson }) => lesson.exercises.length > 0);

/** The solution as a learner would leave it: no markers, no stub line. */
function solved(solution: string, id: string): string {
  const stub = new RegExp(`^\\s*throw new Error\\(['"\`]Exercise ${id.replace('.', '\\.')}: replace this line`);
  return solution
    .split('\n')
    .filter((line) => line.trim() !== BEGIN_SOLUTION && line.trim() !== END_SOLUTION && !stub.test(line))
    .join('\n');
}

const missing = pythonMissingReason();
const describeWithPython = missing && !inCI ? describe.skip : describe;

describeWithPython('lesson notebooks with every exercise solved', () => {
  let dir = '';

  beforeAll(async () => {
    if (missing) throw new Error(`The notebook tests need Python (CI is set, so this is a failure):\n${missing}`);
    await setupForTests();
    dir = projectTempDir('solved');
  }, 20 * 60 * 1000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each(solvedLessons.map((l) => [l.name, l] as const))('%s runs on the learner\'s functions (LLM_LAB_QUICK=1)', async (_, { lesson }) => {
    const notebook = {
      ...lesson.notebook,
      cells: lesson.notebook.cells.map((cell) => {
        const id = cell.metadata.llm_lab?.exercise;
        const exercise = lesson.exercises.find((e) => e.id === id);
        return exercise ? { ...cell, source: solved(exercise.solution, exercise.id).split(/(?<=\n)/) } : cell;
      }),
    };
    const source = path.join(dir, lesson.notebookFile);
    fs.writeFileSync(source, JSON.stringify(notebook, null, 1));
    const executed = path.join(RESULTS_DIR, 'solved', lesson.notebookFile);
    progress(`running ${lesson.notebookFile} with the solutions`);
    const run = await executeNotebook(source, executed, { env: { LLM_LAB_QUICK: '1' } });

    expect(describeFailures(run)).toBe('');
    expect(run.code).toBe(0);
    const outputs = fs.readFileSync(executed, 'utf8');
    for (const exercise of lesson.exercises) {
      // The check's title line, "Exercise 1.1 — softmax: 5/5 cases, 10/10 points": every case passes.
      const title = outputs.match(new RegExp(`Exercise ${exercise.id.replace('.', '\\.')} — [^:]*: (\\d+)/(\\d+) cases`));
      expect(title).not.toBeNull();
      expect(title![1]).toBe(title![2]);
    }
    // Every yoursOrToolkit call chose the learner's function.
    const code = notebook.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    const choices = code.join('\n').match(/=\s*yoursOrToolkit\(/g) ?? [];
    expect(outputs.match(/passes: the cells below use your function\./g) ?? []).toHaveLength(choices.length);
    expect(outputs).not.toContain("use the toolkit's version until yours passes");
  }, 20 * 60 * 1000);
});
