/**
 * Exercise 7.1 — the budget that reaches a score.
 *
 * `curve` holds measured points { x, score } (x a budget: iterations, or training examples),
 * in strictly increasing x. Return the x of the first point whose score is at least `target`,
 * or null when none is (and for no points). Points whose x does not increase are a RangeError.
 */
export function firstReaching(curve: { x: number; score: number }[], target: number): number | null {
  // BEGIN SOLUTION
  for (let i = 1; i < curve.length; i++) {
    if (!(curve[i]!.x > curve[i - 1]!.x)) throw new RangeError(`the points must be in increasing x: ${curve[i]!.x} comes after ${curve[i - 1]!.x}`);
  }
  for (const point of curve) if (point.score >= target) return point.x;
  return null;
  // END SOLUTION
  throw new Error('Exercise 7.1: replace this line with your search of the curve');
}
