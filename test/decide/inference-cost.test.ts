import { useBackend } from '../../src/backend';
import { CostModelError, breakEven, fewShotPromptTokens, measureInferenceCost, totalTrainingSeconds } from '../../src/decide';
import { GPT, resolveConfig } from '../../src/model';
import * as tf from '../../src/tf';
import { CharTokenizer } from '../../src/tokenizer';
import { train } from '../../src/train';

const corpus = 'Input: the cat sat on the mat.\nOutput: cat\n\nInput: the dog ran.\nOutput: dog\n';
let tokenizer: CharTokenizer;
let model: GPT;

beforeAll(async () => {
  await useBackend('wasm');
  tokenizer = CharTokenizer.fromText(corpus);
  model = new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize }), { seed: 3 });
});

afterAll(() => model.dispose());

describe('measureInferenceCost', () => {
  it.each([
    ['a short prompt', 'the cat', 4, undefined],
    ['a prompt that fills the context', 'the cat sat on t', 3, 2],
    ['more new tokens than the context holds', 'the dog', 20, 1],
  ])('times %s: positive finite rates and the right token counts', (_, prompt, newTokens, repeats) => {
    const cost = measureInferenceCost({ model, tokenizer, prompt, newTokens, repeats });
    expect(cost.backend).toBe('wasm');
    expect(cost.promptTokens).toBe(tokenizer.encode(prompt).length);
    expect(cost.newTokens).toBe(newTokens);
    expect(cost.repeats).toBe(repeats ?? 3);
    for (const value of [
      cost.promptSeconds,
      cost.generationSeconds,
      cost.promptTokensPerSecond,
      cost.generationTokensPerSecond,
      cost.secondsPerPromptToken,
      cost.secondsPerGeneratedToken,
    ]) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(0);
    }
    // The rates are the counts over the measured times (no assertions on the speeds themselves).
    expect(cost.promptTokensPerSecond).toBeCloseTo(cost.promptTokens / cost.promptSeconds, 6);
    expect(cost.secondsPerPromptToken).toBeCloseTo(cost.promptSeconds / cost.promptTokens, 12);
    expect(cost.generationTokensPerSecond).toBeCloseTo(newTokens / cost.generationSeconds, 6);
  });

  it('leaves no tensors behind', () => {
    measureInferenceCost({ model, tokenizer, prompt: 'the cat', newTokens: 2, repeats: 1 });
    const before = tf.memory().numTensors;
    measureInferenceCost({ model, tokenizer, prompt: 'the cat', newTokens: 2, repeats: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['a prompt longer than blockSize', { prompt: 'the cat sat on the mat.', newTokens: 1 }, /23 tokens, but this model reads at most blockSize = 16/],
    ['an empty prompt', { prompt: '', newTokens: 1 }, /'prompt' must be non-empty text/],
    ['no new tokens', { prompt: 'the', newTokens: 0 }, /'newTokens' must be a whole number ≥ 1/],
    ['a fractional token count', { prompt: 'the', newTokens: 1.5 }, /'newTokens'.*got 1.5/],
    ['no timed runs', { prompt: 'the', newTokens: 1, repeats: 0 }, /'repeats' must be a whole number ≥ 1/],
  ])('rejects %s', (_, options, message) => {
    expect(() => measureInferenceCost({ model, tokenizer, ...options })).toThrow(CostModelError);
    expect(() => measureInferenceCost({ model, tokenizer, ...options })).toThrow(message);
  });

  it('rejects a tokenizer with more tokens than the model has', () => {
    const bigger = CharTokenizer.fromText(`${corpus}XYZ`);
    expect(() => measureInferenceCost({ model, tokenizer: bigger, prompt: 'the', newTokens: 1 })).toThrow(/do not belong together/);
  });
});

it('feeds a break-even estimate from measured numbers only', async () => {
  const counts = fewShotPromptTokens(tokenizer, {
    instruction: '',
    examples: [{ input: 'the dog ran.', output: 'dog' }],
    query: 'the cat',
  });
  // A context wide enough for the few-shot prompt, which is what a prompted model reads per query.
  const wide = new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize: 64 }), { seed: 4 });
  try {
    const cost = measureInferenceCost({ model: wide, tokenizer, prompt: counts.fewShotPrompt, newTokens: 2, repeats: 1 });
    expect(cost.promptTokens).toBe(counts.fewShotTokens);
    const result = await train({ model: wide, train: Int32Array.from(tokenizer.encode(corpus.repeat(4))), iters: 3, batchSize: 2, evalInterval: 100, evalIters: 1 });
    const estimate = breakEven({
      fewShotTokensPerQuery: counts.fewShotTokens,
      fineTunedTokensPerQuery: counts.zeroShotTokens,
      secondsPerToken: cost.secondsPerPromptToken,
      trainingSeconds: totalTrainingSeconds(result),
    });
    expect(estimate.breaksEven).toBe(true);
    expect(estimate.savedTokensPerQuery).toBe(counts.fewShotTokens - counts.zeroShotTokens);
    expect(Number.isInteger(estimate.queries) && estimate.queries >= 1).toBe(true);
  } finally {
    wide.dispose();
  }
});
