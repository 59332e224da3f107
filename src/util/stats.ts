/** The middle value (mean of the two middle ones for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One measured point of a learning curve: a budget (iterations, examples) and the score it reached. */
export interface CurvePoint {
  readonly x: number;
  readonly score: number;
}

/**
 * The smallest measured budget whose score reaches `target`: the first point, in order of x,
 * with score ≥ target; `null` when no point does (the curve never got there in what was
 * measured, which is not the same as never). The points must be in strictly increasing x.
 */
export function firstReaching(curve: readonly CurvePoint[], target: number): number | null {
  for (let i = 1; i < curve.length; i++) {
    if (!(curve[i]!.x > curve[i - 1]!.x)) {
      throw new RangeError(`firstReaching: the points must be in increasing x, but x = ${curve[i]!.x} comes after x = ${curve[i - 1]!.x}.`);
    }
  }
  return curve.find((point) => point.score >= target)?.x ?? null;
}

/** How far apart two sets of runs are, against how far each set's own runs are apart. */
export interface SeedMargin {
  /** mean(a) − mean(b). */
  readonly margin: number;
  /** The larger of the two ranges (max − min) within a and within b. */
  readonly spread: number;
  /** margin > spread: a is ahead by more than a different seed moves either. */
  readonly clear: boolean;
}

/**
 * Whether `a` beats `b` by more than seed-to-seed noise: the difference of their means against
 * the widest range of scores one setting reached over its seeds. Each needs at least one run.
 */
export function seedMargin(a: readonly number[], b: readonly number[]): SeedMargin {
  if (a.length === 0 || b.length === 0) throw new RangeError('seedMargin: each side needs at least one run (a score per seed).');
  const mean = (xs: readonly number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const range = (xs: readonly number[]) => Math.max(...xs) - Math.min(...xs);
  const margin = mean(a) - mean(b);
  const spread = Math.max(range(a), range(b));
  return { margin, spread, clear: margin > spread };
}
