/**
 * Quizzes: an exercise whose export is an object of answers (a constant, or a function that
 * returns it), each case one question (choice, choices, number, text), graded by the same
 * judge, check(), gradeSubmission, reports and CLI as the function exercises.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordingSink, withDisplaySink } from '../../src';
import { InvalidSpecError, check, gradeSubmission, markdownReport, scoresCsv, withHiddenCases, writeReports } from '../../src/grading';
import type { ExerciseSpec, GradingCase, QuizQuestion } from '../../src/grading';
import { judge, normalizeTextAnswer } from '../../src/grading/judge';
import type { CallOutcome } from '../../src/grading/outcome';
import { validateExercise } from '../../src/grading/validate';
import { requireBuiltCli, runCli } from '../helpers/cli';
import { exampleHiddenDir, root, solutionsDir, tempDir } from './helpers';

const returned = (value: unknown): CallOutcome => ({ kind: 'returned', value, timeMs: 0 });
const ask = (question: QuizQuestion, extra: Partial<GradingCase> = {}): GradingCase => ({ args: [], question, hint: 'see the lesson', ...extra });
const choice: QuizQuestion = { id: 'q1', kind: 'choice', options: ['a', 'b', 'c', 'd'], answer: 'b' };
const choices: QuizQuestion = { id: 'q2', kind: 'choices', options: ['a', 'b', 'c', 'd'], answer: ['a', 'c'] };
const number: QuizQuestion = { id: 'q3', kind: 'number', answer: 16 };
const text: QuizQuestion = { id: 'q4', kind: 'text', accepted: ['perplexity', 'the perplexity'] };

describe('judging a quiz answer', () => {
  it.each<[string, GradingCase, unknown, boolean, RegExp | null]>([
    ['the right option', ask(choice), { q1: 'b' }, true, null],
    ['another option', ask(choice), { q1: 'c' }, false, /q1: 'c' is not the right option/],
    ['not an option at all', ask(choice), { q1: 'e' }, false, /q1: "e" is not one of the options 'a', 'b', 'c', 'd'/],
    ['no answer yet', ask(choice), { q2: ['a'] }, false, /no answer to q1 yet/],
    ['not an object of answers', ask(choice), 'b', false, /expected an object of answers such as \{ q1: … \}/],
    ['the right options, in any order', ask(choices), { q2: ['c', 'a'] }, true, null],
    ['one option short', ask(choices), { q2: ['a'] }, false, /not the right set of options/],
    ['one option too many', ask(choices), { q2: ['a', 'b', 'c'] }, false, null],
    ['an option twice', ask(choices), { q2: ['a', 'a', 'c'] }, false, /listed twice/],
    ['a single option where a list is wanted', ask(choices), { q2: 'a' }, false, /give a list of options/],
    ['the number', ask(number), { q3: 16 }, true, null],
    ['a number within the tolerance', ask(number, { tolerance: 0.05 }), { q3: 15.5 }, true, null],
    ['a number outside it', ask(number, { tolerance: 0.01 }), { q3: 15 }, false, /15 is not the right number/],
    ['text for a number', ask(number), { q3: '16' }, false, /give a number/],
    ['text, any case and spacing', ask(text), { q4: '  The   Perplexity ' }, true, null],
    ['other text', ask(text), { q4: 'entropy' }, false, /'entropy' is not the answer/],
    ['a number for a choice', ask(choice), { q1: 2 }, false, /q1: 2 is not one of the options 'a', 'b', 'c', 'd'/],
    ['a list for a choice', ask(choice), { q1: ['b'] }, false, /q1: \["b"\] is not one of the options/],
    ['a stray option in a set', ask(choices), { q2: ['a', 'z'] }, false, /q2: "z" is not one of the options/],
    ['a list for a text answer', ask(text), { q4: ['perplexity'] }, false, /q4: give a word or a short phrase, got \["perplexity"\]/],
    ['NaN for a number', ask(number), { q3: NaN }, false, /q3: give a number, got NaN/],
    ['a list of answers instead of an object', ask(choice), ['b'], false, /expected an object of answers/],
  ])('%s', (_, testCase, answers, passed, message) => {
    const verdict = judge(testCase, returned(answers));
    expect(verdict.passed).toBe(passed);
    if (message !== null) expect(verdict.message).toMatch(message);
  });

  it("never shows a hidden question's answer", () => {
    const verdict = judge(ask(choice, { visibility: 'hidden' }), returned({ q1: 'c' }));
    expect(verdict).toEqual({ passed: false, message: 'hidden case failed: the answer is not the expected one' });
  });

  it('compares text answers by their words, not their spacing or case', () => {
    expect(normalizeTextAnswer('  Next-Token   PREDICTION ')).toBe('next-token prediction');
  });
});

describe('quiz specs', () => {
  const spec = (question: unknown): ExerciseSpec => ({
    id: '10.9',
    title: 'a quiz',
    points: 4,
    file: '10-review/quiz.ts',
    exports: ['quiz'],
    cases: [{ args: [], question: question as QuizQuestion, hint: 'h' }],
  });
  it.each<[string, unknown, RegExp]>([
    ['a right answer that is not an option', { id: 'q1', kind: 'choice', options: ['a', 'b'], answer: 'c' }, /the answer "c" is not one of its options/],
    ['one option', { id: 'q1', kind: 'choice', options: ['a'], answer: 'a' }, /at least two different non-empty strings/],
    ['an empty set of right options', { id: 'q1', kind: 'choices', options: ['a', 'b'], answer: [] }, /list the right options/],
    ['a number that is not one', { id: 'q1', kind: 'number', answer: NaN }, /finite number/],
    ['no accepted text', { id: 'q1', kind: 'text', accepted: [] }, /accepted must list/],
    ['an id that is no field name', { id: 'q 1', kind: 'text', accepted: ['x'] }, /question.id must name a field/],
    ['an unknown kind', { id: 'q1', kind: 'essay' }, /kind must be 'choice', 'choices', 'number' or 'text'/],
  ])('rejects %s', (_, question, message) => {
    expect(() => validateExercise(spec(question), 'test')).toThrow(InvalidSpecError);
    expect(() => validateExercise(spec(question), 'test')).toThrow(message);
  });
  it.each<[string, GradingCase[], RegExp]>([
    ['the same question twice', [ask(choice), ask(choice)], /cases 1 and 2 are both question q1: give each question its own id/],
    ['a question named like the export', [ask({ id: 'quiz', kind: 'number', answer: 1 })], /question quiz has the name of an export/],
    ['a tolerance on a choice question', [ask(choice, { tolerance: 0.1 })], /question q1: tolerance applies to a number question only, and this one is choice/],
  ])('rejects %s', (_, cases, message) => {
    expect(() => validateExercise({ ...spec(choice), cases }, 'test')).toThrow(message);
  });
  it('rejects a hidden question that cannot be right, naming the file', () => {
    const hiddenDir = tempDir('quiz-bad-hidden');
    fs.writeFileSync(path.join(hiddenDir, 'quiz.json'), JSON.stringify({ exercises: [{ id: '10.9', cases: [{ args: [], question: { id: 'q7', kind: 'choice', options: ['a', 'b'], answer: 'e' }, hint: 'h' }] }] }));
    expect(() => withHiddenCases([spec(choice)], hiddenDir)).toThrow(/quiz\.json, exercise 10\.9, case 1: question q7: the answer "e" is not one of its options \["a","b"\]/);
  });
  it('rejects a question beside an expected value', () => {
    const both = { ...spec(choice), cases: [{ args: [], question: choice, expected: 'b', hint: 'h' }] };
    expect(() => validateExercise(both, 'test')).toThrow(/exactly one of expected, throws, property, question/);
  });
});

describe('a quiz, graded end to end', () => {
  const quiz: ExerciseSpec = {
    id: '10.9',
    title: 'a small quiz',
    points: 4,
    file: '10-review/quiz.ts',
    exports: ['quiz'],
    cases: [ask(choice), ask(choices), ask(number, { tolerance: 0.01 })],
  };
  const answersFile = (answers: string) => {
    const dir = tempDir('quiz');
    fs.mkdirSync(path.join(dir, '10-review'), { recursive: true });
    fs.writeFileSync(path.join(dir, '10-review', 'quiz.ts'), `export function quiz(): Record<string, unknown> {\n  return ${answers};\n}\n`);
    return dir;
  };

  it('in the notebook: check() shows each question, and takes the answers function itself', async () => {
    const result = await check('10.9', () => ({ q1: 'b', q2: ['a', 'd'], q3: 16 }), { show: false, exercises: [quiz] });
    expect(result.cases.map((c) => [c.name, c.passed])).toEqual([
      ['question q1', true],
      ['question q2', false],
      ['question q3', true],
    ]);
  });

  it('in CI: an untrusted submission graded in the sandbox, with a hidden question from the instructor', async () => {
    const hiddenDir = tempDir('quiz-hidden');
    fs.writeFileSync(path.join(hiddenDir, 'quiz.json'), JSON.stringify({ exercises: [{ id: '10.9', cases: [{ args: [], question: text, hint: 'lesson 08' }] }] }));
    const withHidden = withHiddenCases([quiz], hiddenDir);
    const right = await gradeSubmission({ submission: answersFile("{ q1: 'b', q2: ['c', 'a'], q3: 16.1, q4: 'Perplexity' }"), exercises: withHidden });
    expect(right.points).toBe(4);
    const wrong = await gradeSubmission({ submission: answersFile("{ q1: 'a', q2: ['c', 'a'], q3: 16, q4: 'entropy' }"), exercises: withHidden });
    expect(wrong.points).toBe(2);
    const hidden = wrong.exercises[0]!.cases.find((c) => c.visibility === 'hidden')!;
    expect(hidden).toMatchObject({ name: 'hidden case 1', passed: false });
    expect(hidden.message).not.toMatch(/perplexity/);
  }, 60_000);
});

describe('a quiz answered as data', () => {
  const quiz: ExerciseSpec = {
    id: '10.9',
    title: 'a small quiz',
    points: 3,
    file: '10-review/quiz.ts',
    exports: ['quiz'],
    cases: [ask(choice, { hint: 'lesson 03' }), ask(choices), ask(number, { tolerance: 0.01 })],
  };
  /** A learner's folder holding `10-review/quiz.ts` with this source. */
  const submission = (source: string) => {
    const dir = tempDir('quiz-data');
    fs.mkdirSync(path.join(dir, '10-review'), { recursive: true });
    fs.writeFileSync(path.join(dir, '10-review', 'quiz.ts'), source);
    return dir;
  };
  const verdicts = (report: Awaited<ReturnType<typeof gradeSubmission>>) => report.exercises[0]!.cases.map((c) => [c.name, c.passed, c.message]);

  it('in the notebook: check() takes the answers object itself, or written in place, and shows a table with hints', async () => {
    const answers = { q1: 'b', q2: ['c', 'a'], q3: 16 };
    expect((await check('10.9', answers, { show: false, exercises: [quiz] })).points).toBe(3);
    expect((await check('10.9', { quiz: answers }, { show: false, exercises: [quiz] })).points).toBe(3);
    const sink = new RecordingSink();
    const result = await withDisplaySink(sink, () => check('10.9', { q1: 'e', q2: ['a', 'c'] }, { exercises: [quiz] }));
    expect(result.cases.map((c) => [c.name, c.passed])).toEqual([
      ['question q1', false],
      ['question q2', true],
      ['question q3', false],
    ]);
    const shown = String(sink.last()['text/plain']);
    expect(shown).toMatch(/Exercise 10\.9 — a small quiz: 1\/3 cases, 1\/3 points/);
    expect(shown).toMatch(/question q1 .*✗ failed .*q1: "e" is not one of the options 'a', 'b', 'c', 'd' .*lesson 03/);
    expect(shown).toMatch(/question q3 .*no answer to q3 yet/);
  });

  it('in CI: a constant of answers is read in the sandbox, never called; unanswered questions score nothing', async () => {
    const right = await gradeSubmission({ submission: submission("export const quiz = { q1: 'b', q2: ['a', 'c'], q3: 16 };\n"), exercises: [quiz] });
    expect(right.points).toBe(3);
    const typed = "type Letter = 'a' | 'b' | 'c' | 'd';\nexport const quiz: { q1?: Letter; q2?: Letter[]; q3?: number } = {\n  q1: 'c',\n};\n";
    const partly = await gradeSubmission({ submission: submission(typed), exercises: [quiz] });
    expect(verdicts(partly)).toEqual([
      ['question q1', false, "q1: 'c' is not the right option"],
      ['question q2', false, 'no answer to q2 yet'],
      ['question q3', false, 'no answer to q3 yet'],
    ]);
    expect(partly.points).toBe(0);
  }, 60_000);

  it('says what to export when the answers are missing or named otherwise, and when they are not data', async () => {
    const misnamed = await gradeSubmission({ submission: submission("export const answers = { q1: 'b' };\n"), exercises: [quiz] });
    expect(misnamed.exercises[0]!.cases[0]!.message).toBe('the file does not export your answers as quiz: write `export const quiz = { … }`');
    const wrongType = await gradeSubmission({ submission: submission("export const quiz: { q1: string } = { q1: 2 };\n"), exercises: [quiz] });
    expect(wrongType.exercises[0]!.problem).toMatch(/does not compile: .*quiz\.ts:1:.*error TS2322/);
    const notAnObject = await gradeSubmission({ submission: submission("export const quiz = 'b';\n"), exercises: [quiz] });
    expect(notAnObject.exercises[0]!.cases[0]!.message).toMatch(/expected an object of answers such as \{ q1: … \}, got "b"/);
  }, 60_000);

  it('importing a quiz file stays sandboxed: it may not read the disk', async () => {
    const snooping = "import * as fs from 'fs';\nexport const quiz = { q1: fs.readFileSync('/etc/hostname', 'utf8') };\n";
    const report = await gradeSubmission({ submission: submission(snooping), exercises: [quiz] });
    expect(report.points).toBe(0);
    expect(report.exercises[0]!.cases[0]!.message).toMatch(/the file threw while loading: Error: Access to this API has been restricted/);
  }, 60_000);

  it('in a notebook submission: a cell of answers, found by its marker, exported by the grader', async () => {
    const file = path.join(tempDir('quiz-notebook'), 'learner.ipynb');
    const cell = "// Exercise 10.9\nconst quiz = {\n  q1: 'b',\n  q2: ['a', 'c'],\n  q3: 15,\n};\n";
    const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: {}, source: [cell], outputs: [], execution_count: null }] };
    fs.writeFileSync(file, JSON.stringify(notebook));
    const report = await gradeSubmission({ submission: file, exercises: [quiz] });
    expect(verdicts(report).map(([name, passed]) => [name, passed])).toEqual([
      ['question q1', true],
      ['question q2', true],
      ['question q3', false],
    ]);
  }, 60_000);

  it('reports show questions like cases: grade.json, JUnit, Markdown, scores.csv; a hidden question without its answer', async () => {
    const hiddenDir = tempDir('quiz-hidden');
    fs.writeFileSync(path.join(hiddenDir, 'quiz.json'), JSON.stringify({ exercises: [{ id: '10.9', cases: [{ args: [], question: text, hint: 'lesson 08' }] }] }));
    const specs = withHiddenCases([quiz], hiddenDir);
    const report = await gradeSubmission({ submission: submission("export const quiz = { q1: 'a', q2: ['a', 'c'], q3: 16, q4: 'entropy' };\n"), exercises: specs, learner: 'ada' });
    expect(report.points).toBe(1.5);
    const out = tempDir('quiz-reports');
    await writeReports(report, out);
    const json = fs.readFileSync(path.join(out, 'grade.json'), 'utf8');
    const xml = fs.readFileSync(path.join(out, 'junit.xml'), 'utf8');
    const markdown = markdownReport(report);
    expect(JSON.parse(json).exercises[0].cases.map((c: { name: string }) => c.name)).toEqual(['question q1', 'question q2', 'question q3', 'hidden case 1']);
    expect(xml).toMatch(/<testcase [^>]*name="question q1 \(0\/0\.75 points\)"/);
    expect(xml).toContain('q1: &apos;a&apos; is not the right option');
    expect(markdown).toContain("| 10.9 | question q1 | q1: 'a' is not the right option | lesson 03 |");
    expect(markdown).toContain('| 10.9 | hidden case 1 | hidden case failed: the answer is not the expected one | lesson 08 |');
    for (const shown of [json, xml, markdown]) expect(shown).not.toMatch(/perplexity/i);
    expect(scoresCsv([report])).toBe('learner,exercise,points,max_points\r\nada,10.9,1.5,3\r\nada,total,1.5,3\r\n');
  }, 60_000);
});

describe('a quiz through the CLI', () => {
  beforeAll(requireBuiltCli);

  it('llm-lab check shows the questions of the course quiz, and llm-lab grade grades answers written as a constant, hidden questions included', () => {
    const checked = runCli(['check', '10.1', '--exercises', solutionsDir]);
    expect(checked.status).toBe(0);
    expect(checked.stdout).toMatch(/Exercise 10\.1 — the quiz: 6\/6 cases, 10\/10 points/);
    const learner = path.join(tempDir('quiz-cli'), 'ada');
    fs.mkdirSync(path.join(learner, 'exercises', '10-review'), { recursive: true });
    const solution = fs.readFileSync(path.join(solutionsDir, '10-review', 'quiz.ts'), 'utf8');
    const answers = /return (\{[\s\S]*?\});/.exec(solution)![1]!.replace("q8: 'RLHF'", "q8: 'supervised fine-tuning'");
    fs.writeFileSync(path.join(learner, 'exercises', '10-review', 'quiz.ts'), `export const quiz = ${answers};\n`);
    const out = tempDir('quiz-cli-out');
    const graded = runCli(['grade', learner, '--tests', exampleHiddenDir, '--out', out], { cwd: root });
    expect(graded.status).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'grade.json'), 'utf8')) as { exercises: { id: string; points: number; cases: { name: string; passed: boolean }[] }[] };
    const quiz = report.exercises.find((e) => e.id === '10.1')!;
    expect(quiz.cases.filter((c) => !c.passed).map((c) => c.name)).toEqual(['hidden case 2']); // q8, the one wrong answer
    expect(quiz.points).toBe(9);
  }, 120_000);
});
