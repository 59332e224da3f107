/**
 * A number the lesson's prose states, next to the number this run measured.
 *
 *   statedNumber({ name: 'validation loss', measured: result.finalValLoss, stated: 1.85, tolerance: 0.08, unit: 'nats' });
 *
 * The prose says what to expect ("the validation loss ends near 1.85"); this cell shows the
 * measurement beside it, so a learner sees the claim checked. In quick mode (`LLM_LAB_QUICK=1`)
 * the run is too short for the stated value, and the line says so instead of judging.
 *
 * When `LLM_LAB_STATED_NUMBERS` names a file, each call also appends one JSON line to it:
 * that is how the full-size check (`npm run lessons:full`) collects every stated number of a
 * notebook and fails where a measurement is off.
 *
 * At full size (not quick mode) each call also remembers the measurement for the learner, in
 * `runs/your-numbers.jsonl` of the project (`LLM_LAB_YOUR_NUMBERS` names another file; set
 * to an empty string, it turns this off). Lesson 10 reads them back with `yourNumbers()`, so
 * its review shows the numbers the learner's own runs produced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { courseDataDirectory } from '../data';
import { isQuickMode } from './quick-mode';
import { showOutput } from './sink';
import { escapeHtml } from './escape';

export interface StatedNumberOptions {
  /** What was measured, as the prose names it: "validation loss after 2,000 iterations". */
  readonly name: string;
  /** The value this run produced. */
  readonly measured: number;
  /** The value the prose states, at full size. */
  readonly stated: number;
  /** How far `measured` may be from `stated` (absolute, in the same unit). */
  readonly tolerance: number;
  /** Shown after the numbers: "nats", "%", "tokens/s". @default none */
  readonly unit?: string;
  /** Decimal places shown. @default 3 */
  readonly digits?: number;
}

/** One line of the file named by `LLM_LAB_STATED_NUMBERS`. */
export interface StatedNumberRecord {
  readonly name: string;
  readonly measured: number;
  readonly stated: number;
  readonly tolerance: number;
  readonly unit?: string;
  readonly quick: boolean;
  /** |measured − stated| ≤ tolerance. */
  readonly withinTolerance: boolean;
}

/** The environment variable naming the file stated numbers are appended to. */
export const STATED_NUMBERS_ENV = 'LLM_LAB_STATED_NUMBERS';

/** The environment variable naming the file of the learner's own full-size measurements ('' turns it off). */
export const YOUR_NUMBERS_ENV = 'LLM_LAB_YOUR_NUMBERS';

/** Where a learner's full-size measurements are remembered: `runs/your-numbers.jsonl` of the project, unless `LLM_LAB_YOUR_NUMBERS` says otherwise. */
export function yourNumbersFile(): string | undefined {
  const chosen = process.env[YOUR_NUMBERS_ENV];
  if (chosen !== undefined) return chosen === '' ? undefined : chosen;
  return path.join(courseDataDirectory, '..', 'runs', 'your-numbers.jsonl');
}

/** Where the course's own full-size measurements of every lesson are: `npm run lessons:full` writes them. */
export const courseNumbersFile: string = path.join(courseDataDirectory, '..', 'bench', 'results', 'lessons-full.json');

/** One stated number as the course's full-size run of its lesson measured it. */
export interface CourseNumber {
  /** The notebook that states it, e.g. '07-does-pretraining-matter'. */
  readonly lesson: string;
  readonly name: string;
  readonly measured: number;
  readonly stated: number;
  readonly tolerance: number;
  readonly withinTolerance: boolean;
}

/**
 * Every number the lessons state, as the course's last full-size run measured it
 * (`bench/results/lessons-full.json`), by lesson and name. A missing or unreadable file is an
 * error that says how to make it.
 */
export function courseNumbers(file: string = courseNumbersFile): readonly CourseNumber[] {
  let parsed: { lessons?: { notebook: string; stated?: StatedNumberRecord[] }[] };
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new RangeError(`courseNumbers: cannot read ${file} (${(error as Error).message}). Make it with \`npm run lessons:full\`.`);
  }
  if (!Array.isArray(parsed.lessons)) throw new RangeError(`courseNumbers: ${file} has no "lessons" list; make it again with \`npm run lessons:full\`.`);
  return parsed.lessons.flatMap((lesson) =>
    (lesson.stated ?? []).map((n) => ({
      lesson: lesson.notebook.replace(/\.ipynb$/, ''),
      name: n.name,
      measured: n.measured,
      stated: n.stated,
      tolerance: n.tolerance,
      withinTolerance: n.withinTolerance,
    })),
  );
}

/** One measurement a learner's run made, as `yourNumbers()` reads it back. */
export interface YourNumber extends StatedNumberRecord {
  /** When it was measured (ISO 8601). */
  readonly measuredAt: string;
}

/**
 * The learner's own full-size measurements, by the name the lessons give them: the latest of
 * each. Empty when no lesson has run at full size here yet (or the record is turned off).
 * Lines that are not records (a file cut short by a crash) are skipped, not fatal.
 */
export function yourNumbers(file: string | undefined = yourNumbersFile()): ReadonlyMap<string, YourNumber> {
  const numbers = new Map<string, YourNumber>();
  if (file === undefined || !fs.existsSync(file)) return numbers;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as YourNumber;
      if (typeof record.name === 'string' && typeof record.measured === 'number') numbers.set(record.name, record);
    } catch {
      // a line cut short: the others still count
    }
  }
  return numbers;
}

/**
 * Shows the measured number beside the stated one. Returns nothing, so that a cell ending
 * with it shows the verdict and not a bare `true`.
 */
export function statedNumber(options: StatedNumberOptions): void {
  const { name, measured, stated, tolerance } = options;
  if (name.trim() === '') throw new RangeError('statedNumber: give the number a name, as the prose calls it.');
  for (const [field, value] of [['stated', stated], ['tolerance', tolerance]] as const) {
    if (!Number.isFinite(value)) throw new RangeError(`statedNumber('${name}'): ${field} must be a finite number, got ${value}.`);
  }
  if (tolerance < 0) throw new RangeError(`statedNumber('${name}'): tolerance must be ≥ 0, got ${tolerance}.`);
  const quick = isQuickMode();
  const withinTolerance = Number.isFinite(measured) && Math.abs(measured - stated) <= tolerance;
  const digits = options.digits ?? 3;
  const unit = options.unit ? ` ${options.unit}` : '';
  const statedText = `${stated.toFixed(digits)} ± ${tolerance.toFixed(digits)}${unit}`;
  const verdict = quick
    ? `quick mode: the lesson's ${statedText} holds for the full-size run`
    : withinTolerance
      ? `✓ the lesson says ${statedText}`
      : `✗ the lesson says ${statedText}: this run is off (a different machine or backend can move it a little; far off, rerun with Kernel → Restart and Run All)`;
  const text = `${name}: ${measured.toFixed(digits)}${unit} (${verdict})`;
  showOutput({ 'text/plain': text, 'text/html': `<p><b>${escapeHtml(name)}</b>: ${escapeHtml(`${measured.toFixed(digits)}${unit}`)} <span>(${escapeHtml(verdict)})</span></p>` });
  const record: StatedNumberRecord = { name, measured, stated, tolerance, ...(options.unit ? { unit: options.unit } : {}), quick, withinTolerance };
  const file = process.env[STATED_NUMBERS_ENV];
  if (file) fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
  const yours = quick ? undefined : yourNumbersFile();
  if (yours !== undefined && Number.isFinite(measured)) {
    try {
      fs.mkdirSync(path.dirname(yours), { recursive: true });
      const remembered: YourNumber = { ...record, measuredAt: new Date().toISOString() };
      fs.appendFileSync(yours, `${JSON.stringify(remembered)}\n`);
    } catch {
      // Remembering is a convenience for lesson 10: a read-only project must not break a lesson.
    }
  }
}
