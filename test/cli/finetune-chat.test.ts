/** `llm-lab finetune` and `llm-lab chat` on a tiny checkpoint, as a user runs them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBackend } from '../../src/backend';
import { courseDatasetPath, formatJsonl, readInstructionDataset, readJsonl } from '../../src/data';
import { CHAT_SPECIAL_TOKENS, formatConversation } from '../../src/finetune';
import { GPT, countParameters, readConfig, resolveConfig, saveCheckpoint } from '../../src/model';
import { BpeTokenizer } from '../../src/tokenizer';
import { type CliResult, requireBuiltCli, runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tiny-gpt';

let dir: string;
let base: string;
let trainFile: string;
let lora: CliResult;

beforeAll(async () => {
  requireBuiltCli();
  await useBackend('wasm');
  dir = makeTempDir('cli-finetune');
  base = path.join(dir, 'base');
  const records = readJsonl(courseDatasetPath('qa-terms', 'train')).slice(0, 16).map((r) => r.value);
  trainFile = path.join(dir, 'qa.train.jsonl');
  fs.writeFileSync(trainFile, formatJsonl(records));
  fs.writeFileSync(path.join(dir, 'qa.test.jsonl'), formatJsonl(readJsonl(courseDatasetPath('qa-terms', 'test')).slice(0, 2).map((r) => r.value)));
  const text = readInstructionDataset(trainFile).map(formatConversation).join('\n');
  const tokenizer = BpeTokenizer.train(text, { vocabSize: 320, specialTokens: CHAT_SPECIAL_TOKENS });
  saveCheckpoint(base, { model: new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize: 64 }), { seed: 1 }), tokenizer });
  lora = runCli(['finetune', '--checkpoint', base, '--method', 'lora', '--rank', '2', '--data', trainFile, '--out', path.join(dir, 'lora'), '--iters', '3', '--batch-size', '2', '--eval-examples', '2']);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('llm-lab finetune', () => {
  it('prints what trains, the memory, and an evaluation on the held-out sibling file', () => {
    expect(lora.stderr).not.toMatch(/^llm-lab:/m);
    expect(lora.status).toBe(0);
    expect(lora.stderr).toMatch(/LoRA rank 2, alpha 16 on attn,mlp: [\d,]+ of [\d,]+ base parameters train \(\d+\.\d\d%\)/);
    expect(lora.stderr).toMatch(/held out: .*qa\.test\.jsonl/);
    expect(lora.stdout).toMatch(/Fine-tuned with lora: [\d,]+ trainable parameters/);
    expect(lora.stdout).toMatch(/Weights held: [\d.]+ MB/);
    // free-text answers: exact match and word F1, no "fields right" column of zeros
    expect(lora.stdout).toContain('| model | exact match | word F1 |');
    expect(lora.stdout).toMatch(/\| fine-tuned \| [\d.]+% \| [\d.]+% \|$/m);
    expect(lora.stdout).toMatch(/\| base, few-shot prompt \|/);
    for (const file of ['adapter_model.safetensors', 'adapter_config.json', 'finetune.json']) expect(fs.existsSync(path.join(dir, 'lora', file))).toBe(true);
  });

  it('qlora reports the 4-bit base, and the share of the whole model (quantized weights included) that trains', () => {
    const result = runCli(['finetune', '--checkpoint', base, '--method', 'qlora', '--rank', '2', '--embedding-rank', '2', '--data', trainFile, '--out', path.join(dir, 'qlora'), '--iters', '2', '--batch-size', '2', '--eval-examples', '0']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/QLoRA \(base in 4 bits\) rank 2, alpha 16 on attn,mlp and the token embedding \(rank 2\)/);
    const [, trainable, total, percent] = /([\d,]+) of ([\d,]+) base parameters train \((\d+\.\d\d)%\)/.exec(result.stderr)!.map((x) => x.replace(/,/g, ''));
    expect(Number(total)).toBe(countParameters(readConfig(base))); // not only the float weights left in model.params
    expect(Number(percent)).toBeCloseTo((100 * Number(trainable)) / (Number(total) + Number(trainable)), 2);
    expect(result.stdout).not.toMatch(/Held-out evaluation/);
  });

  it('adds the "fields right" column when the answers are key=value lists', () => {
    const fieldsDir = path.join(dir, 'fields');
    fs.mkdirSync(fieldsDir);
    // short orders, so that they fit the tiny model's context with its qa-trained tokenizer
    const order = (name: string, qty: number) => ({ instruction: 'Fields?', input: `${name} buys ${qty}.`, output: `name=${name}; qty=${qty}` });
    fs.writeFileSync(path.join(fieldsDir, 'orders.train.jsonl'), formatJsonl([order('Ana', 2), order('Bo', 3), order('Cy', 4), order('Di', 5)]));
    fs.writeFileSync(path.join(fieldsDir, 'orders.test.jsonl'), formatJsonl([order('Ed', 6), order('Flo', 7)]));
    const result = runCli(['finetune', '--checkpoint', base, '--method', 'full', '--data', path.join(fieldsDir, 'orders.train.jsonl'), '--out', path.join(fieldsDir, 'out'), '--iters', '1', '--batch-size', '2', '--eval-examples', '2']);
    expect(result.stderr).not.toMatch(/^llm-lab:/m);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('| model | exact match | fields right | word F1 |');
    expect(result.stdout).toMatch(/\| fine-tuned \| [\d.]+% \| [\d.]+% \| [\d.]+% \|$/m);
  });

  it('names the line of a bad record', () => {
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"instruction": "Say hi", "output": "hi"}\n{"instruction": 3}\n');
    const result = runCli(['finetune', '--checkpoint', base, '--data', bad, '--out', path.join(dir, 'bad'), '--iters', '1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.jsonl:2:/);
  });
});

describe('llm-lab chat', () => {
  it('answers each request given as an argument, one line each', () => {
    const result = runCli(['chat', '--checkpoint', path.join(dir, 'lora'), '--max-tokens', '4', 'What is NLP?', 'Define token.']);
    expect(result.stderr).not.toMatch(/^llm-lab:/m);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).not.toContain('<|end|>');
  });

  it('warns that a plain checkpoint continues text rather than answering', () => {
    const result = runCli(['chat', '--checkpoint', base, '--max-tokens', '2', 'Hello']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/not instruction-tuned/);
  });
});
