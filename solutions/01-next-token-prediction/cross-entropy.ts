/** Exercise 1.2 — cross-entropy (reference solution). */
export function crossEntropy(logits: readonly number[], target: number): number {
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    throw new RangeError(`target ${target} is not a token id in [0, ${logits.length})`);
  }
  const max = Math.max(...logits);
  const logSumExp = max + Math.log(logits.reduce((sum, x) => sum + Math.exp(x - max), 0));
  return logSumExp - logits[target]!;
}
