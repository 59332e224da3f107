/** Specs are checked before anything runs: a wrong spec is the instructor's error, not a learner's zero. */
import { InvalidSpecError } from './errors';
import type { ExerciseSpec, GradingCase, QuizQuestion } from './spec';

const ID = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)$/;

export function validateExercise(spec: ExerciseSpec, where: string): void {
  const fail = (problem: string): never => {
    throw new InvalidSpecError(`${where}, exercise ${spec.id}`, problem);
  };
  if (!ID.test(spec.id)) fail(`the id must be N.M, e.g. "1.2"`);
  if (!(spec.points > 0)) fail('points must be a positive number');
  if (!/^[\w.-]+\/[\w.-]+\.ts$/.test(spec.file)) fail(`file must be lesson-folder/name.ts, got ${JSON.stringify(spec.file)}`);
  if (!Array.isArray(spec.exports) || spec.exports.length === 0 || !spec.exports.every((e) => /^[A-Za-z_$][\w$]*$/.test(e))) {
    fail('exports must list the graded function names');
  }
  if (spec.cases.length === 0) fail('an exercise needs at least one case');
  spec.cases.forEach((c, i) => validateCase(c, spec, `${where}, exercise ${spec.id}, case ${i + 1}`));
  const seen = new Map<string, number>();
  spec.cases.forEach((c, i) => {
    if (!c.question) return;
    const first = seen.get(c.question.id);
    if (first !== undefined) fail(`cases ${first + 1} and ${i + 1} are both question ${c.question.id}: give each question its own id (a hidden-tests file may check an answer again)`);
    seen.set(c.question.id, i);
  });
}

/** A quiz question the grader can judge: an id that names a field, and a right answer its kind can have. */
function validateQuestion(question: QuizQuestion, fail: (problem: string) => never): void {
  if (question === null || typeof question !== 'object') fail('question must be an object { id, kind, … }');
  if (typeof question.id !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(question.id)) fail(`question.id must name a field of the answers, such as "q1", got ${JSON.stringify(question.id)}`);
  const options = (question as { options?: unknown }).options;
  const checkOptions = (): readonly string[] => {
    if (!Array.isArray(options) || options.length < 2 || !options.every((o) => typeof o === 'string' && o !== '') || new Set(options).size !== options.length) {
      fail(`question ${question.id}: options must be at least two different non-empty strings, such as ["a", "b", "c", "d"]`);
    }
    return options as readonly string[];
  };
  switch (question.kind) {
    case 'choice':
      if (!checkOptions().includes(question.answer)) fail(`question ${question.id}: the answer ${JSON.stringify(question.answer)} is not one of its options ${JSON.stringify(options)}`);
      return;
    case 'choices': {
      const allowed = checkOptions();
      if (!Array.isArray(question.answer) || question.answer.length === 0) fail(`question ${question.id}: answer must list the right options (at least one)`);
      const stray = question.answer.find((a) => !allowed.includes(a));
      if (stray !== undefined) fail(`question ${question.id}: the answer ${JSON.stringify(stray)} is not one of its options ${JSON.stringify(options)}`);
      if (new Set(question.answer).size !== question.answer.length) fail(`question ${question.id}: the answer lists an option twice`);
      return;
    }
    case 'number':
      if (typeof question.answer !== 'number' || !Number.isFinite(question.answer)) fail(`question ${question.id}: answer must be a finite number`);
      return;
    case 'text':
      if (!Array.isArray(question.accepted) || question.accepted.length === 0 || !question.accepted.every((a) => typeof a === 'string' && a.trim() !== '')) {
        fail(`question ${question.id}: accepted must list the answers that count as right (non-empty strings)`);
      }
      return;
    default:
      fail(`question ${(question as { id: string }).id}: kind must be 'choice', 'choices', 'number' or 'text', got ${JSON.stringify((question as { kind: unknown }).kind)}`);
  }
}

export function validateCase(testCase: GradingCase, spec: ExerciseSpec, where: string): void {
  const fail = (problem: string): never => {
    throw new InvalidSpecError(where, problem);
  };
  if (testCase === null || typeof testCase !== 'object') fail('a case must be an object');
  if (!Array.isArray(testCase.args)) fail('args must be an array of arguments');
  const kinds = [testCase.expected !== undefined, testCase.throws !== undefined, testCase.property !== undefined, testCase.question !== undefined].filter(Boolean).length;
  if (kinds !== 1) fail('give exactly one of expected, throws, property, question');
  if (testCase.question !== undefined) {
    validateQuestion(testCase.question, fail);
    const { id, kind } = testCase.question;
    if (spec.exports.includes(id)) fail(`question ${id} has the name of an export: name the answers object (${spec.exports.join(', ')}) and its questions differently`);
    if (testCase.tolerance !== undefined && kind !== 'number') fail(`question ${id}: tolerance applies to a number question only, and this one is ${kind}`);
  }
  if (testCase.property !== undefined && typeof testCase.property !== 'function') fail('property must be a function (output, args) => problem | undefined');
  if (testCase.throws !== undefined && typeof testCase.throws !== 'string') fail('throws must be an error name such as "RangeError"');
  if (typeof testCase.hint !== 'string' || testCase.hint.trim() === '') fail('every case needs a hint: what to look at when it fails');
  if (testCase.weight !== undefined && !(testCase.weight > 0)) fail('weight must be a positive number');
  if (testCase.tolerance !== undefined && !(testCase.tolerance >= 0)) fail('tolerance must be a number ≥ 0');
  if (testCase.call !== undefined && !spec.exports.includes(testCase.call)) fail(`call ${JSON.stringify(testCase.call)} is not one of the exports ${spec.exports.join(', ')}`);
  try {
    JSON.stringify(testCase.args);
  } catch {
    fail('args must be JSON values (they are sent to the submission\'s process)');
  }
}
