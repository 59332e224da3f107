/**
 * What inference costs on this machine, measured: the toolkit's own model and generation,
 * timed with `performance.now()`. The cost model uses these numbers, not constants from a
 * paper, because the answer to "is fine-tuning worth it?" depends on the machine, the
 * backend and the model size.
 *
 * Two costs are measured:
 *   reading the prompt   one forward pass over the prompt's tokens, up to the probabilities
 *                        of the first new token (the "time to first token")
 *   generating           `generate` producing `newTokens` tokens one at a time. This toolkit
 *                        keeps no cache of earlier tokens' keys and values, so every new
 *                        token re-reads the whole context: a longer prompt also makes each
 *                        generated token dearer.
 */
import * as tf from '../tf';
import { generate, nextTokenProbabilities } from '../generate';
import type { GPT } from '../model';
import type { Tokenizer } from '../tokenizer';
import { median } from '../util/stats';
import { CostModelError, describeValue } from './errors';

export interface MeasureInferenceCostOptions {
  /** The model to time. */
  readonly model: GPT;
  /** Its tokenizer: turns the prompt into the tokens the model reads. */
  readonly tokenizer: Tokenizer;
  /** The prompt, for example a few-shot prompt from `assembleFewShotPrompt`. At most the model's blockSize tokens. */
  readonly prompt: string;
  /** How many tokens to generate after the prompt (greedy decoding, so every run does the same work). */
  readonly newTokens: number;
  /**
   * Timed runs; the median is reported, so one slow run (the system doing something else)
   * does not skew it. One untimed warm-up run comes first. @default 3
   */
  readonly repeats?: number;
}

export interface InferenceCost {
  /** The tfjs backend that did the work: the same model runs at very different speeds on each. */
  readonly backend: string;
  /** Tokens of the prompt, as the tokenizer counts them. */
  readonly promptTokens: number;
  /** Tokens generated in each timed run. */
  readonly newTokens: number;
  /** Timed runs behind the medians. */
  readonly repeats: number;
  /** Median seconds to read the prompt (one forward pass, up to the first new token's probabilities). */
  readonly promptSeconds: number;
  /** Median seconds to generate `newTokens` tokens after the prompt (reading the prompt included). */
  readonly generationSeconds: number;
  /** promptTokens / promptSeconds. */
  readonly promptTokensPerSecond: number;
  /** newTokens / generationSeconds. */
  readonly generationTokensPerSecond: number;
  /** promptSeconds / promptTokens: what one more prompt token costs; `breakEven` takes it as `secondsPerToken`. */
  readonly secondsPerPromptToken: number;
  /** generationSeconds / newTokens. */
  readonly secondsPerGeneratedToken: number;
}

/**
 * Times the toolkit's own inference on this machine. Not pure: the numbers are
 * measurements and change from run to run; the token counts do not.
 */
export function measureInferenceCost(options: MeasureInferenceCostOptions): InferenceCost {
  const { model, tokenizer, prompt, newTokens } = options;
  const repeats = options.repeats ?? 3;
  checkOptions(options, repeats);
  const promptIds = tokenizer.encode(prompt);
  if (promptIds.length > model.config.blockSize) {
    throw new CostModelError(
      `The prompt is ${promptIds.length} tokens, but this model reads at most blockSize = ${model.config.blockSize}. ` +
        'A longer prompt would be cut to its last tokens, and the time measured would not be the whole prompt\'s. ' +
        'Use a shorter prompt (fewer examples) or a model with a larger blockSize.',
    );
  }

  const readPrompt = (): void => {
    nextTokenProbabilities(model, promptIds);
  };
  // Greedy, with no stop token: every run generates exactly newTokens tokens.
  const generateAnswer = (): number => generate(model, promptIds, { maxNewTokens: newTokens, greedy: true }).length;

  // Warm-up: the first call allocates buffers (and on GPU backends compiles kernels), which a
  // deployed model pays once, not per query.
  readPrompt();
  generateAnswer();

  const promptTimes: number[] = [];
  const generationTimes: number[] = [];
  for (let run = 0; run < repeats; run++) {
    promptTimes.push(secondsTaken(readPrompt));
    let produced = 0;
    generationTimes.push(secondsTaken(() => (produced = generateAnswer())));
    if (produced !== newTokens) {
      throw new CostModelError(`generate produced ${produced} tokens instead of ${newTokens}; the timing would not match the count.`);
    }
  }
  const promptSeconds = median(promptTimes);
  const generationSeconds = median(generationTimes);
  return {
    backend: tf.getBackend(),
    promptTokens: promptIds.length,
    newTokens,
    repeats,
    promptSeconds,
    generationSeconds,
    promptTokensPerSecond: promptIds.length / promptSeconds,
    generationTokensPerSecond: newTokens / generationSeconds,
    secondsPerPromptToken: promptSeconds / promptIds.length,
    secondsPerGeneratedToken: generationSeconds / newTokens,
  };
}

/** Wall-clock seconds `work` takes. The work reads its results back (`dataSync`), so the device has finished. */
function secondsTaken(work: () => unknown): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1000;
}

function checkOptions(o: MeasureInferenceCostOptions, repeats: number): void {
  if (typeof o.prompt !== 'string' || o.prompt === '') {
    throw new CostModelError(`'prompt' must be non-empty text: the model needs at least one token to read, got ${describeValue(o.prompt)}.`);
  }
  if (!Number.isInteger(o.newTokens) || o.newTokens < 1) {
    throw new CostModelError(`'newTokens' must be a whole number ≥ 1 (tokens to generate per run), got ${describeValue(o.newTokens)}.`);
  }
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new CostModelError(`'repeats' must be a whole number ≥ 1 (timed runs; 3 to 5 is usual), got ${describeValue(repeats)}.`);
  }
  if (o.tokenizer.vocabSize > o.model.config.vocabSize) {
    throw new CostModelError(
      `The tokenizer has ${o.tokenizer.vocabSize} tokens but the model only ${o.model.config.vocabSize}: they do not belong ` +
        'together. Pass the tokenizer the model was trained with (a checkpoint saves it beside the weights).',
    );
  }
}
