/** A notebook with the exercise cells filled in is graded like the same code in files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gradeSubmission } from '../../src/grading';
import { notebookLesson } from '../../src/grading/grade';
import { extractExercises } from '../../src/lessons';
import { root, tempDir } from './helpers';

const lessonFile = path.join(root, 'lessons', '01-next-token-prediction.md');
const exercises = extractExercises(fs.readFileSync(lessonFile, 'utf8'), lessonFile);

/** A learner's copy of lesson 01's notebook (its metadata names the lesson it was built from), with these cells. */
function notebookWith(cells: { source: string; metadata?: object }[], metadata: object = { llm_lab: { source: 'lessons/01-next-token-prediction.md' } }): string {
  const file = path.join(tempDir('notebook'), 'learner.ipynb');
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Lesson 01'] },
      ...cells.map((c) => ({ cell_type: 'code', metadata: c.metadata ?? {}, source: c.source.split(/(?<=\n)/), outputs: [], execution_count: null })),
    ],
  };
  fs.writeFileSync(file, JSON.stringify(notebook));
  return file;
}

describe('notebook submissions', () => {
  it('grades tagged cells holding the lesson\'s solutions: full marks, as the solution files', async () => {
    const file = notebookWith(exercises.map((e) => ({ source: e.solution.replace(/^ *\/\/ (BEGIN|END) SOLUTION\n/gm, ''), metadata: { tags: ['exercise'], llm_lab: { exercise: e.id } } })));
    const report = await gradeSubmission({ submission: file });
    expect(report.learner).toBe('learner');
    expect(report.points).toBe(report.maxPoints);
  });

  it('finds cells by a first-line marker, and a compile error is mapped to the cell and line', async () => {
    const file = notebookWith([
      { source: `// Exercise 1.1\n${exercises[0]!.solution}` },
      { source: '// Exercise 1.2\nfunction crossEntropy(logits: number[], target: number): number {\n  return logits.lenght + target;\n}' },
    ]);
    const report = await gradeSubmission({ submission: file });
    expect(report.exercises.map((e) => e.points)).toEqual([10, 0, ...exercises.slice(2).map(() => 0)]);
    expect(report.exercises[1]!.problem).toMatch(/learner\.ipynb, cell 3 \(exercise 1\.2\), line 3:17: error TS2551/);
    expect(report.exercises[2]!.problem).toMatch(/no cell for exercise 1\.3/);
  });

  it('grades the exercises of the notebook\'s own lesson: from its metadata, else its file name', async () => {
    const lessonIds = exercises.map((e) => e.id);
    const built = await gradeSubmission({ submission: notebookWith([]) });
    expect(built.exercises.map((e) => e.id)).toEqual(lessonIds);
    const named = path.join(tempDir('notebook'), '01-my-copy.ipynb');
    fs.copyFileSync(notebookWith([], {}), named);
    expect(notebookLesson(named)).toBe('01');
    expect(notebookLesson(notebookWith([], {}))).toBeUndefined(); // learner.ipynb, no metadata: every exercise
    expect(notebookLesson(path.join(root, 'notebooks', '02-inside-a-gpt.ipynb'))).toBe('02');
  });

  it('grades the notebook as built (the learner\'s version) with zero', async () => {
    const report = await gradeSubmission({ submission: path.join(root, 'notebooks', '01-next-token-prediction.ipynb') });
    expect(report.points).toBe(0);
    expect(report.exercises.every((e) => e.problem === undefined)).toBe(true);
  });
});
