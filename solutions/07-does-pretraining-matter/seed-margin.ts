/**
 * Exercise 7.2 — a margin larger than the seeds' spread.
 *
 * `a` and `b` are the scores of two settings, one per seed. Return { margin, spread, clear }:
 * margin is mean(a) − mean(b); spread the larger of the two ranges, max(a) − min(a) and
 * max(b) − min(b); clear is whether margin > spread. An empty `a` or `b` is a RangeError.
 */
export function seedMargin(a: number[], b: number[]): { margin: number; spread: number; clear: boolean } {
  // BEGIN SOLUTION
  if (a.length === 0 || b.length === 0) throw new RangeError('each side needs at least one run');
  const mean = (xs: number[]) => xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  const margin = mean(a) - mean(b);
  const spread = Math.max(range(a), range(b));
  return { margin, spread, clear: margin > spread };
  // END SOLUTION
  throw new Error('Exercise 7.2: replace this line with your comparison');
}
