/**
 * Checks shared by every `fromJSON`: a saved tokenizer comes from a file, so nothing about
 * its shape can be assumed until it is checked.
 */
import { TokenizerJSONError } from './errors';
import type { TokenizerKind } from './types';

/** The saved object's fields, once it is known to be an object of the expected kind. */
export function readSavedTokenizer(
  json: unknown,
  kind: TokenizerKind,
): Readonly<Record<string, unknown>> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TokenizerJSONError(
      `A saved tokenizer must be a JSON object like { "kind": "${kind}", ... }, got ${describeValue(json)}.`,
    );
  }
  const fields = json as Record<string, unknown>;
  if (fields.kind !== kind) {
    throw new TokenizerJSONError(
      `Expected a saved tokenizer of kind "${kind}", got kind ${describeValue(fields.kind)}.`,
    );
  }
  return fields;
}

/** A short description of a value for error messages: `"abc"`, `42`, `an array`, `null`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}
