/** Exercise 1.3 — a bigram model (reference solution). */
export function bigramProbabilities(ids: readonly number[], vocabSize: number, previous: number): number[] {
  const counts = new Array<number>(vocabSize).fill(0);
  let total = 0;
  for (let i = 0; i + 1 < ids.length; i++) {
    if (ids[i] === previous) {
      counts[ids[i + 1]!]! += 1;
      total += 1;
    }
  }
  if (total === 0) return counts.map(() => 1 / vocabSize);
  return counts.map((count) => count / total);
}
