/**
 * Next-token prediction on plain arrays: the four functions lesson 01 has the learner write,
 * as the toolkit's reference (the lesson's later cells fall back to these while an exercise
 * does not pass yet).
 *
 *   softmax(logits)                      scores → probabilities that sum to 1
 *   crossEntropyFromLogits(logits, t)    −ln softmax(logits)[t]: the loss of one prediction
 *   bigramProbabilities(ids, V, prev)    counted odds of the token after `prev`
 *   klDivergenceOfVectors(p, q)          how many nats a model q loses to the truth p
 *
 * The tensor versions the GPT trains with are in tf (tf.softmax, the training loss); these
 * are for reading, one number at a time.
 */

/** softmax(logits): exponentiate, divide by the sum. The largest logit is subtracted first, so Math.exp never overflows. */
export function softmax(logits: readonly number[]): number[] {
  if (logits.length === 0) throw new RangeError('softmax: no logits; pass one score per token.');
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * The cross-entropy of one prediction in nats, −ln softmax(logits)[target], computed as
 * logsumexp(logits) − logits[target] so it stays finite when the probability underflows.
 * A target that is not a token id (an integer in [0, logits.length)) is a RangeError.
 */
export function crossEntropyFromLogits(logits: readonly number[], target: number): number {
  if (!Number.isInteger(target) || target < 0 || target >= logits.length) {
    throw new RangeError(`crossEntropyFromLogits: target ${target} is not a token id in [0, ${logits.length}).`);
  }
  const max = Math.max(...logits);
  const logSumExp = max + Math.log(logits.reduce((sum, x) => sum + Math.exp(x - max), 0));
  return logSumExp - logits[target]!;
}

/**
 * The bigram model's odds of the token after `previous`: how often each token follows it in
 * `ids`, divided by how often anything does. Uniform (1 / vocabSize each) when `previous`
 * is never followed by anything.
 */
export function bigramProbabilities(ids: ArrayLike<number>, vocabSize: number, previous: number): number[] {
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new RangeError(`bigramProbabilities: vocabSize must be a positive integer, got ${vocabSize}.`);
  const counts = new Array<number>(vocabSize).fill(0);
  let total = 0;
  for (let i = 0; i + 1 < ids.length; i++) {
    if (ids[i] === previous) {
      counts[ids[i + 1]!] = (counts[ids[i + 1]!] ?? 0) + 1;
      total += 1;
    }
  }
  return total === 0 ? counts.map(() => 1 / vocabSize) : counts.map((count) => count / total);
}

/**
 * KL(p‖q) = Σ p(t) ln(p(t) / q(t)) in nats, over the tokens with p(t) > 0: the model q's
 * expected loss on data from p (−Σ p ln q) minus the best possible one (−Σ p ln p). Tokens
 * p rules out add nothing; a token p allows and q rules out makes it Infinity. p and q are
 * full vectors over one vocabulary (same length, else a RangeError).
 */
export function klDivergenceOfVectors(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) {
    throw new RangeError(`klDivergenceOfVectors: p has ${p.length} probabilities and q has ${q.length}; both must cover the same vocabulary.`);
  }
  let result = 0;
  for (let t = 0; t < p.length; t++) {
    const pt = p[t]!;
    if (pt > 0) result += pt * Math.log(pt / q[t]!);
  }
  return Math.max(result, 0); // rounding can leave a hair below zero when q equals p
}
