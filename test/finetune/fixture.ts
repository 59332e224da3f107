/** What the fine-tuning tests share: the tiny GPT on the synthetic corpus, and ways to read it. */
import * as tf from '../../src/tf';
import type { GPT } from '../../src/model';
import type { LoraAdapters } from '../../src/finetune';

export { type TinySetup, makeTempDir, tinyModel, tinySetup, weightsOf } from '../helpers/tiny-gpt';

/** Two windows of 16 tokens from the start of the given tokens, as a (2, 16) tensor. */
export function sampleTokens(tokens: Int32Array): tf.Tensor2D {
  return tf.tensor2d(tokens.subarray(0, 32), [2, 16], 'int32');
}

/** The model's logits for these tokens, copied out. */
export function logitsOf(model: GPT, tokens: tf.Tensor2D): Float32Array {
  return tf.tidy(() => model.forward(tokens).dataSync() as Float32Array);
}

/** Gives every B a seeded random value, as if the adapters had trained. */
export function randomizeB(adapters: LoraAdapters, seed = 1, std = 0.2): void {
  for (const [i, layer] of adapters.layers.entries()) {
    const { B } = adapters.factors(layer.name);
    tf.tidy(() => B.assign(tf.randomNormal(B.shape, 0, std, 'float32', seed + i)));
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`Lengths differ: ${a.length} vs ${b.length}.`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
