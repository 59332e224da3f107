/**
 * The loss of every position of a text, not their mean: −ln p(token i | the tokens before it).
 * Lesson 02 compares a GPT with a counting model position by position, to see *where* one
 * beats the other (contexts the counts have seen, and contexts they have not).
 *
 *   const losses = tokenLosses(model, valIds);   // losses[i] for i ≥ 1; losses[0] is NaN
 *
 * The text is read in windows of blockSize tokens that overlap by half: the first window
 * scores all its positions, each later one only its second half, so that every position
 * after the first window is predicted from at least blockSize / 2 tokens of context.
 */
import * as tf from '../tf';
import type { GPT } from '../model';

export interface TokenLossOptions {
  /** Windows per forward pass. @default 32 */
  readonly batchSize?: number;
}

export function tokenLosses(model: GPT, ids: ArrayLike<number>, options: TokenLossOptions = {}): Float64Array {
  const { blockSize, vocabSize } = model.config;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${batchSize}.`);
  if (ids.length < 2) throw new RangeError(`A text of ${ids.length} token${ids.length === 1 ? '' : 's'} has nothing to predict: give at least 2.`);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new RangeError(`Token id ${id} at position ${i} is outside the model's vocabulary [0, ${vocabSize}).`);
  }
  const losses = new Float64Array(ids.length).fill(NaN);
  const T = Math.min(blockSize, ids.length - 1); // inputs ids[s .. s+T), targets ids[s+1 .. s+T]
  const stride = Math.max(1, Math.floor(T / 2));
  // Window starts: every `stride`, and one flush with the end so the last positions are scored.
  const starts: number[] = [];
  for (let s = 0; s + T < ids.length; s += stride) starts.push(s);
  if (starts[starts.length - 1]! + T < ids.length - 1) starts.push(ids.length - 1 - T);
  for (let b = 0; b < starts.length; b += batchSize) {
    const batch = starts.slice(b, b + batchSize);
    const inputs = new Int32Array(batch.length * T);
    const targets = new Int32Array(batch.length * T);
    batch.forEach((s, row) => {
      for (let t = 0; t < T; t++) {
        inputs[row * T + t] = ids[s + t]!;
        targets[row * T + t] = ids[s + t + 1]!;
      }
    });
    const logProbs = tf.tidy(() => {
      const logits = tf.reshape(model.forward(tf.tensor2d(inputs, [batch.length, T], 'int32')), [batch.length * T, vocabSize]);
      const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.tensor1d(targets, 'int32'), vocabSize)), 1);
      return picked.dataSync() as Float32Array;
    });
    batch.forEach((s, row) => {
      for (let t = 0; t < T; t++) {
        const position = s + t + 1; // the position whose token this row predicts
        if (Number.isNaN(losses[position]!) || t >= T - stride) losses[position] = -logProbs[row * T + t]!;
      }
    });
  }
  return losses;
}
