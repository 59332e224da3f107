/**
 * Quizzes: an exercise whose export returns an object of answers, each case one question
 * (choice, choices, number, text), graded by the same judge, check() and gradeSubmission.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidSpecError, check, gradeSubmission, withHiddenCases } from '../../src/grading';
import type { ExerciseSpec, GradingCase, QuizQuestion } from '../../src/grading';
import { judge, normalizeTextAnswer } from '../../src/grading/judge';
import type { CallOutcome } from '../../src/grading/outcome';
import { validateExercise } from '../../src/grading/validate';
import { tempDir } from './helpers';

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
