import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import {
  EMBEDDING_LAYER,
  LoraError,
  QuantizeModelError,
  addLora,
  bytesPerForm,
  dequantize,
  listLinearLayers,
  nf4ErrorBound,
  quantizeModel,
  weightMemory,
} from '../../src/finetune';
import { CheckpointError, GPT, countParameters, parameterSpecs, resolveConfig, saveCheckpoint } from '../../src/model';
import { CharTokenizer } from '../../src/tokenizer';
import { train } from '../../src/train';
import { type TinySetup, logitsOf, maxAbsDiff, randomizeB, sampleTokens, tinyModel, tinySetup, weightsOf } from './fixture';

let setup: TinySetup;
let tokens: tf.Tensor2D;

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup();
  tokens = sampleTokens(setup.val);
});

afterAll(() => tokens.dispose());

describe('quantizeModel', () => {
  it.each([
    [4, 'nf4'],
    [8, 'int8'],
  ] as const)('%d bits: the forward pass equals the forward with the dequantized weights', (bits, format) => {
    const model = tinyModel(setup);
    const reference = tinyModel(setup); // the same weights, to be given the dequantized values by hand
    const quantized = quantizeModel(model, { bits });
    for (const layer of quantized.layers) {
      const q = quantized.weight(layer.name);
      expect(q.format).toBe(format);
      const weight = reference.params.get(`${layer.name}.weight`)!;
      tf.tidy(() => weight.assign(tf.tensor2d(dequantize(q), [layer.inFeatures, layer.outFeatures])));
    }
    expect(maxAbsDiff(logitsOf(model, tokens), logitsOf(reference, tokens))).toBeLessThan(1e-6);
    [model, reference].forEach((m) => m.dispose());
  });

  it('frees the float weights: they leave model.params, and the tensor count drops by one per layer', () => {
    const model = tinyModel(setup);
    const count = tf.memory().numTensors;
    const quantized = quantizeModel(model, { bits: 4, targets: ['mlp'] });
    expect(quantized.layers.map((l) => l.name)).toEqual(['transformer.h.0.mlp.c_fc', 'transformer.h.0.mlp.c_proj', 'transformer.h.1.mlp.c_fc', 'transformer.h.1.mlp.c_proj']);
    expect(tf.memory().numTensors).toBe(count - 4);
    expect(model.params.has('transformer.h.0.mlp.c_fc.weight')).toBe(false);
    expect(model.params.has('transformer.h.0.mlp.c_fc.bias')).toBe(true); // biases stay float
    expect(model.params.has('transformer.h.0.attn.c_attn.weight')).toBe(true); // not a target
    // Its forward pass leaves nothing behind: the dequantized weights live only during it.
    logitsOf(model, tokens);
    expect(tf.memory().numTensors).toBe(count - 4);
    model.dispose();
  });

  it('reports each layer’s quantization error, within the NF4 bound', () => {
    const model = tinyModel(setup);
    const weight = Float32Array.from(model.params.get('transformer.h.0.attn.c_attn.weight')!.dataSync());
    const quantized = quantizeModel(model, { bits: 4, blockSize: 64 });
    const error = quantized.errors.get('transformer.h.0.attn.c_attn')!;
    expect(error.maxAbs).toBeGreaterThan(0);
    expect(error.maxAbs).toBeLessThanOrEqual(nf4ErrorBound(Math.max(...Array.from(weight, Math.abs))) * (1 + 1e-6));
    expect(error.relative).toBeGreaterThan(0.05);
    expect(error.relative).toBeLessThan(0.15);
    model.dispose();
  });

  it.each([
    ['bits 3', (m: ReturnType<typeof tinyModel>) => quantizeModel(m, { bits: 3 as 4 }), /bits must be 4 \(NF4\) or 8 \(int8\), got 3/],
    ['a block size of 0', (m: ReturnType<typeof tinyModel>) => quantizeModel(m, { bits: 4, blockSize: 0 }), /blockSize must be a positive integer/],
    [
      'a model quantized twice',
      (m: ReturnType<typeof tinyModel>) => {
        quantizeModel(m, { bits: 4, targets: ['c_fc'] });
        quantizeModel(m, { bits: 4, targets: ['c_attn'] });
      },
      /already quantized/,
    ],
  ])('rejects %s', (_, run, message) => {
    const model = tinyModel(setup);
    expect(() => run(model)).toThrow(QuantizeModelError);
    model.dispose();
    const again = tinyModel(setup);
    expect(() => run(again)).toThrow(message);
    again.dispose();
  });

  it('gives float weights back (the dequantized values) with restoreFloatWeights()', () => {
    const model = tinyModel(setup);
    const quantized = quantizeModel(model, { bits: 4 });
    const logits = logitsOf(model, tokens);
    quantized.restoreFloatWeights();
    expect([...model.params.keys()]).toEqual(parameterSpecs(model.config).map((spec) => spec.name)); // in checkpoint order
    expect(maxAbsDiff(logitsOf(model, tokens), logits)).toBeLessThan(1e-6);
    expect(weightMemory(model).held).toBe(weightMemory(model).model.float32);
    model.dispose();
  });
});

describe('weightMemory', () => {
  it('counts float32, int8 and NF4 bytes of the linear weights: NF4 is 1/8 of float32 plus 4 bytes per 64-value block', () => {
    const model = tinyModel(setup);
    const report = weightMemory(model);
    const weights = listLinearLayers(model).reduce((n, l) => n + l.inFeatures * l.outFeatures, 0);
    expect(report.linear).toEqual({ float32: 4 * weights, int8: weights + (4 * weights) / 64, nf4: weights / 2 + (4 * weights) / 64 });
    expect(report.linear.nf4 / report.linear.float32).toBeCloseTo(1 / 8 + 1 / 64, 10);
    expect(report.other).toBe(4 * (countParameters(model.config) - weights));
    expect(report.held).toBe(report.model.float32); // nothing quantized yet
    expect(report.layers[0]).toMatchObject({ name: 'transformer.h.0.attn.c_attn', weights: 32 * 96, form: 'float32', ...bytesPerForm(32 * 96) });
    model.dispose();
  });

  it.each([
    [4, 'nf4'],
    [8, 'int8'],
  ] as const)('reports what a %d-bit model holds now', (bits, form) => {
    const model = tinyModel(setup);
    const quantized = quantizeModel(model, { bits });
    const report = weightMemory(model);
    expect(report.held).toBe(report.model[form]);
    expect(quantized.bytes).toBe(report.linear[form]);
    expect(report.layers.every((l) => l.form === form && l.held === l[form])).toBe(true);
    model.dispose();
  });
});

describe('QLoRA: LoRA on a quantized base', () => {
  it('starts from the quantized base exactly, trains only the adapters, and leaves the codes and float weights untouched', async () => {
    const model = tinyModel(setup);
    const quantized = quantizeModel(model, { bits: 4 });
    const baseLogits = logitsOf(model, tokens);
    const codes = quantized.layers.map((l) => Uint8Array.from(quantized.weight(l.name).codes));
    const floatWeights = weightsOf(model); // embeddings, layer norms, biases
    const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['all'] }, { seed: 3 });
    expect(Array.from(logitsOf(model, tokens))).toEqual(Array.from(baseLogits));
    const countAt = new Map<number, number>();
    await train({
      model,
      trainable: adapters.variables,
      train: setup.train,
      iters: 6,
      batchSize: 2,
      lr: 1e-2,
      evalInterval: 100,
      evalIters: 1,
      callbacks: { onStep: (info) => countAt.set(info.iter, tf.memory().numTensors) },
    });
    expect(countAt.get(5)).toBe(countAt.get(1)); // no tensor leaks across steps
    expect(maxAbsDiff(logitsOf(model, tokens), baseLogits)).toBeGreaterThan(1e-3);
    expect(quantized.layers.map((l) => Uint8Array.from(quantized.weight(l.name).codes))).toEqual(codes);
    expect(weightsOf(model)).toEqual(floatWeights);
    adapters.dispose();
    model.dispose();
  });

  it('refuses adapters.merge() on a quantized layer, pointing to mergeLora', () => {
    const model = tinyModel(setup);
    quantizeModel(model, { bits: 4, targets: ['c_attn'] });
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'] });
    expect(() => adapters.merge()).toThrow(LoraError);
    expect(() => adapters.merge()).toThrow(/is quantized \(QLoRA\).*QuantizedModel\.mergeLora/);
    adapters.dispose();
    model.dispose();
  });

  it.each([4, 8] as const)('merging into a %d-bit base re-quantizes W + scaling·A·B, which moves the logits', (bits) => {
    const model = tinyModel(setup);
    const quantized = quantizeModel(model, { bits });
    const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['attn', 'mlp'] }, { seed: 6 });
    randomizeB(adapters, 1, 0.05);
    const adapted = logitsOf(model, tokens);
    const count = tf.memory().numTensors;
    const change = quantized.mergeLora(adapters, tokens);
    expect(adapters.status).toBe('detached');
    expect(tf.memory().numTensors).toBe(count);
    expect(change.maxAbsLogitChange).toBeCloseTo(maxAbsDiff(logitsOf(model, tokens), adapted), 5);
    expect(change.maxAbsLogitChange).toBeGreaterThan(change.meanAbsLogitChange);
    expect(change.meanAbsLogitChange).toBeGreaterThan(bits === 4 ? 1e-3 : 1e-5); // rounding is not free
    expect(change.maxAbsWeightChange).toBeGreaterThan(0);
    adapters.dispose();
    model.dispose();
  });

  it('merges an adapter on the token embedding too (exactly: the embedding is not quantized)', () => {
    const model = tinyModel(setup);
    const quantized = quantizeModel(model, { bits: 8 });
    const wte = Array.from(model.params.get('transformer.wte.weight')!.dataSync());
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'], embeddingRank: 2 }, { seed: 6 });
    const A = adapters.factors(EMBEDDING_LAYER).A;
    tf.tidy(() => A.assign(tf.randomNormal(A.shape, 0, 0.5, 'float32', 3)));
    const delta = Array.from(adapters.deltaWeight(EMBEDDING_LAYER).dataSync());
    quantized.mergeLora(adapters, tokens);
    expect(model.embeddingHookNames()).toEqual([]);
    const merged = model.params.get('transformer.wte.weight')!.dataSync();
    expect(maxAbsDiff(merged, wte.map((w, i) => w + delta[i]!))).toBeLessThan(1e-6);
    adapters.dispose();
    model.dispose();
  });

  it('changes the logits less with int8 than with NF4', () => {
    const measure = (bits: 4 | 8): number => {
      const model = tinyModel(setup);
      const quantized = quantizeModel(model, { bits });
      const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['all'] }, { seed: 6 });
      randomizeB(adapters, 1, 0.05);
      const { meanAbsLogitChange } = quantized.mergeLora(adapters, tokens);
      adapters.dispose();
      model.dispose();
      return meanAbsLogitChange;
    };
    expect(measure(8)).toBeLessThan(measure(4) / 5);
  });
});

describe('checkpoints of a quantized model', () => {
  it('refuses to save an incomplete checkpoint and says what to do instead', () => {
    const tokenizer = CharTokenizer.fromText('abcdefgh');
    const model = new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize }), { seed: 1 });
    quantizeModel(model, { bits: 4 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-q-'));
    expect(() => saveCheckpoint(dir, { model, tokenizer })).toThrow(CheckpointError);
    expect(() => saveCheckpoint(dir, { model, tokenizer })).toThrow(/saveAdapters/);
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
    model.dispose();
  });
});
