/**
 * Where one attention head looks: a heatmap of its weights over a text, the tokens on both
 * axes. Row i is the token at position i (the query); its cells say how much of each
 * earlier token (the keys, columns) it mixes into its own vector. Each row sums to 1, and
 * the upper triangle is empty: a token cannot look ahead.
 */
import * as tf from '../tf';
import type { GPT } from '../model';
import type { Tokenizer } from '../tokenizer';
import { displayToken } from './escape';
import { heatmap } from './figure';
import { figureBundle } from './plot';
import { showOutput } from './sink';

export interface AttentionHeatmapOptions {
  /** Which transformer block, from 0. @default 0 */
  readonly layer?: number;
  /** Which head of that block, from 0. @default 0 */
  readonly head?: number;
}

/** Shows the attention weights of one head over `text` (cropped to its last blockSize tokens). */
export function showAttentionHeatmap(model: GPT, tokenizer: Tokenizer, text: string, options: AttentionHeatmapOptions = {}): void {
  const { tokens, weights, layer, head } = attentionWeights(model, tokenizer, text, options);
  const labels = tokens.map((id) => displayToken(tokenizer.tokenToString(id)));
  const title = `Attention of layer ${layer}, head ${head}`;
  const figure = heatmap({ title, z: weights, x: labels, y: labels, xTitle: 'looks at (key)', yTitle: 'token (query)', zmin: 0, zmax: 1 });
  showOutput({
    ...figureBundle(figure, { width: Math.min(900, 220 + 22 * labels.length), height: Math.min(900, 150 + 22 * labels.length) }),
    'text/plain': `${title} over ${labels.length} tokens (${labels.join(' ')}): ${describeStrongest(labels, weights)}`,
  });
}

/** The (T, T) attention weights of one head of one layer over `text`, as numbers. */
export function attentionWeights(
  model: GPT,
  tokenizer: Tokenizer,
  text: string,
  options: AttentionHeatmapOptions = {},
): { tokens: number[]; weights: number[][]; layer: number; head: number } {
  const { nLayer, nHead, blockSize } = model.config;
  const layer = options.layer ?? 0;
  const head = options.head ?? 0;
  if (!Number.isInteger(layer) || layer < 0 || layer >= nLayer) {
    throw new RangeError(`layer must be a whole number from 0 to ${nLayer - 1} (this model has ${nLayer} layers), got ${layer}.`);
  }
  if (!Number.isInteger(head) || head < 0 || head >= nHead) {
    throw new RangeError(`head must be a whole number from 0 to ${nHead - 1} (this model has ${nHead} heads per layer), got ${head}.`);
  }
  const tokens = tokenizer.encode(text).slice(-blockSize);
  if (tokens.length === 0) throw new RangeError('The text is empty: give at least one token to look at.');
  const idx = tf.tensor2d(Int32Array.from(tokens), [1, tokens.length], 'int32');
  let maps: tf.Tensor4D[] = [];
  try {
    maps = model.attentionMaps(idx); // nLayer × (1, nHead, T, T)
    const T = tokens.length;
    const one = tf.tidy(() => tf.reshape(tf.slice(maps[layer]!, [0, head, 0, 0], [1, 1, T, T]), [T, T]));
    const weights = one.arraySync() as number[][];
    one.dispose();
    return { tokens, weights, layer, head };
  } finally {
    tf.dispose([idx, ...maps]);
  }
}

/** Which earlier token the last token attends to most, in words. */
function describeStrongest(labels: readonly string[], weights: readonly (readonly number[])[]): string {
  const last = weights[weights.length - 1] ?? [];
  let best = 0;
  last.forEach((w, j) => {
    if (w > (last[best] ?? -Infinity)) best = j;
  });
  return `the last token attends most to ${labels[best]} (position ${best}, weight ${(last[best] ?? 0).toFixed(2)})`;
}
