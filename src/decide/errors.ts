/** The errors of the decision model: one class per thing that can be wrong. */

/** Raised for a situation `decide` cannot read: an unknown field, a wrong type, or two answers that contradict each other. */
export class SituationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SituationError';
  }
}

/** Raised for a number the cost model cannot use: negative, not finite, or not what was measured. */
export class CostModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostModelError';
  }
}

/** A value as an error message shows it: NaN and Infinity as themselves (JSON would print null), text quoted. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
