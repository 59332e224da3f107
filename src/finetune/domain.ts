/**
 * Domain adaptation by continued pretraining: the same next-token prediction as
 * pretraining, on text of one domain (here, contracts), starting from the base model.
 *
 * What to watch is perplexity, exp(average loss): how many tokens the model is, in effect,
 * choosing between at each step. On domain text it falls — the model learns the register
 * (numbered clauses, "the Tenant shall…"). On the general text it was pretrained on it
 * rises: the weights it used for that text were bent toward the new one. That rise is
 * forgetting, and a lower learning rate, fewer steps, or mixing some general text back in
 * are the usual ways to keep it small.
 */
import * as tf from '../tf';
import { sequentialBatches } from '../data';
import type { GPT } from '../model';
import { type TrainOptions, type TrainResult, train } from '../train';

export interface PerplexityOptions {
  /** Windows per batch. @default 16 */
  readonly batchSize?: number;
  /** Most windows to read (from the start); all when omitted. */
  readonly maxWindows?: number;
}

/**
 * exp(mean next-token loss) over the tokens, read in non-overlapping windows of the model's
 * blockSize (every token predicted once, with the context of its window).
 */
export function perplexity(model: GPT, tokens: ArrayLike<number>, options: PerplexityOptions = {}): number {
  const blockSize = model.config.blockSize;
  if (tokens.length < blockSize + 1) {
    throw new RangeError(`perplexity: ${tokens.length} tokens are fewer than one window of blockSize + 1 = ${blockSize + 1}.`);
  }
  let total = 0;
  let windows = 0;
  const limit = options.maxWindows ?? Infinity;
  for (const batch of sequentialBatches(tokens, { batchSize: options.batchSize ?? 16, blockSize })) {
    if (windows >= limit) break;
    const rows = Math.min(batch.batchSize, limit - windows);
    const shape: [number, number] = [rows, blockSize];
    const loss = tf.tidy(() =>
      model.loss(tf.tensor2d(batch.inputs.subarray(0, rows * blockSize), shape, 'int32'), tf.tensor2d(batch.targets.subarray(0, rows * blockSize), shape, 'int32')).dataSync()[0]!,
    );
    total += loss * rows; // the loss is a mean over the batch's positions
    windows += rows;
  }
  return Math.exp(total / windows);
}

/**
 * Perplexity from the loss of each token, −ln p(true token): the N for which a model that
 * spread its odds evenly over N tokens at every position would be as surprised in total,
 * N = exp(mean loss), the geometric mean of 1/p. No losses, or a loss that is NaN or
 * negative (a probability above 1), is a RangeError. A loss of Infinity (p = 0) gives Infinity.
 */
export function perplexityFromLosses(losses: readonly number[]): number {
  if (losses.length === 0) throw new RangeError('perplexityFromLosses: no losses; give the loss of at least one token.');
  let total = 0;
  losses.forEach((loss, i) => {
    if (Number.isNaN(loss) || loss < 0) {
      throw new RangeError(`perplexityFromLosses: loss ${i} is ${loss}; a token's loss −ln p is a number ≥ 0 (p ≤ 1).`);
    }
    total += loss;
  });
  return Math.exp(total / losses.length);
}

/** One measurement of a continued pretraining run: the step, and the two perplexities there. */
export interface ForgettingPoint {
  readonly step: number;
  /** Perplexity on held-out domain text (falls as the domain is learned). */
  readonly domain: number;
  /** Perplexity on held-out general text (rises as the model forgets). */
  readonly general: number;
}

/**
 * Where to stop continued pretraining when forgetting has a budget: among the measured points
 * whose general perplexity is at most `factor` times the first point's, the step with the
 * lowest domain perplexity (the earliest, on a tie). The first point is always within the
 * budget, so there is always an answer. No points, or a factor below 1 (or not a number), is
 * a RangeError.
 */
export function bestStepWithinForgetting(curve: readonly ForgettingPoint[], factor: number): number {
  if (curve.length === 0) throw new RangeError('bestStepWithinForgetting: the curve has no points.');
  if (!(factor >= 1)) throw new RangeError(`bestStepWithinForgetting: factor must be ≥ 1 (1 allows no forgetting at all), got ${factor}.`);
  const budget = factor * curve[0]!.general;
  let best = curve[0]!;
  for (const point of curve) if (point.general <= budget && point.domain < best.domain) best = point;
  return best.step;
}

export interface ContinuedPretrainingOptions extends Omit<TrainOptions, 'train' | 'val'> {
  /** Tokens of the domain's training text. */
  readonly domainTrain: Int32Array;
  /** Held-out domain text: its perplexity should fall. */
  readonly domainTest: Int32Array;
  /** Held-out general text (what the base was pretrained on): its perplexity shows forgetting. */
  readonly generalTest: Int32Array;
  /** Windows read per perplexity. @default 64 */
  readonly perplexityWindows?: number;
}

export interface ContinuedPretrainingResult {
  readonly training: TrainResult;
  readonly before: { readonly domain: number; readonly general: number };
  readonly after: { readonly domain: number; readonly general: number };
}

/** Continues pretraining on domain text; measures domain and general perplexity before and after. */
export async function continuedPretraining(options: ContinuedPretrainingOptions): Promise<ContinuedPretrainingResult> {
  const measure = () => {
    const windows = { maxWindows: options.perplexityWindows ?? 64 };
    return { domain: perplexity(options.model, options.domainTest, windows), general: perplexity(options.model, options.generalTest, windows) };
  };
  const before = measure();
  const training = await train({ ...options, train: options.domainTrain, val: options.domainTest });
  return { training, before, after: measure() };
}
