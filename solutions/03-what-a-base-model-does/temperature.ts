/**
 * Exercise 3.1 — temperature.
 *
 * The next-token probabilities at temperature T: softmax(logits / T). Subtract the largest
 * scaled logit before exponentiating, so that a small T does not overflow. T must be a finite
 * number > 0 and logits must not be empty; anything else is a RangeError.
 */
export function softmaxWithTemperature(logits: number[], temperature: number): number[] {
  // BEGIN SOLUTION
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError(`temperature must be a finite number > 0, got ${temperature}`);
  if (logits.length === 0) throw new RangeError('no logits');
  const scaled = logits.map((x) => x / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
  // END SOLUTION
  throw new Error('Exercise 3.1: replace this line with your temperature');
}
