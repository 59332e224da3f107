/**
 * The checkpoints the course ships, held to what they were made for (the measured figures
 * are in bench/results and the README; the margins here are generous on purpose):
 *
 * - the base model continues text: "The cat sat on the" → mat, floor, couch, bed;
 * - it has never seen a request answered, and the tuned adapters have.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBackend } from '../../src/backend';
import { courseCheckpointPath, courseDatasetPath, readInstructionDataset } from '../../src/data';
import { CHAT_MARKERS, encodePrompt, evaluateAnswers, fewShotPrompt, loadAdapters, loadFinetuned, quantizeModel, splitRequest } from '../../src/finetune';
import { nextTokenDistribution } from '../../src/generate';
import { loadCheckpoint } from '../../src/model';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('data/checkpoints/base', () => {
  // Loaded when the first test runs, after beforeAll has chosen the backend: a load in the
  // describe body would put the weights on tfjs's default cpu backend.
  let base: ReturnType<typeof loadCheckpoint>;
  beforeAll(() => {
    base = loadCheckpoint(courseCheckpointPath('base'));
  });

  it('is the baby GPT with a context of 128 and the chat markers in its vocabulary', () => {
    expect(base.model.config).toMatchObject({ nLayer: 4, nHead: 4, nEmbd: 128, blockSize: 128, vocabSize: 1024 });
    for (const marker of Object.values(CHAT_MARKERS)) expect(base.tokenizer.encode(marker)).toHaveLength(1);
    for (const leftover of ['optimizer.safetensors', 'trainer-state.json']) expect(fs.existsSync(path.join(courseCheckpointPath('base'), leftover))).toBe(false);
  });

  it('continues "The cat sat on the" with the places of the toy grammar', () => {
    const top = nextTokenDistribution(base.model, base.tokenizer, 'The cat sat on the', { top: 6 }).map((row) => row.text.trim());
    const places = ['mat', 'floor', 'couch', 'bed'].filter((place) => top.some((text) => place.startsWith(text) && text.length >= 2));
    expect(places.length).toBeGreaterThanOrEqual(3);
  });
});

describe('data/checkpoints/qa-terms-lora', () => {

  it('qa-terms: the tuned model answers held-out questions; the base does not', () => {
    const qaTest = readInstructionDataset(courseDatasetPath('qa-terms', 'test')).slice(0, 12);
    const qaTrain = readInstructionDataset(courseDatasetPath('qa-terms', 'train'));
    const tuned = loadFinetuned(courseCheckpointPath('qa-terms-lora'));
    const base = loadCheckpoint(courseCheckpointPath('base'));
    const after = evaluateAnswers(tuned.model, tuned.tokenizer, qaTest);
    const before = evaluateAnswers(base.model, base.tokenizer, qaTest, { prompting: 'few-shot', examples: qaTrain.slice(0, 3) });
    expect(after.f1).toBeGreaterThan(before.f1 + 0.2);
    // Each row says what its prompt cost to read: the request in the chat template, or worked examples and the request.
    for (const [i, row] of after.rows.entries()) expect(row.promptTokens).toBe(encodePrompt(splitRequest(qaTest[i]!).request, tuned.tokenizer).length);
    for (const [i, row] of before.rows.entries()) {
      const { request } = splitRequest(qaTest[i]!);
      const fitting = [3, 2, 1].map((shots) => base.tokenizer.encode(fewShotPrompt(qaTrain.slice(0, shots), request)).length);
      expect(fitting).toContain(row.promptTokens); // as many worked examples as fit in the context
      expect(row.promptTokens).toBeGreaterThan(encodePrompt(request, base.tokenizer).length);
    }
  });
});

/**
 * The structured task, with adapters of 1.83% of the parameters (LoRA rank 1 on attention and
 * MLP, rank 8 on the token embedding), trained 2,000 iterations by bench/finetune-outcomes.js.
 * The measured figures, on 40 held-out requests, are in bench/results/finetune-outcomes.json;
 * the bars here are lower.
 */
describe('data/checkpoints/extract-fields-lora', () => {
  // A few requests keep the test quick (answers are generated token by token); the bars allow
  // for what a small sample can miss.
  const requests = (count = 12) => readInstructionDataset(courseDatasetPath('extract-fields', 'test')).slice(0, count);
  const measured = (): Record<string, { fieldAccuracy: number }> =>
    JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'bench', 'results', 'finetune-outcomes.json'), 'utf8'));

  it('trains at most 2% of the model and fills the fields of held-out requests, which the base prompted few-shot cannot', () => {
    const tuned = loadFinetuned(courseCheckpointPath('extract-fields-lora'));
    expect(tuned.adapters!.trainablePercent).toBeLessThanOrEqual(2);
    const after = evaluateAnswers(tuned.model, tuned.tokenizer, requests());
    const base = loadCheckpoint(courseCheckpointPath('base'));
    const train = readInstructionDataset(courseDatasetPath('extract-fields', 'train'));
    const before = evaluateAnswers(base.model, base.tokenizer, requests(4), { prompting: 'few-shot', examples: train.slice(0, 3) });
    expect(after.fieldAccuracy).toBeGreaterThan(0.8);
    expect(before.fieldAccuracy).toBeLessThan(0.2);
    // LoRA reaches at least 90% of what full fine-tuning reached with the same training.
    expect(after.fieldAccuracy).toBeGreaterThanOrEqual(0.9 * measured().extractFull!.fieldAccuracy);
  });

  it('keeps its answers on a base stored in 4 bits (the frozen base QLoRA trains on)', () => {
    const float = loadFinetuned(courseCheckpointPath('extract-fields-lora'));
    const onFloat = evaluateAnswers(float.model, float.tokenizer, requests(6));
    const { model, tokenizer } = loadCheckpoint(courseCheckpointPath('base'));
    const quantized = quantizeModel(model, { bits: 4 });
    loadAdapters(model, courseCheckpointPath('extract-fields-lora'));
    const onNf4 = evaluateAnswers(model, tokenizer, requests(6));
    expect(quantized.bits).toBe(4);
    expect(onNf4.fieldAccuracy).toBeGreaterThan(onFloat.fieldAccuracy - 0.05);
  });
});
