/** check() in a notebook: in-process with the learner's functions, or sandboxed on exercises/. */
import { RecordingSink, check, withDisplaySink } from '../../src';
import { softmax } from '../../solutions/01-next-token-prediction/softmax';
import { solutionsDir } from './helpers';

describe('check()', () => {
  it('runs the public cases on a function from a notebook cell and shows a table', async () => {
    const sink = new RecordingSink();
    const result = await withDisplaySink(sink, () => check('1.1', { softmax }));
    expect(result.points).toBe(10);
    expect(String(sink.last()['text/plain'])).toMatch(/Exercise 1\.1 — softmax: 5\/5 cases, 10\/10 points/);
    expect(String(sink.last()['text/html'])).toContain('<table');
  });

  it('takes the function itself when the exercise checks one (a notebook cannot always write { softmax })', async () => {
    const result = await check('1.1', softmax, { show: false });
    expect(result.points).toBe(10);
  });

  it('asks for functions by name when an exercise checks several', async () => {
    const { onlyExport } = await import('../../src/grading/check');
    expect(() => onlyExport('7.1', ['encode', 'decode'], () => 0)).toThrow("Exercise 7.1 checks 2 functions (encode, decode): pass them by name, check('7.1', { encode: encode, decode: decode }).");
    expect(onlyExport('7.2', ['encode'], Math.abs)).toEqual({ encode: Math.abs });
  });

  it('shows each failure with what happened and a hint', async () => {
    const naive = (logits: number[]) => logits.map((x) => Math.exp(x) / logits.reduce((s, y) => s + Math.exp(y), 0));
    const result = await check('1.1', { softmax: naive }, { show: false });
    const failed = result.cases.filter((c) => !c.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ name: 'softmax([1000,1000])', message: 'expected [0.5,0.5], got [NaN,NaN] ([0] is NaN, expected 0.5)' });
    expect(failed[0]!.hint).toMatch(/subtract the largest logit/);
  });

  it('says which function is missing, and which exercise ids exist', async () => {
    const result = await check('1.2', {}, { show: false });
    expect(result.cases[0]!.message).toMatch(/no function crossEntropy was given: pass it as check\(id, crossEntropy\), or by name, check\(id, \{ crossEntropy: crossEntropy \}\)/);
    await expect(check('9.9')).rejects.toThrow(/there is no exercise "9\.9"; the exercises are 1\.1, 1\.2, 1\.3/);
  });

  it('grades the file in exercises/ when no function is given', async () => {
    const result = await check('1.3', undefined, { exercisesDir: solutionsDir, show: false });
    expect(result.points).toBe(10);
  });
});
