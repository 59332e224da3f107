/**
 * Lesson 03's sampling pieces on plain arrays, the reference for its exercises (the tensor
 * versions in sampling.ts do the same inside generation), and the log-probability of a
 * continuation, which the lesson's probes compare.
 *
 *   softmaxWithTemperature([2, 1, 0], 0.5)   // sharper than softmax([2, 1, 0])
 *   topPFilter([0.5, 0.3, 0.2], 0.8)         // [0.625, 0.375, 0]
 *   continuationLogProb(model, tokenizer, 'The cat sat on the', ' mat.')
 */
import type { GPT } from '../model';
import { softmax } from '../data/from-scratch';
import type { Tokenizer } from '../tokenizer';
import { tokenLosses } from '../train/token-losses';

/** softmax(logits / T): T < 1 sharpens the distribution, T > 1 flattens it. T must be a finite number > 0. */
export function softmaxWithTemperature(logits: readonly number[], temperature: number): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`temperature must be a finite number > 0, got ${temperature} (greedy decoding is the limit T → 0).`);
  }
  if (logits.length === 0) throw new RangeError('There are no logits: a distribution needs at least one token.');
  return softmax(logits.map((x) => x / temperature)); // softmax subtracts the largest scaled logit: nothing overflows
}

/**
 * Nucleus (top-p) filtering: keep the smallest set of most likely tokens whose probabilities
 * add up to at least p, zero the rest, renormalise. Tokens are taken by probability, highest
 * first, and equal probabilities by index, lowest first (the order of `topTokens`). p = 1 keeps
 * every token; p must be in (0, 1].
 */
export function topPFilter(probs: readonly number[], p: number): number[] {
  if (!(p > 0 && p <= 1)) throw new RangeError(`p must be in (0, 1], got ${p}.`);
  if (probs.length === 0) throw new RangeError('There are no probabilities to filter.');
  const order = probs.map((_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
  const kept = new Set<number>();
  let total = 0;
  for (const token of order) {
    if (kept.size > 0 && total >= p) break;
    kept.add(token);
    total += probs[token]!;
  }
  return probs.map((q, i) => (kept.has(i) ? q / total : 0));
}

/** ln p(continuation | prompt) under the model: the sum of its tokens' log-probabilities. */
export function continuationLogProb(model: GPT, tokenizer: Tokenizer, prompt: string, continuation: string): number {
  const promptIds = tokenizer.encode(prompt);
  const ids = tokenizer.encode(prompt + continuation);
  if (promptIds.length === 0) throw new RangeError('The prompt is empty: the first token has nothing to be predicted from. Start with "\\n" for a sentence on its own.');
  if (ids.length <= promptIds.length) throw new RangeError(`The continuation ${JSON.stringify(continuation)} adds no token to the prompt.`);
  if (ids.length > model.config.blockSize) throw new RangeError(`Prompt and continuation are ${ids.length} tokens; the model sees at most ${model.config.blockSize}.`);
  const losses = tokenLosses(model, ids);
  let sum = 0;
  for (let i = promptIds.length; i < ids.length; i++) sum -= losses[i]!;
  return sum;
}
