import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as notebook from '../../src/notebook';
import { RecordingSink, STATED_NUMBERS_ENV, YOUR_NUMBERS_ENV, courseNumbers, statedNumber, withDisplaySink, yourNumbers, yourNumbersFile } from '../../src/notebook';

/** What statedNumber showed, and whether it judged the number within tolerance (✓). */
function shown(run: () => void): { ok: boolean; text: string } {
  const sink = new RecordingSink();
  withDisplaySink(sink, run);
  const text = sink.last()['text/plain'] as string;
  return { ok: text.includes('(✓ '), text };
}

describe('statedNumber', () => {
  const saved = { quick: process.env['LLM_LAB_QUICK'], file: process.env[STATED_NUMBERS_ENV] };
  afterEach(() => {
    for (const [key, value] of [['LLM_LAB_QUICK', saved.quick], [STATED_NUMBERS_ENV, saved.file]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('at full size, judges the measurement against the stated number and its tolerance', () => {
    delete process.env['LLM_LAB_QUICK'];
    expect(shown(() => statedNumber({ name: 'val loss', measured: 1.87, stated: 1.85, tolerance: 0.05, unit: 'nats' }))).toEqual({
      ok: true,
      text: 'val loss: 1.870 nats (✓ the lesson says 1.850 ± 0.050 nats)',
    });
    const off = shown(() => statedNumber({ name: 'val loss', measured: 2.0, stated: 1.85, tolerance: 0.05 }));
    expect(off.ok).toBe(false);
    expect(off.text).toMatch(/^val loss: 2\.000 \(✗ the lesson says 1\.850 ± 0\.050: this run is off/);
    expect(shown(() => statedNumber({ name: 'x', measured: NaN, stated: 1, tolerance: 10 })).ok).toBe(false);
  });

  it('in quick mode, says the stated number is for the full-size run instead of judging', () => {
    process.env['LLM_LAB_QUICK'] = '1';
    expect(shown(() => statedNumber({ name: 'val loss', measured: 3.1, stated: 1.85, tolerance: 0.05 })).text).toBe(
      "val loss: 3.100 (quick mode: the lesson's 1.850 ± 0.050 holds for the full-size run)",
    );
  });

  it('appends one JSON line per stated number to the file LLM_LAB_STATED_NUMBERS names', () => {
    delete process.env['LLM_LAB_QUICK'];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-stated-')), 'stated.jsonl');
    process.env[STATED_NUMBERS_ENV] = file;
    withDisplaySink(new RecordingSink(), () => {
      statedNumber({ name: 'a', measured: 1, stated: 1, tolerance: 0 });
      statedNumber({ name: 'b', measured: 3, stated: 1, tolerance: 1, unit: '%' });
    });
    expect(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { name: 'a', measured: 1, stated: 1, tolerance: 0, quick: false, withinTolerance: true },
      { name: 'b', measured: 3, stated: 1, tolerance: 1, unit: '%', quick: false, withinTolerance: false },
    ]);
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it("remembers each full-size measurement for the learner, the latest of each name, and nothing in quick mode", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-yours-'));
    const file = path.join(dir, 'runs', 'your-numbers.jsonl');
    process.env[YOUR_NUMBERS_ENV] = file;
    try {
      delete process.env['LLM_LAB_QUICK'];
      withDisplaySink(new RecordingSink(), () => {
        statedNumber({ name: 'val loss', measured: 1.9, stated: 1.85, tolerance: 0.1 });
        statedNumber({ name: 'val loss', measured: 1.87, stated: 1.85, tolerance: 0.1 });
        statedNumber({ name: 'never measured', measured: NaN, stated: 1, tolerance: 0 });
      });
      process.env['LLM_LAB_QUICK'] = '1';
      withDisplaySink(new RecordingSink(), () => statedNumber({ name: 'val loss', measured: 3.5, stated: 1.85, tolerance: 0.1 }));
      fs.appendFileSync(file, '{"name": "cut sh');
      const yours = yourNumbers();
      expect([...yours.keys()]).toEqual(['val loss']);
      expect(yours.get('val loss')).toMatchObject({ measured: 1.87, quick: false, withinTolerance: true, measuredAt: expect.any(String) });
    } finally {
      delete process.env[YOUR_NUMBERS_ENV];
      fs.rmSync(dir, { recursive: true });
    }
  });

  it("keeps the learner's numbers in runs/ of the project unless told otherwise, and none when turned off", () => {
    delete process.env[YOUR_NUMBERS_ENV];
    expect(yourNumbersFile()).toBe(path.resolve(__dirname, '..', '..', 'runs', 'your-numbers.jsonl'));
    process.env[YOUR_NUMBERS_ENV] = '';
    expect(yourNumbersFile()).toBeUndefined();
    expect(yourNumbers().size).toBe(0);
    expect(notebook.yourNumbers(path.join(os.tmpdir(), 'no-such-file.jsonl')).size).toBe(0);
    delete process.env[YOUR_NUMBERS_ENV];
  });

  it('rejects a stated number that cannot be checked', () => {
    expect(() => statedNumber({ name: 'x', measured: 1, stated: NaN, tolerance: 1 })).toThrow(/stated must be a finite number/);
    expect(() => statedNumber({ name: 'x', measured: 1, stated: 1, tolerance: -1 })).toThrow(/tolerance must be ≥ 0/);
    expect(() => statedNumber({ name: ' ', measured: 1, stated: 1, tolerance: 1 })).toThrow(/give the number a name/);
  });
});

describe('courseNumbers', () => {
  it("reads every lesson's stated numbers from the course's full-size run, by lesson and name", () => {
    const numbers = courseNumbers();
    const lessons = new Set(numbers.map((n) => n.lesson));
    expect(lessons).toContain('07-does-pretraining-matter');
    const base = numbers.find((n) => n.lesson === '07-does-pretraining-matter' && n.name === 'perplexity of the base model')!;
    expect(base.measured).toBeGreaterThan(1);
    expect(Math.abs(base.measured - base.stated) <= base.tolerance).toBe(base.withinTolerance);
  });
  it('says how to make the file when it is missing', () => {
    expect(() => courseNumbers(path.join(os.tmpdir(), 'no-such-lessons-full.json'))).toThrow(/Make it with `npm run lessons:full`/);
  });
});
