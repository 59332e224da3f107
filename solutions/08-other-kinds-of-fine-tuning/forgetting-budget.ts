/**
 * Exercise 8.3 — where to stop, with a budget for forgetting.
 *
 * `curve` lists the measurements of a continued pretraining run in order: { step, domain,
 * general }, the perplexities on held-out domain and general text at that step. Among the
 * points whose general perplexity is at most `factor` times the first point's, return the
 * step with the lowest domain perplexity (the earliest on a tie). No points, or a factor below
 * 1, is a RangeError.
 */
export function bestStepWithinForgetting(curve: { step: number; domain: number; general: number }[], factor: number): number {
  // BEGIN SOLUTION
  if (curve.length === 0) throw new RangeError('the curve has no points');
  if (!(factor >= 1)) throw new RangeError(`factor must be at least 1, got ${factor}`);
  const budget = factor * curve[0]!.general;
  let best = curve[0]!;
  for (const point of curve) if (point.general <= budget && point.domain < best.domain) best = point;
  return best.step;
  // END SOLUTION
  throw new Error('Exercise 8.3: replace this line with your stopping rule');
}
