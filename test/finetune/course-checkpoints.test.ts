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
import { CHAT_MARKERS, evaluateAnswers, loadFinetuned } from '../../src/finetune';
import { nextTokenDistribution } from '../../src/generate';
import { loadCheckpoint } from '../../src/model';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('data/checkpoints/base', () => {
  const base = loadCheckpoint(courseCheckpointPath('base'));

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
  });
});
