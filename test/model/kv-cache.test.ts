/**
 * Incremental decoding: `nextTokenLogitsCached` with a key/value cache gives the logits that
 * `nextTokenLogits` gives on the whole sequence, on the `cpu` reference and on `wasm`.
 */
import * as tf from '../../src/tf';
import { type BackendName, useBackend } from '../../src/backend';
import { GPT, causalMask, resolveConfig } from '../../src/model';
import { type KVCache, causalMaskAfter } from '../../src/model/kv-cache';
import { fixtureConfig, fixtureWeights, get, maxAbsDiff, readArrays } from './fixture';

const config = resolveConfig('tiny', { vocabSize: 23, bias: true }); // blockSize 16
const sequence = Array.from({ length: config.blockSize }, (_, i) => (i * 7 + 3) % 23);

/** Logits of the full forward pass over `ids` (B = 1), for the token after the last. */
function fullLogits(model: GPT, ids: readonly number[]): Float32Array {
  return tf.tidy(() => model.nextTokenLogits(tf.tensor2d([...ids], [1, ids.length], 'int32')).dataSync() as Float32Array);
}

/** Runs `ids` after what the cache holds; returns the logits for the token after them. */
function cachedLogits(model: GPT, cache: KVCache, ids: readonly number[]): Float32Array {
  return tf.tidy(() => model.nextTokenLogitsCached(tf.tensor2d([...ids], [1, ids.length], 'int32'), cache).dataSync() as Float32Array);
}

describe.each<BackendName>(['cpu', 'wasm'])('GPT.nextTokenLogitsCached on %s', (backend) => {
  let model: GPT;
  beforeAll(async () => {
    await useBackend(backend);
    model = new GPT(config, { seed: 3 });
  });
  afterAll(() => model.dispose());

  it.each([
    ['one token at a time', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['a prompt of 5, then one at a time', [5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['chunks of several tokens', [3, 4, 1, 6, 2]],
    ['the whole window at once', [16]],
  ])('matches a full forward pass within 1e-5, fed %s', (_, chunks) => {
    const cache = model.createKVCache();
    let seen = 0;
    for (const n of chunks) {
      const logits = cachedLogits(model, cache, sequence.slice(seen, seen + n));
      seen += n;
      expect(cache.length).toBe(seen);
      expect(maxAbsDiff(logits, fullLogits(model, sequence.slice(0, seen)))).toBeLessThan(1e-5);
    }
    cache.dispose();
  });

  it('with store: false gives the same logits and leaves the cache as it was', () => {
    const cache = model.createKVCache();
    cachedLogits(model, cache, sequence.slice(0, 5));
    const before = tf.memory().numTensors;
    const logits = tf.tidy(
      () => model.nextTokenLogitsCached(tf.tensor2d(sequence.slice(5, 16), [1, 11], 'int32'), cache, { store: false }).dataSync() as Float32Array,
    );
    expect(maxAbsDiff(logits, fullLogits(model, sequence))).toBeLessThan(1e-5);
    expect(cache.length).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
    const fresh = model.createKVCache(); // a whole window, as generate runs it when the window slides
    const windowLogits = tf.tidy(
      () => model.nextTokenLogitsCached(tf.tensor2d(sequence, [1, 16], 'int32'), fresh, { store: false }).dataSync() as Float32Array,
    );
    expect(maxAbsDiff(windowLogits, fullLogits(model, sequence))).toBeLessThan(1e-5);
    expect(fresh.length).toBe(0);
    cache.dispose();
    fresh.dispose();
  });

  it('runs a batch of sequences, each as its own full forward pass', () => {
    const other = sequence.map((id) => (id * 5 + 1) % 23);
    const cache = model.createKVCache();
    const step = (a: number[], b: number[]): Float32Array =>
      tf.tidy(() => model.nextTokenLogitsCached(tf.tensor2d([...a, ...b], [2, a.length], 'int32'), cache).dataSync() as Float32Array);
    step(sequence.slice(0, 4), other.slice(0, 4));
    const logits = step(sequence.slice(4, 6), other.slice(4, 6)); // (2, V)
    const V = config.vocabSize;
    expect(maxAbsDiff(logits.slice(0, V), fullLogits(model, sequence.slice(0, 6)))).toBeLessThan(1e-5);
    expect(maxAbsDiff(logits.slice(V), fullLogits(model, other.slice(0, 6)))).toBeLessThan(1e-5);
    cache.dispose();
  });

  it('applies linear hooks (LoRA) during cached decoding too', () => {
    const detach = ['transformer.h.0.attn.c_attn', 'transformer.h.1.mlp.c_fc'].map((layer) =>
      model.attachLinearHook(layer, { name: 'test-delta', delta: (x) => tf.mul(tf.tile(tf.slice(x, [0, 0], [x.shape[0], 1]), [1, layer.endsWith('c_attn') ? 96 : 128]), 0.5) as tf.Tensor2D }),
    );
    const cache = model.createKVCache();
    cachedLogits(model, cache, sequence.slice(0, 4));
    const hooked = cachedLogits(model, cache, sequence.slice(4, 5));
    const expected = fullLogits(model, sequence.slice(0, 5));
    for (const d of detach) d();
    expect(maxAbsDiff(hooked, expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(hooked, fullLogits(model, sequence.slice(0, 5)))).toBeGreaterThan(1e-3); // the hooks did something
    cache.dispose();
  });

  it('holds exactly 2 tensors per block, and frees them on dispose', () => {
    const before = tf.memory().numTensors;
    const cache = model.createKVCache();
    cachedLogits(model, cache, sequence.slice(0, 3));
    cachedLogits(model, cache, sequence.slice(3, 4));
    expect(tf.memory().numTensors - before).toBe(2 * config.nLayer);
    expect(cache.layer(0)!.keys.shape).toEqual([1, config.nHead, 4, config.nEmbd / config.nHead]); // (B, nh, T, hs)
    cache.dispose();
    expect(cache.length).toBe(0);
    expect(tf.memory().numTensors - before).toBe(0);
  });

  it.each([
    ['more tokens than the window holds', 12, 5, 1, /12 cached \+ 5 new tokens exceed blockSize = 16.*clear\(\) the cache/],
    ['a batch size other than the cached one', 3, 1, 2, /a batch of 1 sequences, the new tokens a batch of 2/],
  ])('rejects %s with a RangeError, and leaves the cache as it was', (_, cached, fresh, batch, message) => {
    const cache = model.createKVCache();
    cachedLogits(model, cache, sequence.slice(0, cached));
    const before = tf.memory().numTensors;
    const idx = tf.zeros([batch, fresh], 'int32') as tf.Tensor2D;
    expect(() => model.nextTokenLogitsCached(idx, cache)).toThrow(RangeError);
    expect(() => model.nextTokenLogitsCached(idx, cache)).toThrow(message);
    idx.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(cache.length).toBe(cached);
    cache.dispose();
  });
});

describe.each<BackendName>(['cpu', 'wasm'])('cached decoding in parity with PyTorch on %s', (backend) => {
  it('gives the fixture\'s logits at every position, fed one token at a time (B = 3)', async () => {
    await useBackend(backend);
    const weights = fixtureWeights();
    const model = new GPT(fixtureConfig(), { weights });
    tf.dispose([...weights.values()]);
    const expected = readArrays('expected.safetensors');
    const ids = get(expected, 'input_ids');
    const logits = get(expected, 'logits'); // (B, T, V), from bench/reference/gpt.py
    const [B, T, V] = logits.shape as [number, number, number];
    const cache = model.createKVCache();
    let worst = 0;
    for (let t = 0; t < T; t++) {
      const column = Array.from({ length: B }, (_, b) => Number(ids.data[b * T + t]));
      const step = tf.tidy(() => model.nextTokenLogitsCached(tf.tensor2d(column, [B, 1], 'int32'), cache).dataSync());
      for (let b = 0; b < B; b++) {
        const reference = Array.from(logits.data).slice((b * T + t) * V, (b * T + t + 1) * V);
        worst = Math.max(worst, maxAbsDiff(step.slice(b * V, (b + 1) * V), reference));
      }
    }
    expect(worst).toBeLessThan(1e-4); // the parity test's tolerance
    cache.dispose();
    model.dispose();
  });
});

describe('causalMaskAfter', () => {
  it('is the causal mask when nothing is cached, and lets new tokens see every cached one', () => {
    tf.tidy(() => {
      expect(Array.from(causalMaskAfter(0, 5).dataSync())).toEqual(Array.from(causalMask(5).dataSync()));
      expect(causalMaskAfter(2, 2).arraySync()).toEqual([
        [0, 0, 0, -1e9],
        [0, 0, 0, 0],
      ]);
    });
  });
});
