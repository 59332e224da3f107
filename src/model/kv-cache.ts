/**
 * The key/value cache of incremental decoding.
 *
 * When a GPT generates text one token at a time, the keys and values that attention computes
 * for the earlier tokens do not change from one step to the next (a token only looks at
 * itself and the past). So we keep them: each step then runs only the newest token through
 * the blocks, and its query is compared with the cached keys. Per block the cache holds
 *
 *   keys    (B, nh, T, hs)   for the T tokens seen so far
 *   values  (B, nh, T, hs)
 *
 * A cache belongs to one model and is only valid for the weights (and LoRA adapters) it was
 * computed with: after a training step, `clear()` it. It owns its tensors; `dispose()` it
 * when done (`generate` does).
 */
import * as tf from '../tf';

/** The keys and values one block computed for the tokens seen so far, each (B, nh, T, hs). */
export interface LayerKeyValues {
  readonly keys: tf.Tensor4D;
  readonly values: tf.Tensor4D;
}

export class KVCache {
  private layers: readonly LayerKeyValues[] = [];

  /** An empty cache for a model of `nLayer` blocks (`model.createKVCache()` makes one). */
  constructor(readonly nLayer: number) {
    if (!Number.isInteger(nLayer) || nLayer < 1) throw new RangeError(`nLayer must be a whole number ≥ 1, got ${nLayer}.`);
  }

  /** How many tokens the cache holds (T); 0 when empty. */
  get length(): number {
    return this.layers[0]?.keys.shape[2] ?? 0;
  }

  /** The batch size of the cached sequences (B), or undefined when empty. */
  get batchSize(): number | undefined {
    return this.layers[0]?.keys.shape[0];
  }

  /** Block `i`'s keys and values, or undefined when the cache is empty. */
  layer(i: number): LayerKeyValues | undefined {
    return this.layers[i];
  }

  /**
   * Replaces every block's keys and values (the cache extended by new tokens) and frees the
   * old ones. The cache takes ownership of the new tensors: they must not be inside a
   * `tf.tidy` that is about to free them.
   */
  update(layers: readonly LayerKeyValues[]): void {
    if (layers.length !== this.nLayer) {
      throw new RangeError(`The cache holds ${this.nLayer} blocks, got keys and values for ${layers.length}.`);
    }
    const old = this.layers;
    this.layers = [...layers];
    disposeLayers(old, this.layers);
  }

  /** Forgets every token (frees the tensors); the cache can be filled again. */
  clear(): void {
    disposeLayers(this.layers, []);
    this.layers = [];
  }

  /** Frees the tensors. Same as `clear()`: a disposed cache is an empty one. */
  dispose(): void {
    this.clear();
  }
}

/** Frees the tensors of `old` that `kept` does not hold (a layer may be reused as is). */
function disposeLayers(old: readonly LayerKeyValues[], kept: readonly LayerKeyValues[]): void {
  const keep = new Set<tf.Tensor>(kept.flatMap((l) => [l.keys, l.values]));
  for (const { keys, values } of old) {
    if (!keep.has(keys)) keys.dispose();
    if (!keep.has(values)) values.dispose();
  }
}

const pastMaskCache = new Map<string, Float32Array>();

/**
 * The causal mask for T new tokens that follow P cached ones, as an additive bias (T, P + T):
 * new token i sits at position P + i and may look at every position up to its own, so
 * row i is 0 up to column P + i and a large negative number after. With P = 0 it is
 * `causalMask(T)`.
 */
export function causalMaskAfter(P: number, T: number): tf.Tensor2D {
  const key = `${P},${T}`;
  let values = pastMaskCache.get(key);
  if (!values) {
    const S = P + T;
    values = new Float32Array(T * S);
    for (let i = 0; i < T; i++) for (let j = P + i + 1; j < S; j++) values[i * S + j] = -1e9;
    if (pastMaskCache.size > 256) pastMaskCache.clear(); // a bound: P and T vary in a long chat
    pastMaskCache.set(key, values);
  }
  return tf.tensor2d(values, [T, P + T]);
}
