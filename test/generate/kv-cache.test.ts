/**
 * Generation with a key/value cache (the default) gives the same tokens as without one, also
 * past blockSize, where the window slides and the cache is recomputed; and it frees every
 * tensor it made.
 */
import * as tf from '../../src/tf';
import { type BackendName, useBackend } from '../../src/backend';
import { generate } from '../../src/generate';
import { GPT, resolveConfig } from '../../src/model';

const config = resolveConfig('tiny', { vocabSize: 29 }); // blockSize 16
const prompt = (n: number): number[] => Array.from({ length: n }, (_, i) => (i * 11 + 2) % 29);

describe.each<BackendName>(['cpu', 'wasm'])('generate with a key/value cache on %s', (backend) => {
  let model: GPT;
  beforeAll(async () => {
    await useBackend(backend);
    model = new GPT(config, { seed: 5 });
  });
  afterAll(() => model.dispose());

  it.each([
    [1, 1],
    [1, 15], // fills the window exactly
    [1, 16], // one past it: the first slide
    [3, 40], // slides many times
    [16, 5], // the prompt fills the window
    [25, 8], // the prompt is longer than the window
  ])('greedy: a prompt of %p tokens, %p new ones, the same ids as without the cache', (promptLength, maxNewTokens) => {
    const ids = prompt(promptLength);
    const withCache = generate(model, ids, { maxNewTokens, greedy: true });
    const without = generate(model, ids, { maxNewTokens, greedy: true, kvCache: false });
    expect(withCache).toHaveLength(maxNewTokens);
    expect(withCache).toEqual(without);
  });

  it('samples the same tokens with the same seed, with or without the cache', () => {
    const options = { maxNewTokens: 30, temperature: 1.3, topK: 10, seed: 9 };
    expect(generate(model, prompt(2), options)).toEqual(generate(model, prompt(2), { ...options, kvCache: false }));
  });

  it('uses the cache by default, and not with kvCache: false', () => {
    const spy = jest.spyOn(model, 'nextTokenLogitsCached');
    generate(model, prompt(2), { maxNewTokens: 3, greedy: true });
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockClear();
    generate(model, prompt(2), { maxNewTokens: 3, greedy: true, kvCache: false });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it.each([true, false])('leaves no tensor behind (kvCache: %p), also when a token id is bad', (kvCache) => {
    const before = tf.memory().numTensors;
    generate(model, prompt(4), { maxNewTokens: 20, greedy: true, kvCache });
    expect(tf.memory().numTensors - before).toBe(0);
    expect(() => generate(model, [1, 99], { maxNewTokens: 2, kvCache })).toThrow(/Token id 99 is outside/);
    expect(tf.memory().numTensors - before).toBe(0);
  });
});
