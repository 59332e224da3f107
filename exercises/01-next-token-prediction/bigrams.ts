/**
 * Exercise 1.3 — a bigram model.
 *
 * The probability of each next token after `previous`, from a sequence of token ids: count
 * the tokens that follow `previous`, then divide by the total. If `previous` never occurs
 * (or only as the last token), nothing is known: return the uniform distribution 1 / vocabSize.
 */
export function bigramProbabilities(ids: readonly number[], vocabSize: number, previous: number): number[] {
  throw new Error('Exercise 1.3: replace this line with your bigram model');
}
