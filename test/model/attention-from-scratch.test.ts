/**
 * Attention on plain arrays (lesson 02's reference) against the GPT's own tensor code: layer 0
 * of a random GPT, its q and k worked out from the weights, gives the weights `attentionMaps`
 * returns; and the mask and the head obey their contracts.
 */
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { GPT, attentionHead, attentionWeights, causalMaskMatrix, layerNorm, linear, resolveConfig } from '../../src/model';

describe('causalMaskMatrix', () => {
  it('is 0 on and below the diagonal and -Infinity above it', () => {
    expect(causalMaskMatrix(3)).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
  });
  it.each([0, -2, 1.5, NaN])('T = %p is a RangeError', (T) => {
    expect(() => causalMaskMatrix(T)).toThrow(RangeError);
  });
});

describe('attentionHead', () => {
  beforeAll(() => useBackend('wasm'));
  it('with zero queries gives each position the mean of the values so far', () => {
    expect(attentionHead([[0], [0], [0]], [[1], [2], [3]], [[3], [1], [2]])).toEqual([[3], [2], [2]]);
  });
  it('rejects rows that do not line up, naming what is wrong', () => {
    expect(() => attentionHead([[1]], [[1], [2]], [[1]])).toThrow(/one row per position/);
    expect(() => attentionHead([[1, 2]], [[1]], [[1]])).toThrow(/as wide as q/);
  });
  it('gives the weights of the GPT\'s own attention (layer 0, every head)', () => {
    const config = resolveConfig('tiny', { vocabSize: 11, blockSize: 8 });
    const model = new GPT(config, { seed: 3 });
    const ids = [1, 4, 1, 5, 9, 2, 6];
    const T = ids.length;
    const hs = config.nEmbd / config.nHead;
    const { gptMaps, qkv } = tf.tidy(() => {
      const idx = tf.tensor2d([ids], [1, T], 'int32');
      const maps = model.attentionMaps(idx);
      const gptMaps = maps[0]!.arraySync()[0]!; // (H, T, T)
      tf.dispose(maps);
      const p = (name: string) => model.params.get(name)!;
      const x = tf.add(tf.gather(p('transformer.wte.weight'), idx.reshape([T])), tf.slice(p('transformer.wpe.weight'), [0, 0], [T, config.nEmbd])) as tf.Tensor2D;
      const normed = layerNorm(x, p('transformer.h.0.ln_1.weight') as tf.Tensor1D, p('transformer.h.0.ln_1.bias') as tf.Tensor1D);
      const qkv = linear(normed, p('transformer.h.0.attn.c_attn.weight') as tf.Tensor2D, p('transformer.h.0.attn.c_attn.bias') as tf.Tensor1D).arraySync();
      return { gptMaps, qkv };
    });
    for (let h = 0; h < config.nHead; h++) {
      const q = qkv.map((row) => row.slice(h * hs, (h + 1) * hs));
      const k = qkv.map((row) => row.slice(config.nEmbd + h * hs, config.nEmbd + (h + 1) * hs));
      const ours = attentionWeights(q, k);
      for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) expect(ours[i]![j]!).toBeCloseTo(gptMaps[h]![i]![j]!, 5);
    }
    model.dispose();
  });
});
