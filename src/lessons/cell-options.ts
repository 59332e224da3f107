/**
 * Options written after a code fence's language: ```` ```ts exercise=1.1 ```` or ```` ```ts hide ````.
 * Words are `key=value` pairs or bare flags, separated by spaces; values have no spaces.
 * An option not in `CELL_OPTIONS` is an error, so a typo never goes unnoticed.
 */
import { LessonError } from './errors';

export interface CellOptions {
  /** `exercise=N.M`: the learner edits this cell; its exercise id. */
  readonly exercise?: string;
  /** `hide`: the cell starts with its code collapsed (the learner can expand it). */
  readonly hide: boolean;
}

/** Exercise ids: lesson number, a dot, the exercise's number in the lesson (`1.1`, `12.3`). */
export const EXERCISE_ID_PATTERN = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)$/;

interface CellOptionSpec {
  /** A flag is written alone (`hide`); a value option as `key=value`. */
  readonly kind: 'flag' | 'value';
  /** How to write it and what it does, for error messages. */
  readonly usage: string;
  /** Returns what is wrong with a value, or undefined when it is fine. */
  readonly checkValue?: (value: string) => string | undefined;
}

export const CELL_OPTIONS: Readonly<Record<keyof CellOptions, CellOptionSpec>> = {
  exercise: {
    kind: 'value',
    usage: 'exercise=N.M (the cell the learner edits)',
    checkValue: (id) =>
      EXERCISE_ID_PATTERN.test(id)
        ? undefined
        : `exercise id '${id}' is not of the form N.M (lesson number, dot, exercise number, e.g. exercise=1.2)`,
  },
  hide: { kind: 'flag', usage: 'hide (the code starts collapsed)' },
};

/** Where a code fence is: for error messages. */
export interface FenceLocation {
  readonly file: string;
  readonly line: number;
}

/** Parses a fence's meta string (the text after ```` ```ts ````); throws naming the line. */
export function parseCellOptions(meta: string | null | undefined, at: FenceLocation): CellOptions {
  const fail = (problem: string): never => {
    throw new LessonError(at.file, at.line, `${problem}. Cell options are: ${usages()}.`);
  };
  const values = new Map<string, string | true>();
  for (const word of (meta ?? '').split(/\s+/).filter((w) => w !== '')) {
    const equals = word.indexOf('=');
    const key = equals < 0 ? word : word.slice(0, equals);
    const value = equals < 0 ? true : word.slice(equals + 1);
    const spec = Object.hasOwn(CELL_OPTIONS, key) ? CELL_OPTIONS[key as keyof CellOptions] : undefined;
    if (!spec) fail(`unknown cell option '${key}' after \`\`\`ts`);
    if (values.has(key)) fail(`the cell option '${key}' is given twice`);
    if (spec?.kind === 'flag' && value !== true) fail(`the cell option '${key}' takes no value: write just '${key}'`);
    if (spec?.kind === 'value') {
      if (value === true || value === '') fail(`the cell option '${key}' needs a value: write ${spec.usage}`);
      const problem = spec.checkValue?.(value as string);
      if (problem) fail(problem);
    }
    values.set(key, value);
  }
  const exercise = values.get('exercise');
  const options: CellOptions = { hide: values.has('hide'), ...(typeof exercise === 'string' ? { exercise } : {}) };
  if (options.exercise !== undefined && options.hide) fail('an exercise cell cannot be hidden: the learner edits it');
  return options;
}

function usages(): string {
  return Object.values(CELL_OPTIONS)
    .map((spec) => spec.usage)
    .join(', ');
}
