/**
 * `finetune()` with each method on a tiny model: what trains, what is saved, and that
 * `loadFinetuned` gives back the same model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { type Conversation, courseDatasetPath, readInstructionDataset } from '../../src/data';
import {
  CHAT_SPECIAL_TOKENS,
  FINETUNE_INFO_FILE,
  addTrainableTokens,
  answerRequest,
  encodeForTraining,
  exampleBatches,
  finetune,
  formatConversation,
  loadFinetuned,
} from '../../src/finetune';
import { GPT, resolveConfig, saveCheckpoint } from '../../src/model';
import { BpeTokenizer } from '../../src/tokenizer';
import { train } from '../../src/train';
import { makeTempDir, maxWeightDifference, weightsOf } from '../helpers/tiny-gpt';
import { logitsOf, maxAbsDiff } from './fixture';

const conversations: Conversation[] = readInstructionDataset(courseDatasetPath('qa-terms', 'train')).slice(0, 24);
const tokenizer = BpeTokenizer.train(conversations.map(formatConversation).join('\n'), { vocabSize: 400, specialTokens: CHAT_SPECIAL_TOKENS });
const config = resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize: 64 });
let dir: string;
let baseDir: string;

beforeAll(async () => {
  await useBackend('wasm');
  dir = makeTempDir('finetune');
  baseDir = path.join(dir, 'base');
  saveCheckpoint(baseDir, { model: new GPT(config, { seed: 3 }), tokenizer });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const quick = { iters: 4, batchSize: 4, evalInterval: 2, evalIters: 1, seed: 5 } as const;
const probe = (): tf.Tensor2D => tf.tensor2d(encodeForTraining(conversations[0]!, tokenizer, { blockSize: 32 }).inputs, [1, 32], 'int32');

describe('finetune', () => {
  it('full: every weight can change, and the saved model loads back', async () => {
    const model = new GPT(config, { seed: 3 });
    const before = weightsOf(model);
    const out = path.join(dir, 'full');
    const run = await finetune({ model, tokenizer, method: 'full', train: conversations, val: conversations.slice(0, 4), out, baseCheckpoint: baseDir, ...quick });
    expect(run.trainablePercent).toBeCloseTo(100, 6);
    expect(run.training.steps).toHaveLength(4);
    const after = weightsOf(model);
    const changed = [...before].filter(([name, values]) => maxAbsDiff(values, after.get(name)!) > 0).length;
    expect(changed).toBe(before.size);
    const loaded = loadFinetuned(out);
    expect(loaded.info?.method).toBe('full');
    const idx = probe();
    expect(maxAbsDiff(logitsOf(loaded.model, idx), logitsOf(model, idx))).toBeLessThan(1e-6);
  });

  it('full with trainOnly: the picked weights change, every other weight stays as it was', async () => {
    const model = new GPT(config, { seed: 3 });
    const before = weightsOf(model);
    const linear = (name: string) => /\.(c_attn|c_proj|c_fc)\.weight$/.test(name);
    const run = await finetune({ model, tokenizer, method: 'full', train: conversations, trainOnly: linear, ...quick });
    const after = weightsOf(model);
    const moved = [...before].filter(([name, values]) => maxAbsDiff(values, after.get(name)!) > 0).map(([name]) => name);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.sort()).toEqual([...before.keys()].filter(linear).sort());
    const linearCount = [...model.params].filter(([name]) => linear(name)).reduce((n, [, v]) => n + v.size, 0);
    expect(run.trainableParameters).toBe(linearCount);
    expect(run.trainablePercent).toBeLessThan(100);
  });

  it('trainOnly is refused with adapters, and when it picks nothing', async () => {
    const model = new GPT(config, { seed: 3 });
    await expect(finetune({ model, tokenizer, method: 'lora', train: conversations, trainOnly: () => true, ...quick })).rejects.toThrow(/trainOnly .* needs method 'full'/);
    await expect(finetune({ model, tokenizer, method: 'full', train: conversations, trainOnly: () => false, ...quick })).rejects.toThrow(/picked none of the model's weights\. Their names look like: transformer\./);
  });

  it('lora: only the adapters train; the folder holds adapters and a path to the base', async () => {
    const model = new GPT(config, { seed: 3 });
    const before = weightsOf(model);
    const out = path.join(dir, 'lora');
    const run = await finetune({ model, tokenizer, method: 'lora', train: conversations, out, baseCheckpoint: baseDir, lora: { rank: 2, alpha: 4, targets: ['attn'] }, ...quick });
    expect(maxWeightDifference(before, weightsOf(model))).toBe(0); // the base, bit for bit
    // The chat markers never occur in a base corpus: their embedding rows train beside the adapters.
    expect(run.trainableTokens!.tokenIds).toEqual(CHAT_SPECIAL_TOKENS.map((m) => tokenizer.encode(m)[0]));
    const delta = [...run.trainableTokens!.variables.values()][0]!;
    expect(delta.shape).toEqual([4, config.nEmbd]);
    expect(Math.max(...Array.from(delta.dataSync(), Math.abs))).toBeGreaterThan(0);
    expect(run.trainableParameters).toBe(run.adapters!.trainableParameterCount + 4 * config.nEmbd);
    expect(fs.existsSync(path.join(out, 'trainable_tokens.safetensors'))).toBe(true);
    expect(run.trainablePercent).toBeLessThan(10);
    expect(fs.existsSync(path.join(out, 'model.safetensors'))).toBe(false); // no copy of the base
    expect(JSON.parse(fs.readFileSync(path.join(out, FINETUNE_INFO_FILE), 'utf8'))).toMatchObject({ method: 'lora', base: '../base' });
    const loaded = loadFinetuned(out);
    const idx = probe();
    expect(maxAbsDiff(logitsOf(loaded.model, idx), logitsOf(model, idx))).toBeLessThan(1e-5);
  });

  it('qlora: the base is held quantized, and loading quantizes it the same way', async () => {
    const model = new GPT(config, { seed: 3 });
    const out = path.join(dir, 'qlora');
    const run = await finetune({ model, tokenizer, method: 'qlora', bits: 4, train: conversations, out, baseCheckpoint: baseDir, lora: { rank: 2, alpha: 4, targets: ['attn'] }, ...quick });
    expect(run.memory.held).toBeLessThan(run.memory.model.float32);
    const loaded = loadFinetuned(out);
    expect(loaded.quantized?.bits).toBe(4);
    const idx = probe();
    expect(maxAbsDiff(logitsOf(loaded.model, idx), logitsOf(model, idx))).toBeLessThan(1e-5);
  });

  it('trainTokens: [] trains the adapters alone; a string that is not one token is refused', async () => {
    const model = new GPT(config, { seed: 3 });
    const run = await finetune({ model, tokenizer, method: 'lora', trainTokens: [], train: conversations, lora: { rank: 2, alpha: 4, targets: ['attn'] }, ...quick, iters: 1 });
    expect(run.trainableTokens).toBeUndefined();
    expect(run.trainableParameters).toBe(run.adapters!.trainableParameterCount);
    const other = new GPT(config, { seed: 3 });
    await expect(finetune({ model: other, tokenizer, method: 'lora', trainTokens: ['hello world'], train: conversations, ...quick })).rejects.toThrow(/must each be one token/);
  });

  it('an untrained token row changes nothing: logits with Δ = 0 are the model\'s own', () => {
    const model = new GPT(config, { seed: 3 });
    const idx = probe();
    const before = logitsOf(model, idx);
    const tokens = addTrainableTokens(model, [1, 2, 3]);
    expect(maxAbsDiff(logitsOf(model, idx), before)).toBe(0);
    tokens.dispose();
    expect(maxAbsDiff(logitsOf(model, idx), before)).toBe(0);
  });

  it('says where the base went when adapters cannot find it', async () => {
    const out = path.join(dir, 'lora-moved');
    fs.cpSync(path.join(dir, 'lora'), out, { recursive: true });
    fs.writeFileSync(path.join(out, FINETUNE_INFO_FILE), JSON.stringify({ method: 'lora', base: '../nowhere', rowLength: 32, maskPrompt: true }));
    expect(() => loadFinetuned(out)).toThrow(/trained on the base checkpoint .*nowhere.*not there/);
  });

  it('rejects an unknown method', async () => {
    const model = new GPT(config, { seed: 3 });
    await expect(finetune({ model, tokenizer, method: 'adapter' as never, train: conversations, ...quick })).rejects.toThrow(/'full', 'lora' or 'qlora'/);
  });
});

describe('train() on examples with a loss mask', () => {
  it('the first step\'s loss is the masked loss of its batch', async () => {
    const model = new GPT(config, { seed: 3 });
    const examples = conversations.map((c) => encodeForTraining(c, tokenizer, { blockSize: 48 }));
    const source = exampleBatches(examples);
    const [evalBatch] = source.evaluation(4, 1);
    const shape: [number, number] = [evalBatch!.batchSize, evalBatch!.blockSize];
    const masked = tf.tidy(() =>
      model.loss(tf.tensor2d(evalBatch!.inputs, shape, 'int32'), tf.tensor2d(evalBatch!.targets, shape, 'int32'), { lossMask: tf.tensor2d(evalBatch!.lossMask!, shape) }).dataSync()[0]!,
    );
    const unmasked = tf.tidy(() => model.loss(tf.tensor2d(evalBatch!.inputs, shape, 'int32'), tf.tensor2d(evalBatch!.targets, shape, 'int32')).dataSync()[0]!);
    const result = await train({ model, train: source, val: source, iters: 1, batchSize: 4, evalIters: 1, seed: 1 });
    // The evaluation at iteration 0 reads exactly that batch, before any step.
    expect(result.evals[0]!.valLoss).toBeCloseTo(masked, 5);
    expect(Math.abs(masked - unmasked)).toBeGreaterThan(1e-3); // the mask made a difference
  });

  it('refuses rows longer than the model\'s context', async () => {
    const model = new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize: 16 }), { seed: 3 });
    const source = exampleBatches(conversations.map((c) => encodeForTraining(c, tokenizer, { blockSize: 48 })));
    await expect(train({ model, train: source, iters: 1 })).rejects.toThrow(/48 positions per row, more than the model's blockSize 16/);
  });
});

describe('answerRequest', () => {
  it('writes at most maxNewTokens tokens and never the end marker', () => {
    const model = new GPT(config, { seed: 3 });
    const answer = answerRequest(model, tokenizer, 'What is NLP?', { maxNewTokens: 5 });
    expect(answer).not.toContain('<|end|>');
    expect(tokenizer.encode(answer).length).toBeLessThanOrEqual(6);
  });
});
