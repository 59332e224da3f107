/**
 * JSON Lines (JSONL): one JSON value per line, the file format almost every fine-tuning
 * dataset comes in. A file of a million examples can be read, appended to and split line by
 * line, and a broken record breaks one line, not the whole file.
 *
 *     {"instruction": "What is NLP?", "output": "NLP is a field of AI that ..."}
 *     {"text": "The kettle broke after a week.", "label": "negative"}
 *
 * `parseJsonl` turns the lines into values and remembers where each came from, so the typed
 * readers (`instructions.ts`, `labelled-text.ts`) can say `qa.jsonl:12: "output" is missing`
 * instead of "invalid record". Blank lines are skipped (a file often ends with one).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A JSONL file (or text) that cannot be used: the file, the line and the field say where. */
export class JsonlError extends Error {
  override readonly name = 'JsonlError';

  constructor(
    /** The file (or whatever name the text was given) the problem is in. */
    readonly source: string,
    /** The 1-based line number, or undefined when the problem is the whole file. */
    readonly line: number | undefined,
    /** The field at fault (`output`, `messages[1].role`), when one is. */
    readonly field: string | undefined,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${line === undefined ? source : `${source}:${line}`}: ${problem}`, options);
  }
}

/** One non-blank line of a JSONL text: its parsed value, and where it came from. */
export interface JsonlRecord {
  readonly value: unknown;
  /** The file name (or the name given to `parseJsonl`). */
  readonly source: string;
  /** The 1-based line number in that file. */
  readonly line: number;
}

/**
 * Parses JSONL text: one JSON value per line, blank lines skipped, Windows line endings and
 * a leading byte-order mark accepted. `source` names the text in error messages (a file
 * path, or something like `'inline examples'`).
 *
 * Throws a `JsonlError` naming the line when a line is not valid JSON, and when the text
 * holds no records at all.
 */
export function parseJsonl(text: string, source: string): JsonlRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const records: JsonlRecord[] = [];
  lines.forEach((rawLine, index) => {
    const lineText = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (lineText.trim() === '') return;
    const line = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      throw new JsonlError(
        source,
        line,
        undefined,
        `this line is not valid JSON (${(error as Error).message}). Each line must hold one ` +
          'whole JSON object: a record split over several lines, a trailing comma, or single ' +
          'quotes instead of double quotes are the usual causes.',
        { cause: error },
      );
    }
    records.push({ value, source, line });
  });
  if (records.length === 0) {
    throw new JsonlError(
      source,
      undefined,
      undefined,
      'there are no records: every line is blank. A JSONL file has one JSON object per line.',
    );
  }
  return records;
}

/**
 * Reads a UTF-8 JSONL file and parses it with `parseJsonl`; errors name the file as given
 * and the line. A missing file, a folder, or bytes that are not UTF-8 are reported as such.
 */
export function readJsonl(filePath: string): JsonlRecord[] {
  return parseJsonl(readUtf8File(filePath), filePath);
}

/**
 * Writes values as JSONL text: one `JSON.stringify` per line, each line ending in a newline.
 * Strings are escaped by JSON, so a newline inside a value never splits a record.
 */
export function formatJsonl(values: readonly unknown[]): string {
  return values.map((value) => `${JSON.stringify(value)}\n`).join('');
}

function readUtf8File(filePath: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const absolutePath = path.resolve(filePath);
    const problem =
      code === 'ENOENT'
        ? `there is no such file (looked for '${absolutePath}', from the working directory ` +
          `${process.cwd()}). Check the spelling, or pass an absolute path.`
        : code === 'EISDIR'
          ? 'this is a folder, not a file. Pass the path of a .jsonl file inside it.'
          : `the file could not be read: ${(error as Error).message}`;
    throw new JsonlError(filePath, undefined, undefined, problem, { cause: error });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new JsonlError(
      filePath,
      firstLineThatIsNotUtf8(bytes),
      undefined,
      'this line is not UTF-8 text. JSONL files are UTF-8: convert the file first ' +
        `(for a Latin-1 file: iconv -f latin1 -t utf-8 '${filePath}' > out.jsonl).`,
      { cause: error },
    );
  }
}

/** The 1-based number of the first line whose bytes do not decode as UTF-8. */
function firstLineThatIsNotUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    // A newline byte (0x0A) never occurs inside a multi-byte UTF-8 character, so cutting
    // the bytes at newlines cuts between characters.
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (newline === -1) return line;
    start = newline + 1;
  }
}

// --- Checks shared by the typed record readers ------------------------------------------

/** A short description of a JSON value for error messages: `"abc"`, `42`, `an array`. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  const short = shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${short}`;
}

/** The record's value as an object of fields, or a `JsonlError` saying what it is instead. */
export function recordFields(record: JsonlRecord, expected: string): Readonly<Record<string, unknown>> {
  const { value } = record;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsonlError(
      record.source,
      record.line,
      undefined,
      `expected a JSON object like ${expected}, got ${describeJsonValue(value)}.`,
    );
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * Rejects fields a record format does not have: a misspelt `"ouput"` or `"imput"` would
 * otherwise be dropped without a word, and the example would silently train on less.
 */
export function rejectUnknownFields(
  record: JsonlRecord,
  fields: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
  formatName: string,
): void {
  for (const name of Object.keys(fields)) {
    if (!allowed.includes(name)) {
      throw new JsonlError(
        record.source,
        record.line,
        name,
        `unknown field "${name}": ${formatName} has only ${allowed.map((f) => `"${f}"`).join(', ')}. ` +
          'Fix the field name, or remove the field.',
      );
    }
  }
}

/**
 * The text of a string field that must say something. Missing, not a string, or blank
 * (empty or only whitespace) are errors naming the field.
 */
export function requireText(record: JsonlRecord, value: unknown, field: string, purpose: string): string {
  if (typeof value !== 'string') {
    throw new JsonlError(
      record.source,
      record.line,
      field,
      `"${field}" must be a string (${purpose}), got ${describeJsonValue(value)}.`,
    );
  }
  if (value.trim() === '') {
    throw new JsonlError(
      record.source,
      record.line,
      field,
      `"${field}" is ${value === '' ? 'empty' : 'only whitespace'}; it must hold ${purpose}.`,
    );
  }
  return value;
}
