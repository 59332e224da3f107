import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { GPT, GPTConfigError, countParameters, parameterSpecs, resolveConfig, validateConfig } from '../../src/model';

beforeAll(async () => {
  await useBackend('wasm');
});

const tiny = resolveConfig('tiny', { vocabSize: 50 });

function randomIds(B: number, T: number, V: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.randomUniform([B, T], 0, V, 'float32', seed), 'int32') as tf.Tensor2D);
}

describe('GPT config', () => {
  it('builds the presets with the vocabulary of the tokenizer', () => {
    expect(resolveConfig('baby', { vocabSize: 65 })).toEqual({
      vocabSize: 65, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0, bias: false,
    });
  });

  it.each([
    [{ vocabSize: 0 }, /vocabSize.*positive integer/],
    [{ vocabSize: 10, nEmbd: 30, nHead: 4 }, /divisible by nHead/],
    [{ vocabSize: 10, dropout: 1 }, /dropout/],
    [{ vocabSize: 10, bias: 'yes' as unknown as boolean }, /bias/],
    [{ vocabSize: 10, nLayers: 3 } as object, /unknown field.*nLayers/],
  ])('rejects %j', (overrides, message) => {
    expect(() => resolveConfig('tiny', overrides as Partial<typeof tiny>)).toThrow(message);
    expect(() => resolveConfig('tiny', overrides as Partial<typeof tiny>)).toThrow(GPTConfigError);
  });

  it('rejects an unknown preset and a config that is not an object', () => {
    expect(() => resolveConfig('huge' as 'tiny')).toThrow(/Unknown preset 'huge'/);
    expect(() => validateConfig(null)).toThrow(GPTConfigError);
  });
});

describe('GPT', () => {
  it('counts its parameters as the formula says, with and without biases', () => {
    for (const config of [tiny, resolveConfig('baby', { vocabSize: 65 })]) {
      const model = new GPT(config, { seed: 1 });
      expect(model.numParameters()).toBe(countParameters(config));
      expect(parameterSpecs(config).map((s) => s.name)).toEqual([...model.params.keys()]);
      model.dispose();
    }
    // The baby model of nanoGPT's Shakespeare recipe: 0.80M parameters.
    expect(countParameters(resolveConfig('baby', { vocabSize: 65 }))).toBe(804_096);
  });

  it('names its weights as GPT-2 does, linear weights stored [in, out]', () => {
    const model = new GPT(tiny, { seed: 1 });
    const C = tiny.nEmbd;
    expect(model.params.get('transformer.wte.weight')!.shape).toEqual([50, C]);
    expect(model.params.get('transformer.h.0.attn.c_attn.weight')!.shape).toEqual([C, 3 * C]);
    expect(model.params.get('transformer.h.1.mlp.c_proj.weight')!.shape).toEqual([4 * C, C]);
    expect(model.params.has('lm_head.weight')).toBe(false); // tied to wte
    model.dispose();
  });

  it('maps (B, T) token ids to (B, T, V) logits', () => {
    const model = new GPT(tiny, { seed: 2 });
    const idx = randomIds(3, 10, 50, 1);
    const logits = model.forward(idx);
    expect(logits.shape).toEqual([3, 10, 50]);
    const next = model.nextTokenLogits(idx);
    expect(next.shape).toEqual([3, 50]);
    // The next-token logits are the last position of the full forward pass.
    const last = tf.tidy(() => tf.reshape(tf.slice(logits, [0, 9, 0], [3, 1, 50]), [3, 50]));
    expect(tf.max(tf.abs(tf.sub(last, next))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([idx, logits, next, last]);
    model.dispose();
  });

  it('is causal: changing a future token changes no earlier logit', () => {
    const model = new GPT(tiny, { seed: 3 });
    const T = 12;
    const ids = Array.from({ length: T }, (_, i) => (i * 7) % 50);
    const changed = [...ids];
    changed[8] = (changed[8]! + 1) % 50;
    const a = model.forward(tf.tensor2d([ids], [1, T], 'int32')).arraySync()[0]!;
    const b = model.forward(tf.tensor2d([changed], [1, T], 'int32')).arraySync()[0]!;
    for (let t = 0; t < 8; t++) expect(b[t]).toEqual(a[t]);
    expect(b[8]).not.toEqual(a[8]); // and the changed position itself does see it
    model.dispose();
  });

  it('starts with a loss of about ln(vocabSize): every token equally likely', () => {
    const config = resolveConfig('tiny', { vocabSize: 65 });
    const model = new GPT(config, { seed: 4 });
    const idx = randomIds(4, 16, 65, 5);
    const targets = randomIds(4, 16, 65, 6);
    const loss = model.loss(idx, targets);
    expect(Math.abs(loss.dataSync()[0]! - Math.log(65))).toBeLessThan(0.1);
    tf.dispose([idx, targets, loss]);
    model.dispose();
  });

  it('refuses sequences longer than its context, saying how to fix it', () => {
    const model = new GPT(tiny, { seed: 5 });
    const idx = randomIds(1, tiny.blockSize + 1, 50, 7);
    expect(() => model.forward(idx)).toThrow(/at most blockSize = 16 tokens.*Crop/);
    idx.dispose();
    model.dispose();
  });

  it('gives the same weights for the same seed, different ones for another', () => {
    const a = new GPT(tiny, { seed: 9 });
    const b = new GPT(tiny, { seed: 9 });
    const c = new GPT(tiny, { seed: 10 });
    const w = (m: GPT) => Array.from(m.params.get('transformer.h.0.attn.c_attn.weight')!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('frees every intermediate tensor of a forward pass', () => {
    const model = new GPT(tiny, { seed: 11 });
    const idx = randomIds(2, 8, 50, 8);
    model.forward(idx).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) model.forward(idx).dispose();
    expect(tf.memory().numTensors).toBe(before);
    idx.dispose();
    model.dispose();
  });
});

describe('attention maps', () => {
  it('gives one (B, H, T, T) map per layer whose rows sum to 1 and never look ahead', () => {
    const model = new GPT(tiny, { seed: 12 });
    const idx = randomIds(2, 6, 50, 9);
    const before = tf.memory().numTensors;
    const maps = model.attentionMaps(idx);
    expect(maps).toHaveLength(tiny.nLayer);
    expect(tf.memory().numTensors).toBe(before + tiny.nLayer); // only the maps themselves remain
    for (const map of maps) {
      expect(map.shape).toEqual([2, tiny.nHead, 6, 6]);
      const rows = map.arraySync();
      for (const head of rows.flat()) {
        head.forEach((row, i) => {
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          for (let j = i + 1; j < row.length; j++) expect(row[j]).toBe(0);
        });
      }
    }
    tf.dispose([...maps, idx]);
    model.dispose();
  });
});
