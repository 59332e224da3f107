/**
 * A copying probe: does a base model copy from its context?
 *
 * Extracting fields ("name=Ingrid; qty=8; …") from an order sentence means copying tokens
 * the model cannot guess: the name, the quantity, the date. A model can only do that if
 * pretraining built a circuit for it (a head that finds the earlier mention and an output
 * path that writes that same token). Low-rank adapters steer such a circuit; they cannot
 * build one. So before fine-tuning, ask the base.
 *
 * The probe reads fresh orders told twice, as in the base corpus ("On 2024-05-12, Maria
 * bought 3 blue mugs. Confirmed: Maria ordered 3 blue mugs on 2024-05-12."), and measures
 * the model's loss on the name, qty and date tokens of each telling. The first telling can
 * only be guessed (about ln 30 ≈ 3.4 nats for one of 30 names); the second can be copied.
 * A model that copies has a much lower loss on the second telling; one that does not has
 * about the same loss on both.
 */
import * as tf from '../tf';
import { COPIED_FIELDS, type CopiedField, type TextSpan, orderToldTwice } from '../data';
import type { GPT } from '../model';
import type { Tokenizer } from '../tokenizer';
import { SeededRandom } from '../util/random';

export interface CopyingProbeOptions {
  /** How many orders told twice to read. @default 64 */
  readonly orders?: number;
  /** Draws the orders; keep it apart from the base corpus's seed (1234) so they are new. @default 4321 */
  readonly seed?: number;
}

/** Mean loss (nats per token) on each copied field, and over all of them. */
export type FieldLosses = Readonly<Record<CopiedField | 'all', number>>;

export interface CopyingProbeResult {
  /** Loss on the fields of the first telling: what the model can only guess. */
  readonly first: FieldLosses;
  /** Loss on the same fields told again: what a copying model reads off its context. */
  readonly second: FieldLosses;
  /**
   * Loss on the name recalled a third time after both tellings ("The buyer was Maria."), by
   * its role rather than by the words around it: copying it needs a lookup of who bought.
   */
  readonly recalledName: number;
  /** first.all − second.all: the nats per token that copying saves. Near 0: no copying. */
  readonly copyingGain: number;
  /** How many orders were read. */
  readonly orders: number;
}

/** Measures how much better a model predicts an order's fields the second time it reads them. */
export function copyingProbe(model: GPT, tokenizer: Tokenizer, options: CopyingProbeOptions = {}): CopyingProbeResult {
  const { orders = 64, seed = 4321 } = options;
  if (!Number.isInteger(orders) || orders <= 0) {
    throw new RangeError(`copyingProbe: orders must be a positive integer, got ${orders}.`);
  }
  const rng = new SeededRandom(seed);
  const sums = { first: emptyTally(), second: emptyTally(), recalled: emptyTally() };
  for (let i = 0; i < orders; i++) {
    const order = orderToldTwice(rng);
    // The recall comes after both tellings, so it leaves their losses as they were (causal).
    const recall = `${order.text} ${RECALL_LEAD}${order.fields.name}.`;
    const recalledAt = { start: recall.length - order.fields.name.length - 1, end: recall.length - 1 };
    const ids = tokenizer.encode(recall);
    if (ids.length > model.config.blockSize + 1) {
      throw new RangeError(`copyingProbe: an order of ${ids.length} tokens does not fit the context of ${model.config.blockSize}.`);
    }
    const losses = tokenLosses(model, ids);
    const ends = tokenEnds(tokenizer, ids);
    order.tellings.forEach((spans, telling) => {
      const tally = telling === 0 ? sums.first : sums.second;
      for (const field of COPIED_FIELDS) addSpan(tally, field, spans[field], ends, losses);
    });
    addSpan(sums.recalled, 'name', recalledAt, ends, losses);
  }
  const first = means(sums.first);
  const second = means(sums.second);
  return { first, second, recalledName: means(sums.recalled).name, copyingGain: first.all - second.all, orders };
}

/** The words before the recalled name. */
const RECALL_LEAD = 'The buyer was ';

/** The loss of predicting each token from the ones before it: entry t is for token t + 1. */
function tokenLosses(model: GPT, ids: readonly number[]): Float32Array {
  return tf.tidy(() => {
    const T = ids.length - 1;
    const input = tf.tensor2d([ids.slice(0, T)], [1, T], 'int32');
    const targets = tf.tensor1d(ids.slice(1), 'int32');
    const logProbs = tf.logSoftmax(tf.reshape(model.forward(input), [T, model.config.vocabSize])); // (T, V)
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(targets, model.config.vocabSize)), 1); // (T,)
    return tf.neg(picked).dataSync() as Float32Array;
  });
}

/** The character where each token's text ends, decoding the text one token longer each time. */
function tokenEnds(tokenizer: Tokenizer, ids: readonly number[]): number[] {
  return ids.map((_, i) => tokenizer.decode(ids.slice(0, i + 1)).length);
}

interface Tally {
  sum: Record<CopiedField, number>;
  count: Record<CopiedField, number>;
}

function emptyTally(): Tally {
  return { sum: { name: 0, qty: 0, date: 0 }, count: { name: 0, qty: 0, date: 0 } };
}

/**
 * Adds the losses of the tokens that carry the span's characters. Token 0 has no loss (no
 * context to predict it from), so a span that starts the text counts from its second token.
 */
function addSpan(tally: Tally, field: CopiedField, span: TextSpan, ends: readonly number[], losses: Float32Array): void {
  for (let t = 1; t < ends.length; t++) {
    const start = ends[t - 1]!;
    const end = ends[t]!;
    if (end <= span.start || start >= span.end) continue; // token t holds none of the span
    tally.sum[field] += losses[t - 1]!;
    tally.count[field] += 1;
  }
}

function means(tally: Tally): FieldLosses {
  const mean = (field: CopiedField) => tally.sum[field] / Math.max(1, tally.count[field]);
  const totalCount = COPIED_FIELDS.reduce((n, f) => n + tally.count[f], 0);
  const totalSum = COPIED_FIELDS.reduce((n, f) => n + tally.sum[f], 0);
  return { name: mean('name'), qty: mean('qty'), date: mean('date'), all: totalSum / Math.max(1, totalCount) };
}

