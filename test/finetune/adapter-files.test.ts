import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { ADAPTER_FILES, AdapterLoadError, EMBEDDING_LAYER, adapterFiles, addLora, loadAdapters, saveAdapters } from '../../src/finetune';
import { GPT, decodeSafetensors, resolveConfig } from '../../src/model';
import { TRAINER_FILES, type TrainOptions, train } from '../../src/train';
import { type TinySetup, logitsOf, makeTempDir, randomizeB, sampleTokens, tinyModel, tinySetup, weightsOf } from './fixture';

let setup: TinySetup;
let tokens: tf.Tensor2D;
let dir: string;

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup();
  tokens = sampleTokens(setup.val);
});

afterAll(() => tokens.dispose());
beforeEach(() => (dir = makeTempDir('adapters')));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('saveAdapters / loadAdapters', () => {
  it('round-trips: the same base plus the loaded adapters gives identical logits', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 4, alpha: 8, dropout: 0.05, targets: ['c_attn', 'mlp.c_proj'] }, { seed: 5 });
    randomizeB(adapters);
    const expected = logitsOf(model, tokens);
    saveAdapters(adapters, dir);
    expect(fs.readdirSync(dir).sort()).toEqual([ADAPTER_FILES.config, ADAPTER_FILES.weights]);

    const base = tinyModel(setup); // the same base, rebuilt from its seed
    const loaded = loadAdapters(base, dir);
    expect(loaded.config).toEqual(adapters.config);
    expect(Array.from(logitsOf(base, tokens))).toEqual(Array.from(expected));
    for (const [name, v] of adapters.variables) expect(Array.from(loaded.variables.get(name)!.dataSync())).toEqual(Array.from(v.dataSync()));
    [adapters, loaded].forEach((a) => a.dispose());
    [model, base].forEach((m) => m.dispose());
  });

  it('round-trips an adapter on the token embedding too', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'], embeddingRank: 3 }, { seed: 6 });
    tf.tidy(() => adapters.factors(EMBEDDING_LAYER).A.assign(tf.randomNormal(adapters.factors(EMBEDDING_LAYER).A.shape, 0, 0.5, 'float32', 8)));
    const expected = logitsOf(model, tokens);
    saveAdapters(adapters, dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, ADAPTER_FILES.config), 'utf8')).embeddingRank).toBe(3);
    const base = tinyModel(setup);
    const loaded = loadAdapters(base, dir);
    expect(loaded.config.embeddingRank).toBe(3);
    expect(Array.from(logitsOf(base, tokens))).toEqual(Array.from(expected));
    [adapters, loaded].forEach((a) => a.dispose());
    [model, base].forEach((m) => m.dispose());
  });

  it('stores only A and B, by layer name, apart from the base, with the base config beside them', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['transformer.h.1.attn.c_attn'] });
    saveAdapters(adapters, dir);
    const { tensors } = decodeSafetensors(fs.readFileSync(path.join(dir, ADAPTER_FILES.weights)));
    expect([...tensors].map(([name, t]) => [name, t.shape])).toEqual([
      ['transformer.h.1.attn.c_attn.lora_A', [32, 2]],
      ['transformer.h.1.attn.c_attn.lora_B', [2, 96]],
    ]);
    const config = JSON.parse(fs.readFileSync(path.join(dir, ADAPTER_FILES.config), 'utf8'));
    expect(config).toEqual({
      method: 'lora',
      rank: 2,
      alpha: 4,
      dropout: 0,
      targets: ['transformer.h.1.attn.c_attn'],
      embeddingRank: 0,
      layers: ['transformer.h.1.attn.c_attn'],
      baseConfig: model.config,
    });
    adapters.dispose();
    model.dispose();
  });

  it('refuses a base of another shape, saying which fields differ', () => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'] });
    saveAdapters(adapters, dir);
    const other = new GPT(resolveConfig('tiny', { vocabSize: setup.tokenizer.vocabSize, nEmbd: 64, nLayer: 3 }));
    const count = tf.memory().numTensors;
    expect(() => loadAdapters(other, dir)).toThrow(AdapterLoadError);
    expect(() => loadAdapters(other, dir)).toThrow(
      /were trained on a different base model: nLayer 2 \(adapters\) vs 3 \(this model\), nEmbd 32 \(adapters\) vs 64 \(this model\)\. Load them onto the base checkpoint/,
    );
    expect(tf.memory().numTensors).toBe(count); // nothing left behind
    [adapters, model, other].forEach((x) => x.dispose());
  });

  it.each([
    ['a folder without adapters', () => {}, /No adapters at .*: adapter_config\.json is missing/],
    [
      'a tensor of the wrong shape',
      (d: string, files: Map<string, Uint8Array | string>) => {
        const config = JSON.parse(files.get(ADAPTER_FILES.config) as string);
        fs.writeFileSync(path.join(d, ADAPTER_FILES.config), JSON.stringify({ ...config, rank: 3, alpha: 6 }));
        fs.writeFileSync(path.join(d, ADAPTER_FILES.weights), files.get(ADAPTER_FILES.weights)!);
      },
      /adapter_model\.safetensors: [\s\S]*'transformer\.h\.0\.attn\.c_attn\.lora_A' has shape \[32, 2\], expected \[32, 3\]/,
    ],
    [
      'a config with a bad LoRA setting',
      (d: string, files: Map<string, Uint8Array | string>) => {
        const config = JSON.parse(files.get(ADAPTER_FILES.config) as string);
        fs.writeFileSync(path.join(d, ADAPTER_FILES.config), JSON.stringify({ ...config, alpha: -1 }));
        fs.writeFileSync(path.join(d, ADAPTER_FILES.weights), files.get(ADAPTER_FILES.weights)!);
      },
      /adapter_config\.json: LoRA config: 'alpha' must be a positive number/,
    ],
  ])('explains %s', (_, write, message) => {
    const model = tinyModel(setup);
    const adapters = addLora(model, { rank: 2, alpha: 4, targets: ['c_attn'] });
    write(dir, adapterFiles(adapters));
    adapters.dispose();
    expect(() => loadAdapters(model, dir)).toThrow(AdapterLoadError);
    expect(() => loadAdapters(model, dir)).toThrow(message);
    model.dispose();
  });
});

describe('training checkpoints of adapters', () => {
  function options(checkpointDir: string, model: GPT, adapters: ReturnType<typeof addLora>): TrainOptions {
    return {
      model,
      trainable: adapters.variables,
      checkpointFiles: () => adapterFiles(adapters),
      checkpointDir,
      train: setup.train,
      iters: 8,
      batchSize: 2,
      lr: 1e-2,
      evalInterval: 4,
      evalIters: 1,
      seed: 9,
    };
  }

  it('saves the adapters and the optimizer, not the base, and resumes to the same adapters', async () => {
    // Straight through: 8 iterations.
    const modelA = tinyModel(setup);
    const straight = addLora(modelA, { rank: 2, alpha: 4, targets: ['attn'] }, { seed: 1 });
    await train(options(dir, modelA, straight));
    expect(fs.readdirSync(dir).sort()).toEqual([ADAPTER_FILES.config, ADAPTER_FILES.weights, TRAINER_FILES.optimizer, TRAINER_FILES.state].sort());

    // Stopped after iteration 3, then resumed from the folder alone onto a fresh base.
    const dirB = makeTempDir('adapters-resumed');
    const modelB = tinyModel(setup);
    const baseWeights = weightsOf(modelB);
    const first = addLora(modelB, { rank: 2, alpha: 4, targets: ['attn'] }, { seed: 1 });
    await train({ ...options(dirB, modelB, first), stopAfter: 3 });
    first.dispose();
    const resumed = loadAdapters(modelB, dirB);
    const result = await train({ ...options(dirB, modelB, resumed), resume: true });
    expect(result.nextIter).toBe(8);
    for (const [name, v] of straight.variables) {
      expect(Array.from(resumed.variables.get(name)!.dataSync())).toEqual(Array.from(v.dataSync()));
    }
    expect(weightsOf(modelB)).toEqual(baseWeights);
    fs.rmSync(dirB, { recursive: true, force: true });
    [straight, resumed].forEach((a) => a.dispose());
    [modelA, modelB].forEach((m) => m.dispose());
  });
});
