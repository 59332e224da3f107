/** The comparison the grader makes: numbers within tolerance, shapes exactly, errors by name. */
import { judge } from '../../src/grading/judge';
import type { CallOutcome } from '../../src/grading/outcome';
import type { GradingCase } from '../../src/grading/spec';
import { decodeValue } from '../../src/grading/wire';

const returned = (value: unknown): CallOutcome => ({ kind: 'returned', value, timeMs: 0 });
const threw = (name: string, isError = true): CallOutcome => ({ kind: 'threw', name, message: 'm', isError, timeMs: 0 });
const base = { args: [], hint: 'h' };

describe('judge', () => {
  it.each<[string, GradingCase, CallOutcome, boolean]>([
    ['equal numbers', { ...base, expected: 1 }, returned(1), true],
    ['within tolerance', { ...base, expected: 1, tolerance: 1e-6 }, returned(1 + 1e-7), true],
    ['outside tolerance', { ...base, expected: 1 }, returned(1.001), false],
    ['relative tolerance for large values', { ...base, expected: 1000 }, returned(1000 + 1e-7), true],
    ['NaN is not a number answer', { ...base, expected: [0.5] }, returned([NaN]), false],
    ['a longer array', { ...base, expected: [1] }, returned([1, 2]), false],
    ['a string for a number', { ...base, expected: 1 }, returned('1'), false],
    ['objects by keys', { ...base, expected: { a: 1 } }, returned({ a: 1 }), true],
    ['extra keys', { ...base, expected: { a: 1 } }, returned({ a: 1, b: 2 }), false],
    ['the expected error', { ...base, throws: 'RangeError' }, threw('RangeError'), true],
    ['another error', { ...base, throws: 'RangeError' }, threw('Error'), false],
    ['a thrown non-Error', { ...base, throws: 'RangeError' }, threw('RangeError', false), false],
    ['a property that holds', { ...base, property: () => undefined }, returned(1), true],
    ['a property that throws', { ...base, property: () => { throw new Error('x'); } }, returned(1), false],
  ])('%s', (_, testCase, outcome, passed) => {
    expect(judge(testCase, outcome).passed).toBe(passed);
  });

  it('keeps a hidden case\'s inputs and expected value out of its message', () => {
    const verdict = judge({ ...base, args: [[123]], expected: 456, visibility: 'hidden' }, returned(789));
    expect(verdict).toEqual({ passed: false, message: 'hidden case failed: the answer is not the expected one' });
  });
});

describe('decodeValue', () => {
  it.each([
    [{ $number: 'NaN' }, NaN],
    [[1, { $number: '-Infinity' }], [1, -Infinity]],
    [{ $object: { a: { $undefined: true } } }, { a: undefined }],
  ])('decodes %j', (encoded, value) => {
    expect(decodeValue(encoded)).toEqual(value);
  });

  it.each([[{ a: 1 }], [{ $object: [] }], [{ $number: 'x' }], [{ passed: true }]])('rejects %j', (encoded) => {
    expect(() => decodeValue(encoded)).toThrow(/could not be read/);
  });
});
