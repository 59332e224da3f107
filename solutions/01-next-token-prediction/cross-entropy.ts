/**
 * Exercise 1.2 — cross-entropy.
 *
 * The loss of one prediction, in nats: −ln softmax(logits)[target]. Compute it as
 * logsumexp(logits) − logits[target] so that it stays finite when the probability is tiny.
 * For uniform logits over V tokens the answer is ln V. A target that is not a token id
 * (not an integer in [0, logits.length)) is a RangeError.
 */
export function crossEntropy(logits: readonly number[], target: number): number {
  // BEGIN SOLUTION
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    throw new RangeError(`target ${target} is not a token id in [0, ${logits.length})`);
  }
  const max = Math.max(...logits);
  const logSumExp = max + Math.log(logits.reduce((sum, x) => sum + Math.exp(x - max), 0));
  return logSumExp - logits[target]!;
  // END SOLUTION
  throw new Error('Exercise 1.2: replace this line with your cross-entropy');
}
