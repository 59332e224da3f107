/**
 * Pass or fail: the grader compares what came of a call with what the case asks, in the
 * grader's own process. The message says what was expected and what came, for public cases;
 * a hidden case's message never shows its inputs or its expected value.
 */
import type { CallOutcome } from './outcome';
import type { GradingCase, QuizQuestion } from './spec';
import { describeValue } from './wire';

export const DEFAULT_TOLERANCE = 1e-9;

export interface Verdict {
  readonly passed: boolean;
  /** Empty when passed. */
  readonly message: string;
}

/** The stub's own error: the learner has not started this exercise. */
const STUB_MESSAGE = /^Exercise \d+\.\d+: replace this line/;

export function judge(testCase: GradingCase, outcome: CallOutcome): Verdict {
  const verdict = judgeOpenly(testCase, outcome);
  if (verdict.passed || testCase.visibility !== 'hidden') return verdict;
  return { passed: false, message: neutralMessage(outcome) };
}

function judgeOpenly(testCase: GradingCase, outcome: CallOutcome): Verdict {
  if (outcome.kind === 'failed') return fail(outcome.message);
  if (outcome.kind === 'threw' && outcome.isError && STUB_MESSAGE.test(outcome.message)) return fail(`not done yet: ${cut(outcome.message)}`);
  if (testCase.throws !== undefined) {
    if (outcome.kind === 'returned') return fail(`expected it to throw a ${testCase.throws}, but it returned ${describeValue(outcome.value)}`);
    if (!outcome.isError) return fail(`expected a ${testCase.throws}; it threw ${outcome.message}, which is not an Error`);
    if (outcome.name !== testCase.throws) return fail(`expected a ${testCase.throws}; it threw a ${outcome.name}: ${cut(outcome.message)}`);
    return pass;
  }
  if (outcome.kind === 'threw') return fail(thrownMessage(outcome));
  if (testCase.question) return judgeAnswer(testCase.question, outcome.value, testCase.tolerance ?? DEFAULT_TOLERANCE);
  if (testCase.property) {
    let problem: string | undefined;
    try {
      problem = testCase.property(outcome.value, testCase.args);
    } catch (error) {
      problem = `its answer ${describeValue(outcome.value)} could not be checked (${(error as Error).message})`;
    }
    return problem === undefined ? pass : fail(`${problem} (got ${describeValue(outcome.value)})`);
  }
  const tolerance = testCase.tolerance ?? DEFAULT_TOLERANCE;
  const difference = findDifference(outcome.value, testCase.expected, tolerance, '');
  if (difference === undefined) return pass;
  return fail(`expected ${describeValue(testCase.expected)}, got ${describeValue(outcome.value)}${difference ? ` (${difference})` : ''}`);
}

/** Lower case, no spaces at the ends, one space between words: how text answers are compared. */
export function normalizeTextAnswer(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A quiz answer against its question: the answers object must hold it, in the question's form. */
function judgeAnswer(question: QuizQuestion, answers: unknown, tolerance: number): Verdict {
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    return fail(`expected an object of answers such as { ${question.id}: … }, got ${describeValue(answers, 60)}`);
  }
  if (!Object.hasOwn(answers, question.id) || (answers as Record<string, unknown>)[question.id] === undefined) return fail(`no answer to ${question.id} yet`);
  const answer = (answers as Record<string, unknown>)[question.id];
  const options = 'options' in question ? question.options : [];
  const notAnOption = (a: unknown) => typeof a !== 'string' || !options.includes(a);
  switch (question.kind) {
    case 'choice':
      if (notAnOption(answer)) return fail(`${question.id}: ${describeValue(answer, 40)} is not one of the options ${options.map((o) => `'${o}'`).join(', ')}`);
      return answer === question.answer ? pass : fail(`${question.id}: '${String(answer)}' is not the right option`);
    case 'choices': {
      if (!Array.isArray(answer)) return fail(`${question.id}: give a list of options, such as ['${options[0] ?? 'a'}'], got ${describeValue(answer, 40)}`);
      const wrongItem = answer.find(notAnOption);
      if (wrongItem !== undefined) return fail(`${question.id}: ${describeValue(wrongItem, 40)} is not one of the options ${options.map((o) => `'${o}'`).join(', ')}`);
      if (new Set(answer).size !== answer.length) return fail(`${question.id}: an option is listed twice`);
      const right = new Set(question.answer);
      return answer.length === right.size && answer.every((a) => right.has(a as string)) ? pass : fail(`${question.id}: not the right set of options`);
    }
    case 'number': {
      if (typeof answer !== 'number' || !Number.isFinite(answer)) return fail(`${question.id}: give a number, got ${describeValue(answer, 40)}`);
      return findDifference(answer, question.answer, tolerance, '') === undefined ? pass : fail(`${question.id}: ${answer} is not the right number`);
    }
    case 'text': {
      if (typeof answer !== 'string') return fail(`${question.id}: give a word or a short phrase, got ${describeValue(answer, 40)}`);
      return question.accepted.some((a) => normalizeTextAnswer(a) === normalizeTextAnswer(answer)) ? pass : fail(`${question.id}: '${answer}' is not the answer`);
    }
  }
}

/** Where `actual` differs from `expected`: undefined when equal, '' when the difference is the whole value. */
export function findDifference(actual: unknown, expected: unknown, tolerance: number, at: string): string | undefined {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return at ? `${at} is ${describeValue(actual, 30)}, not a number` : '';
    if (Number.isNaN(expected)) return Number.isNaN(actual) ? undefined : at ? `${at} should be NaN` : '';
    if (actual === expected) return undefined;
    const close = Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
    return close ? undefined : at ? `${at} is ${actual}, expected ${expected}` : '';
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return at ? `${at} is not an array` : 'not an array';
    if (actual.length !== expected.length) return `${at || 'the array'} has ${actual.length} items, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const inner = findDifference(actual[i], expected[i], tolerance, `${at}[${i}]`);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof Map || actual instanceof Set) return at ? `${at} is not an object` : 'not an object';
    const keys = Object.keys(expected);
    const extra = Object.keys(actual).filter((k) => !Object.hasOwn(expected, k));
    if (extra.length > 0) return `${at || 'the object'} has unexpected keys ${extra.slice(0, 5).join(', ')}`;
    for (const key of keys) {
      const inner = findDifference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], tolerance, `${at}.${key}`);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : at ? `${at} is ${describeValue(actual, 30)}` : '';
}

function thrownMessage(outcome: Extract<CallOutcome, { kind: 'threw' }>): string {
  if (!outcome.isError) return `it threw ${outcome.message}, which is not an Error (throw new Error(…) instead)`;
  return `it threw ${outcome.name}: ${cut(outcome.message)}`;
}

/** A hidden case's failure: what kind of failure, never the inputs or the expected value. */
function neutralMessage(outcome: CallOutcome): string {
  if (outcome.kind === 'failed') return `hidden case failed: ${outcome.message}`;
  if (outcome.kind === 'threw') return outcome.isError && STUB_MESSAGE.test(outcome.message) ? 'hidden case failed: not done yet' : `hidden case failed: it threw ${outcome.isError ? outcome.name : 'a value that is not an Error'}`;
  return 'hidden case failed: the answer is not the expected one';
}

function cut(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const pass: Verdict = { passed: true, message: '' };
function fail(message: string): Verdict {
  return { passed: false, message };
}
