/**
 * Comparing a model's next-token probabilities with the true ones, in nats (natural log,
 * the unit of the cross-entropy loss a model trains on).
 *
 *     crossEntropy(p, q) = −Σ p(t) ln q(t)     the expected loss of a model q on data from p
 *     entropy(p)         = −Σ p(t) ln p(t)     the loss of the perfect model, q = p
 *     klDivergence(p, q) =  Σ p(t) ln(p(t)/q(t)) = crossEntropy(p, q) − entropy(p)
 *
 * So a model's loss splits in two: the entropy, which no model can remove (the data is
 * random), and the KL divergence, which is how much the model still has to learn.
 *
 * `p` is the true distribution as `trueNextTokenDistribution` returns it (only the tokens
 * that can come next); `q` is what a model outputs: a probability for every token of the
 * vocabulary, indexed by token id (the softmax of its logits at that position).
 */
import type { NextTokenDistribution } from './true-distribution';

/** Options of `klDivergence` and `crossEntropy`. */
export interface DivergenceOptions {
  /**
   * The smallest probability a model is taken to give a token. A float32 softmax rounds
   * very unlikely tokens to exactly 0, and −ln 0 is infinite: with the default a token the
   * model rules out costs at most −ln(1e-12) ≈ 27.6 nats. Pass 0 for the exact, possibly
   * infinite, value.
   * @default 1e-12
   */
  readonly epsilon?: number;
}

/** How far a model's probabilities may sum from 1 before they are taken for a mistake. */
const SUM_TOLERANCE = 1e-3;

/** The entropy of a distribution in nats: the lowest expected loss of any model on it. */
export function entropy(distribution: NextTokenDistribution): number {
  let result = 0;
  for (const { probability } of distribution) {
    if (probability > 0) result -= probability * Math.log(probability);
  }
  return result;
}

/**
 * The expected loss (nats) of a model that outputs `modelProbs` on the next token, when the
 * next token is drawn from `trueDistribution`. See `DivergenceOptions` for q = 0.
 */
export function crossEntropy(
  trueDistribution: NextTokenDistribution,
  modelProbs: ArrayLike<number>,
  options: DivergenceOptions = {},
): number {
  const { epsilon = 1e-12 } = options;
  checkModelProbs('crossEntropy', trueDistribution, modelProbs, epsilon);
  let result = 0;
  for (const { token, probability } of trueDistribution) {
    if (probability > 0) result -= probability * Math.log(Math.max(modelProbs[token]!, epsilon));
  }
  return result;
}

/**
 * KL(p‖q) in nats, p the true distribution and q the model's: how much more loss the model
 * has than the perfect one. Zero exactly when q = p on the tokens p allows, positive
 * otherwise. Where p(t) > 0 and q(t) = 0, q(t) is taken as `epsilon` (default 1e-12; 0 gives
 * Infinity). Tokens with p(t) = 0 add nothing, whatever q gives them.
 */
export function klDivergence(
  trueDistribution: NextTokenDistribution,
  modelProbs: ArrayLike<number>,
  options: DivergenceOptions = {},
): number {
  const { epsilon = 1e-12 } = options;
  checkModelProbs('klDivergence', trueDistribution, modelProbs, epsilon);
  let result = 0;
  for (const { token, probability } of trueDistribution) {
    if (probability > 0) {
      result += probability * Math.log(probability / Math.max(modelProbs[token]!, epsilon));
    }
  }
  // Rounding can leave a hair below zero when q equals p; KL is never negative.
  return Math.max(result, 0);
}

/**
 * The distribution as a vector over the whole vocabulary (zeros elsewhere), the shape a
 * model's softmax has: `klDivergence(p, toProbabilityVector(p, vocabSize))` is 0.
 */
export function toProbabilityVector(
  distribution: NextTokenDistribution,
  vocabSize: number,
): Float64Array {
  if (!Number.isInteger(vocabSize) || vocabSize <= 0) {
    throw new RangeError(
      `toProbabilityVector: vocabSize must be a positive integer, got ${vocabSize}.`,
    );
  }
  const vector = new Float64Array(vocabSize);
  for (const { token, probability } of distribution) {
    if (!(token >= 0 && token < vocabSize)) {
      throw new RangeError(
        `toProbabilityVector: token ${token} is outside a vocabulary of ${vocabSize}; ` +
          'pass the tokenizer.vocabSize of the tokenizer that made the distribution.',
      );
    }
    vector[token] = (vector[token] ?? 0) + probability;
  }
  return vector;
}

function checkModelProbs(
  caller: string,
  trueDistribution: NextTokenDistribution,
  modelProbs: ArrayLike<number>,
  epsilon: number,
): void {
  if (!(epsilon >= 0 && epsilon < 1)) {
    throw new RangeError(`${caller}: epsilon must be in [0, 1), got ${epsilon}.`);
  }
  let sum = 0;
  for (let i = 0; i < modelProbs.length; i++) {
    const q = modelProbs[i]!;
    if (!(q >= 0 && q <= 1)) {
      throw new RangeError(
        `${caller}: modelProbs[${i}] is ${q}, not a probability. Pass the softmax of the ` +
          "model's logits (tf.softmax(logits)), not the logits themselves.",
      );
    }
    sum += q;
  }
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new RangeError(
      `${caller}: modelProbs sum to ${sum}, not 1. Pass one softmax row: the model's ` +
        'probabilities for the next token at one position, over the whole vocabulary.',
    );
  }
  for (const { token } of trueDistribution) {
    if (token >= modelProbs.length) {
      throw new RangeError(
        `${caller}: the true distribution has token ${token}, but modelProbs covers only ` +
          `${modelProbs.length} tokens. Are both from the same tokenizer?`,
      );
    }
  }
}
