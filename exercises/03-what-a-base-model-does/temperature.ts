/**
 * Exercise 3.1 — temperature.
 *
 * The next-token probabilities at temperature T: softmax(logits / T). Subtract the largest
 * scaled logit before exponentiating, so that a small T does not overflow. T must be a finite
 * number > 0 and logits must not be empty; anything else is a RangeError.
 */
export function softmaxWithTemperature(logits: number[], temperature: number): number[] {
  throw new Error('Exercise 3.1: replace this line with your temperature');
}
