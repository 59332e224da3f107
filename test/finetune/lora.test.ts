import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { EMBEDDING_LAYER, type LinearTarget, LoraConfigError, LoraError, addLora, addTrainableTokens, resolveLoraConfig, selectLinearLayers } from '../../src/finetune';
import { countParameters } from '../../src/model';
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

describe('resolveLoraConfig', () => {
  it.each([
    [8, 16, 2],
    [4, 4, 1],
    [16, 8, 0.5],
  ])('rank %d, alpha %d: scaling = alpha / rank = %d', (rank, alpha, scaling) => {
    expect(resolveLoraConfig({ rank, alpha, targets: ['c_attn'] })).toEqual({ rank, alpha, dropout: 0, targets: ['c_attn'], embeddingRank: 0, scaling });
  });

  it.each([
    ['rank 0', { rank: 0 }, /'rank' must be a positive integer/],
    ['a fractional rank', { rank: 2.5 }, /'rank' must be a positive integer .* got 2.5/],
    ['alpha 0', { alpha: 0 }, /'alpha' must be a positive number/],
    ['dropout 1', { dropout: 1 }, /'dropout' must be a number in \[0, 1\), got 1/],
    ['empty targets', { targets: [] }, /'targets' must be a non-empty list/],
    ['an unknown target', { targets: ['q_proj'] }, /unknown target "q_proj"\. Valid targets: all, attn, mlp, c_attn/],
    ['an unknown field', { r: 8 }, /unknown field\(s\) r/],
    ['a negative embedding rank', { embeddingRank: -1 }, /'embeddingRank' must be a whole number ≥ 0/],
    ['a scaling that is not alpha / rank', { scaling: 1 }, /'scaling' is always alpha \/ rank = 2/],
  ])('rejects %s with a LoraConfigError that says why', (_, bad, message) => {
    const config = { rank: 4, alpha: 8, targets: ['c_attn'], ...bad };
    expect(() => resolveLoraConfig(config)).toThrow(LoraConfigError);
    expect(() => resolveLoraConfig(config)).toThrow(message);
  });
});

describe('addLora', () => {
  it('changes nothing at first: B is zero, so the logits are exactly the base model’s', () => {
    const model = tinyModel(setup);
    const before = logitsOf(model, tokens);
    const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['all'] }, { seed: 1 });
    expect(Array.from(logitsOf(model, tokens))).toEqual(Array.from(before));
    const { A, B } = adapters.factors('transformer.h.0.mlp.c_fc');
    expect([A.shape, B.shape]).toEqual([[32, 4], [4, 128]]);
    expect(B.dataSync().every((v) => v === 0)).toBe(true);
    // A is Kaiming-uniform: U(−1/√in, 1/√in), and not all zero.
    const a = Array.from(A.dataSync());
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(32));
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.5 / Math.sqrt(32));
    adapters.dispose();
    model.dispose();
  });

  it.each<[LinearTarget[], number]>([
    [['c_attn'], 2 * 4 * (32 + 96)],
    [['attn'], 2 * 4 * (32 + 96 + 32 + 32)],
    [['mlp'], 2 * 4 * (32 + 128 + 128 + 32)],
    [['transformer.h.1.mlp.c_proj'], 4 * (128 + 32)],
  ])('on %j trains r·(in + out) per layer: %d numbers', (targets, count) => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 4, alpha: 8, targets });
    expect(adapters.trainableParameterCount).toBe(count);
    expect([...adapters.variables.values()].reduce((n, v) => n + v.size, 0)).toBe(count);
    expect(adapters.trainablePercent).toBeCloseTo((100 * count) / (countParameters(model.config) + count), 10);
    expect(adapters.variables.size).toBe(2 * selectLinearLayers(model, targets).length);
    adapters.dispose();
    model.dispose();
  });

  it('names its variables after the layer: transformer.h.0.attn.c_attn.lora_A and .lora_B', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 2, targets: ['transformer.h.0.attn.c_attn'] });
    expect([...adapters.variables.keys()]).toEqual(['transformer.h.0.attn.c_attn.lora_A', 'transformer.h.0.attn.c_attn.lora_B']);
    adapters.dispose();
    model.dispose();
  });

  it.each([
    ['a rank above a layer’s smaller side', { rank: 33, alpha: 33, targets: ['c_attn'] }, /rank 33 is larger than transformer\.h\.0\.attn\.c_attn's smaller side \(32 → 96\)/],
    ['a block the model does not have', { rank: 2, alpha: 2, targets: ['transformer.h.5.attn.c_attn'] }, /the model has blocks 0 to 1/],
  ])('rejects %s', (_, config, message) => {
    const model = tinyModel(setup);
    expect(() => addLora(model, config as never)).toThrow(message);
    model.dispose();
  });

  it('refuses a second adapter on the same layer', () => {
    const model = tinyModel(setup);
    const first = addLora(model, { rank: 2, alpha: 2, targets: ['c_attn'] });
    expect(() => addLora(model, { rank: 2, alpha: 2, targets: ['attn'] })).toThrow(/already carry LoRA adapters/);
    first.dispose();
    addLora(model, { rank: 2, alpha: 2, targets: ['attn'] }).dispose(); // fine once the first is gone
    model.dispose();
  });

  it('computes x·W + b + scaling·x·A·B', () => {
    const model = tinyModel(setup);
    const base = logitsOf(model, tokens);
    const adapters = addLora(model, { rank: 4, alpha: 16, targets: ['c_fc'] }, { seed: 2 });
    randomizeB(adapters);
    const adapted = logitsOf(model, tokens);
    expect(maxAbsDiff(adapted, base)).toBeGreaterThan(1e-3);
    // Fold (alpha / rank)·A·B into W by hand: the same function.
    adapters.detach();
    for (const layer of adapters.layers) {
      const weight = model.params.get(`${layer.name}.weight`)!;
      const { A, B } = adapters.factors(layer.name);
      tf.tidy(() => weight.assign(tf.add(weight, tf.mul(tf.matMul(A as tf.Tensor2D, B as tf.Tensor2D), 16 / 4))));
    }
    expect(maxAbsDiff(logitsOf(model, tokens), adapted)).toBeLessThan(1e-4);
    adapters.dispose();
    model.dispose();
  });

  it('detach() gives the base model back exactly; dispose() frees A and B', () => {
    const model = tinyModel(setup);
    const base = logitsOf(model, tokens);
    const count = tf.memory().numTensors;
    const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['attn'] });
    randomizeB(adapters);
    adapters.detach();
    expect(adapters.status).toBe('detached');
    expect(Array.from(logitsOf(model, tokens))).toEqual(Array.from(base));
    adapters.dispose();
    expect(tf.memory().numTensors).toBe(count);
    model.dispose();
  });

  it('applies dropout to the adapter’s input in training mode only', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 4, alpha: 8, dropout: 0.5, targets: ['c_attn'] });
    randomizeB(adapters);
    const run = (options: { training?: boolean; dropoutSeed?: number }): Float32Array =>
      tf.tidy(() => model.forward(tokens, options).dataSync() as Float32Array);
    expect(Array.from(run({ training: false }))).toEqual(Array.from(logitsOf(model, tokens)));
    expect(maxAbsDiff(run({ training: true, dropoutSeed: 1 }), run({ training: false }))).toBeGreaterThan(1e-4);
    expect(Array.from(run({ training: true, dropoutSeed: 1 }))).toEqual(Array.from(run({ training: true, dropoutSeed: 1 })));
    adapters.dispose();
    model.dispose();
  });
});

describe('merge and unmerge', () => {
  it('merged logits equal unmerged ones, and unmerge restores the base weights', () => {
    const model = tinyModel(setup);
    const baseWeights = weightsOf(model);
    const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['all'] }, { seed: 3 });
    randomizeB(adapters);
    const unmerged = logitsOf(model, tokens);
    adapters.merge();
    expect(adapters.merged).toBe(true);
    expect(maxAbsDiff(logitsOf(model, tokens), unmerged)).toBeLessThan(1e-4);
    expect(model.linearHooks('transformer.h.0.attn.c_attn')).toHaveLength(0); // the adapter is bypassed
    expect(() => adapters.merge()).toThrow(/already merged/);
    adapters.unmerge();
    expect(adapters.status).toBe('attached');
    expect(maxAbsDiff(logitsOf(model, tokens), unmerged)).toBeLessThan(1e-4);
    for (const [name, values] of weightsOf(model)) expect(maxAbsDiff(values, baseWeights.get(name)!)).toBeLessThan(1e-5);
    expect(() => adapters.unmerge()).toThrow(/not merged/);
    adapters.dispose();
    model.dispose();
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('refuses adapters holding %s and leaves every base weight untouched', (_, bad) => {
    const model = tinyModel(setup);
    const baseWeights = weightsOf(model);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn', 'c_fc'] });
    const { B } = adapters.factors('transformer.h.1.mlp.c_fc');
    const values = new Float32Array(B.size);
    values[5] = bad;
    tf.tidy(() => B.assign(tf.tensor(values, B.shape)));
    expect(() => adapters.merge()).toThrow(LoraError);
    expect(() => adapters.merge()).toThrow(/NaN or infinite values in transformer\.h\.1\.mlp\.c_fc/);
    expect(adapters.merged).toBe(false);
    expect(weightsOf(model)).toEqual(baseWeights);
    adapters.dispose();
    model.dispose();
  });

  it('leaves a merged adapter in the weights when detached (merge and unload)', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['mlp'] });
    randomizeB(adapters);
    const adapted = logitsOf(model, tokens);
    adapters.merge();
    adapters.dispose();
    expect(maxAbsDiff(logitsOf(model, tokens), adapted)).toBeLessThan(1e-4);
    model.dispose();
  });
});

describe('an adapter on the token embedding (embeddingRank)', () => {
  /** Gives the embedding adapter's zero factor (A) random values, so that it changes something. */
  const randomizeEmbeddingA = (adapters: ReturnType<typeof addLora>) =>
    tf.tidy(() => adapters.factors(EMBEDDING_LAYER).A.assign(tf.randomNormal(adapters.factors(EMBEDDING_LAYER).A.shape, 0, 0.5, 'float32', 7)));

  it('changes nothing at first (A is zero) and trains r′·(V + C) more numbers', () => {
    const model = tinyModel(setup);
    const before = logitsOf(model, tokens);
    const { vocabSize: V, nEmbd: C } = model.config;
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'], embeddingRank: 3 });
    expect(Array.from(logitsOf(model, tokens))).toEqual(Array.from(before));
    const { A, B } = adapters.factors(EMBEDDING_LAYER);
    expect([A.shape, B.shape]).toEqual([[V, 3], [3, C]]);
    expect(A.dataSync().every((v) => v === 0)).toBe(true);
    expect(B.dataSync().some((v) => v !== 0)).toBe(true);
    expect([...adapters.variables.keys()]).toContain('transformer.wte.lora_A');
    expect(adapters.trainableParameterCount).toBe(2 * 2 * (32 + 96) + 3 * (V + C));
    expect([...adapters.variables.values()].reduce((n, v) => n + v.size, 0)).toBe(adapters.trainableParameterCount);
    adapters.dispose();
    expect(model.embeddingHookNames()).toEqual([]);
    model.dispose();
  });

  it('changes the input embedding and the tied output head; merged equals unmerged; unmerge restores the table', () => {
    const model = tinyModel(setup);
    const baseWeights = weightsOf(model);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['mlp'], embeddingRank: 2 }, { seed: 2 });
    randomizeEmbeddingA(adapters);
    const adapted = logitsOf(model, tokens);
    expect(maxAbsDiff(adapted, logitsOf(tinyModel(setup), tokens))).toBeGreaterThan(1e-3);
    adapters.merge();
    expect(model.embeddingHookNames()).toEqual([]); // folded into transformer.wte.weight
    expect(maxAbsDiff(logitsOf(model, tokens), adapted)).toBeLessThan(1e-4);
    adapters.unmerge();
    expect(model.embeddingHookNames()).toEqual(['lora']);
    for (const [name, values] of weightsOf(model)) expect(maxAbsDiff(values, baseWeights.get(name)!)).toBeLessThan(1e-5);
    adapters.dispose();
    model.dispose();
  });

  it('adds up with trainable token rows, and refuses a rank above the table’s smaller side', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'], embeddingRank: 2 });
    const rows = addTrainableTokens(model, [1, 2]);
    expect(model.embeddingHookNames()).toEqual(['lora', 'trainable-tokens']);
    rows.dispose();
    adapters.dispose();
    expect(() => addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'], embeddingRank: 33 })).toThrow(/embeddingRank 33 is larger than the token embedding's smaller side/);
    model.dispose();
  });

  it('trains A and B of the embedding while the table itself stays bit-identical', async () => {
    const model = tinyModel(setup);
    const baseWeights = weightsOf(model);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['attn'], embeddingRank: 4 }, { seed: 4 });
    await train({ model, trainable: adapters.variables, train: setup.train, iters: 4, batchSize: 4, lr: 1e-2, evalInterval: 100, evalIters: 1, seed: 2 });
    expect(adapters.factors(EMBEDDING_LAYER).A.dataSync().some((v) => v !== 0)).toBe(true);
    expect(weightsOf(model)).toEqual(baseWeights); // bit for bit, transformer.wte.weight included
    adapters.dispose();
    model.dispose();
  });
});

describe('training only the adapters', () => {
  it('changes the logits and leaves every base weight bit-identical', async () => {
    const model = tinyModel(setup);
    const baseWeights = weightsOf(model);
    const adapters = addLora(model, { rank: 4, alpha: 8, targets: ['attn', 'mlp'] }, { seed: 4 });
    const before = logitsOf(model, tokens);
    let parameters = 0;
    const result = await train({
      model,
      trainable: adapters.variables,
      train: setup.train,
      iters: 6,
      batchSize: 4,
      lr: 1e-2,
      evalInterval: 100,
      evalIters: 1,
      seed: 2,
      callbacks: { onStart: (info) => (parameters = info.parameters) },
    });
    expect(parameters).toBe(adapters.trainableParameterCount);
    expect(result.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(maxAbsDiff(logitsOf(model, tokens), before)).toBeGreaterThan(1e-3);
    expect(weightsOf(model)).toEqual(baseWeights); // bit for bit
    expect(adapters.factors('transformer.h.0.attn.c_attn').B.dataSync().some((v) => v !== 0)).toBe(true);
    adapters.dispose();
    model.dispose();
  });

  it('leaks no tensors: the count is flat from step to step and back to the start at the end', async () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, dropout: 0.1, targets: ['all'] });
    const countAt = new Map<number, number>();
    const before = tf.memory().numTensors;
    await train({
      model,
      trainable: adapters.variables,
      train: setup.train,
      val: setup.val,
      iters: 8,
      batchSize: 2,
      evalInterval: 5,
      evalIters: 1,
      callbacks: { onStep: (info) => countAt.set(info.iter, tf.memory().numTensors) },
    });
    expect(countAt.get(7)).toBe(countAt.get(2));
    expect(tf.memory().numTensors).toBe(before);
    adapters.dispose();
    model.dispose();
  });

  it('rejects an empty trainable set, and checkpoints of part of a model without checkpointFiles', async () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'] });
    await expect(train({ model, train: setup.train, iters: 2, trainable: new Map() })).rejects.toThrow(/trainable is empty/);
    await expect(
      train({ model, train: setup.train, iters: 2, trainable: adapters.variables, checkpointDir: '/nonexistent', tokenizer: setup.tokenizer }),
    ).rejects.toThrow(/with trainable set, checkpointDir needs checkpointFiles too .*adapterFiles\(adapters\)/);
    adapters.dispose();
    model.dispose();
  });
});
