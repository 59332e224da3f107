/** Lesson 03's reference pieces: temperature, top-p on plain arrays, and a continuation's log-probability. */
import { useBackend } from '../../src/backend';
import { continuationLogProb, filterProbabilities, softmaxWithTemperature, topPFilter } from '../../src/generate';
import { GPT, resolveConfig } from '../../src/model';
import { CharTokenizer } from '../../src/tokenizer';
import { tokenLosses } from '../../src/train';

describe('softmaxWithTemperature', () => {
  it('is softmax at T = 1, sharper below, flatter above', () => {
    const [a, b] = softmaxWithTemperature([1, 0], 1);
    expect(a).toBeCloseTo(Math.E / (Math.E + 1), 12);
    expect(b).toBeCloseTo(1 / (Math.E + 1), 12);
    expect(softmaxWithTemperature([1, 0], 0.5)[0]).toBeGreaterThan(a!);
    expect(softmaxWithTemperature([1, 0], 100)[0]).toBeCloseTo(0.5, 2);
  });
  it('stays finite at a tiny temperature', () => {
    expect(softmaxWithTemperature([1, 0.5], 1e-4)).toEqual([1, 0]);
  });
  it.each([0, -1, NaN, Infinity])('T = %p is a RangeError', (T) => {
    expect(() => softmaxWithTemperature([1, 2], T)).toThrow(RangeError);
  });
});

describe('topPFilter', () => {
  it('keeps the smallest set reaching p, and agrees with the sampler', () => {
    expect(topPFilter([0.2, 0.5, 0.3], 0.6)).toEqual([0, 0.5 / 0.8, 0.3 / 0.8]);
    const probs = [0.1, 0.4, 0.05, 0.3, 0.15];
    for (const p of [0.3, 0.5, 0.7, 0.9, 1]) {
      const ours = topPFilter(probs, p);
      const sampler = Array.from(filterProbabilities(Float32Array.from(probs), { topP: p }));
      ours.forEach((q, i) => expect(q).toBeCloseTo(sampler[i]!, 6));
    }
  });
  it('breaks ties by index, keeps everything at p = 1, rejects p outside (0, 1]', () => {
    expect(topPFilter([0.4, 0.3, 0.3], 0.5)).toEqual([0.4 / 0.7, 0.3 / 0.7, 0]);
    expect(topPFilter([0.25, 0.25, 0.5], 1)).toEqual([0.25, 0.25, 0.5]);
    expect(() => topPFilter([1], 0)).toThrow(RangeError);
    expect(() => topPFilter([1], 1.5)).toThrow(RangeError);
  });
});

describe('continuationLogProb', () => {
  it('is the sum of the continuation tokens\' log-probabilities', async () => {
    await useBackend('wasm');
    const tokenizer = CharTokenizer.fromText('abc .');
    const model = new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize: 16 }), { seed: 2 });
    const ids = tokenizer.encode('ab c.');
    const losses = tokenLosses(model, ids);
    expect(continuationLogProb(model, tokenizer, 'ab', ' c.')).toBeCloseTo(-(losses[2]! + losses[3]! + losses[4]!), 5);
    expect(() => continuationLogProb(model, tokenizer, '', 'a')).toThrow(/prompt is empty/);
    expect(() => continuationLogProb(model, tokenizer, 'a', '')).toThrow(/adds no token/);
    model.dispose();
  });
});
