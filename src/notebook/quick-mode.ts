/**
 * Quick mode: the same lessons with small step counts.
 *
 * The notebook tests (and anyone in a hurry) set `LLM_LAB_QUICK=1`; each lesson asks for its
 * step counts through `lessonSteps(full, quick)`, so one notebook serves both.
 */

/** True when the environment variable `LLM_LAB_QUICK` is `1`. */
export function isQuickMode(): boolean {
  return process.env['LLM_LAB_QUICK'] === '1';
}

/** `quick` in quick mode (`LLM_LAB_QUICK=1`), else `full`. Both must be whole numbers ≥ 0. */
export function lessonSteps(full: number, quick: number): number {
  for (const [name, value] of [
    ['full', full],
    ['quick', quick],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`lessonSteps: ${name} must be a whole number ≥ 0, got ${value}.`);
    }
  }
  return isQuickMode() ? quick : full;
}
