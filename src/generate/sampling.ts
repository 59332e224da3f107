/**
 * Turning a model's scores into text: the next-token distribution, and the ways to pick
 * from it.
 *
 *   greedy       always the most likely token: deterministic, often repetitive
 *   temperature  divide the logits by T before the softmax: T < 1 sharpens, T > 1 flattens
 *   top-k        keep only the k most likely tokens, renormalise, sample
 *   top-p        keep the smallest set of tokens whose probabilities add up to p ("nucleus")
 */
import * as tf from '../tf';
import type { GPT } from '../model';
import type { KVCache } from '../model/kv-cache';
import type { Tokenizer } from '../tokenizer';
import { SeededRandom } from '../util/random';

export interface TokenProbability {
  readonly token: number;
  /** The token as text (`tokenizer.tokenToString`). */
  readonly text: string;
  readonly probability: number;
}

/** The model's probabilities for the token that follows `ids`, as a Float32Array over the vocabulary. */
export function nextTokenProbabilities(model: GPT, ids: readonly number[], temperature = 1): Float32Array {
  if (ids.length === 0) throw new RangeError('The prompt is empty: give at least one token to continue from.');
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature} (use greedy for "temperature 0").`);
  const context = ids.slice(-model.config.blockSize); // the model sees at most blockSize tokens
  checkTokenIds(model, context);
  return tf.tidy(() => {
    const idx = tf.tensor2d(Int32Array.from(context), [1, context.length], 'int32');
    const logits = model.nextTokenLogits(idx);
    return tf.softmax(tf.div(logits, temperature)).dataSync() as Float32Array;
  });
}

/** The `top` most likely next tokens after the prompt, with their probabilities. */
export function nextTokenDistribution(
  model: GPT,
  tokenizer: Tokenizer,
  prompt: string,
  options: { top?: number; temperature?: number } = {},
): readonly TokenProbability[] {
  const top = options.top ?? 10;
  const probs = nextTokenProbabilities(model, tokenizer.encode(prompt), options.temperature ?? 1);
  return topTokens(probs, top).map((token) => ({ token, text: tokenizer.tokenToString(token), probability: probs[token]! }));
}

export interface SamplingOptions {
  /** Tokens to generate. */
  readonly maxNewTokens: number;
  /** Pick the most likely token every time (ignores temperature, topK, topP). @default false */
  readonly greedy?: boolean;
  /** @default 1 */
  readonly temperature?: number;
  /** Keep only the k most likely tokens. @default all */
  readonly topK?: number;
  /** Keep the smallest set of tokens whose probability reaches p. @default 1 (all) */
  readonly topP?: number;
  /** The same seed gives the same text. @default 0 */
  readonly seed?: number;
  /** Stop early when this token is produced (it is included). @default none */
  readonly stopToken?: number;
  /** Called with each new token as it is chosen (for streaming output). */
  readonly onToken?: (token: number) => void;
  /**
   * Keep the keys and values of the tokens seen so far (a key/value cache), so that each
   * step runs only the newest token through the model. Same tokens, less work; `false`
   * runs the whole window every step (to compare, or to see what the cache saves).
   * @default true
   */
  readonly kvCache?: boolean;
}

/** Continues `promptIds` autoregressively; returns the new token ids only. */
export function generate(model: GPT, promptIds: readonly number[], options: SamplingOptions): number[] {
  validateSampling(options);
  const rng = new SeededRandom(options.seed ?? 0);
  const ids = [...promptIds];
  const produced: number[] = [];
  const temperature = options.greedy ? 1 : (options.temperature ?? 1);
  const cached = options.kvCache === false || options.maxNewTokens === 0 ? undefined : new CachedContext(model);
  try {
    for (let i = 0; i < options.maxNewTokens; i++) {
      const probs = cached ? cached.nextTokenProbabilities(ids, temperature) : nextTokenProbabilities(model, ids, temperature);
      const token = options.greedy ? argmax(probs) : sampleFrom(filterProbabilities(probs, options), rng);
      ids.push(token);
      produced.push(token);
      options.onToken?.(token);
      if (token === options.stopToken) break;
    }
  } finally {
    cached?.dispose();
  }
  return produced;
}

/**
 * The context of one generation, with the keys and values of the tokens seen so far.
 *
 * Each step feeds only the tokens added since the last one. Once the sequence outgrows
 * blockSize the window slides: every position shifts by one, the cached keys (computed at
 * the old positions) no longer apply, and the last blockSize tokens are run again, as
 * `nextTokenProbabilities` does. The tokens are then exactly those of a model without a
 * cache; the cache saves work until the window is full.
 */
class CachedContext {
  private readonly cache: KVCache;
  /** How many of the sequence's ids the cache has seen. */
  private seen = 0;

  constructor(private readonly model: GPT) {
    this.cache = model.createKVCache();
  }

  nextTokenProbabilities(ids: readonly number[], temperature: number): Float32Array {
    if (ids.length === 0) throw new RangeError('The prompt is empty: give at least one token to continue from.');
    const { blockSize } = this.model.config;
    let fresh = ids.slice(this.seen);
    if (this.cache.length === 0 || this.cache.length + fresh.length > blockSize) {
      this.cache.clear(); // (re)start from the window: the last blockSize tokens
      fresh = ids.slice(-blockSize);
    }
    checkTokenIds(this.model, fresh);
    // A window that this step fills up slides at the next step, which starts over: nobody
    // will read these keys and values, so they are not stored.
    const store = this.cache.length + fresh.length < blockSize;
    const probs = tf.tidy(() => {
      const idx = tf.tensor2d(Int32Array.from(fresh), [1, fresh.length], 'int32');
      const logits = this.model.nextTokenLogitsCached(idx, this.cache, { store });
      return tf.softmax(tf.div(logits, temperature)).dataSync() as Float32Array;
    });
    if (!store) this.cache.clear(); // the next step starts from the window again
    this.seen = ids.length;
    return probs;
  }

  dispose(): void {
    this.cache.dispose();
  }
}

/** Continues a text prompt; returns the generated text (without the prompt). */
export function generateText(model: GPT, tokenizer: Tokenizer, prompt: string, options: SamplingOptions): string {
  return tokenizer.decode(generate(model, tokenizer.encode(prompt), options));
}

/** Applies top-k and top-p to a probability vector; returns a renormalised copy. */
export function filterProbabilities(probs: Float32Array, options: { topK?: number; topP?: number }): Float32Array {
  const out = Float32Array.from(probs);
  const V = out.length;
  const topK = options.topK ?? V;
  const topP = options.topP ?? 1;
  if (topK < V || topP < 1) {
    const order = topTokens(out, V);
    let cumulative = 0;
    let keep = 0;
    for (const token of order) {
      if (keep >= topK || (keep > 0 && cumulative >= topP)) break;
      cumulative += out[token]!;
      keep += 1;
    }
    const kept = new Set(order.slice(0, keep));
    for (let t = 0; t < V; t++) if (!kept.has(t)) out[t] = 0;
  }
  let total = 0;
  for (let t = 0; t < V; t++) total += out[t]!;
  for (let t = 0; t < V; t++) out[t]! /= total;
  return out;
}

/** Token ids sorted by probability, highest first (ties: lower id first), the first `k`. */
export function topTokens(probs: ArrayLike<number>, k: number): number[] {
  const ids = Array.from({ length: probs.length }, (_, i) => i);
  ids.sort((a, b) => probs[b]! - probs[a]! || a - b);
  return ids.slice(0, Math.max(0, k));
}

function checkTokenIds(model: GPT, ids: readonly number[]): void {
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= model.config.vocabSize) {
      throw new RangeError(`Token id ${id} is outside the model's vocabulary [0, ${model.config.vocabSize}).`);
    }
  }
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function sampleFrom(probs: Float32Array, rng: SeededRandom): number {
  return rng.pick(probs);
}

function validateSampling(o: SamplingOptions): void {
  if (!Number.isInteger(o.maxNewTokens) || o.maxNewTokens < 0) {
    throw new RangeError(`maxNewTokens must be a whole number ≥ 0, got ${o.maxNewTokens}.`);
  }
  if (o.topK !== undefined && (!Number.isInteger(o.topK) || o.topK < 1)) {
    throw new RangeError(`topK must be a whole number ≥ 1, got ${o.topK}.`);
  }
  if (o.topP !== undefined && !(o.topP > 0 && o.topP <= 1)) {
    throw new RangeError(`topP must be in (0, 1], got ${o.topP}.`);
  }
  if (o.temperature !== undefined && !(o.temperature > 0)) {
    throw new RangeError(`temperature must be > 0, got ${o.temperature}. For always the most likely token, use greedy.`);
  }
}
