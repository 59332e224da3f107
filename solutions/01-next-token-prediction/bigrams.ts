/**
 * Exercise 1.3 — a bigram model.
 *
 * The probability of each next token after `previous`, from a sequence of token ids: count
 * the tokens that follow `previous`, then divide by the total. If `previous` never occurs
 * (or only as the last token), nothing is known: return the uniform distribution 1 / vocabSize.
 */
export function bigramProbabilities(ids: readonly number[], vocabSize: number, previous: number): number[] {
  // BEGIN SOLUTION
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
  // END SOLUTION
  throw new Error('Exercise 1.3: replace this line with your bigram model');
}
