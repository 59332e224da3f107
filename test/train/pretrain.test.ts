import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBackend } from '../../src/backend';
import { CHECKPOINT_FILES, loadCheckpoint } from '../../src/model';
import { TRAINER_FILES, buildTokenizer, pretrain } from '../../src/train';
import { makeTempDir, maxWeightDifference, syntheticText, weightsOf } from '../helpers/tiny-gpt';

const text = syntheticText(200, 2);
let dir: string;
let corpus: string;

beforeAll(async () => {
  await useBackend('wasm');
  dir = makeTempDir('pretrain');
  corpus = path.join(dir, 'corpus.txt');
  fs.writeFileSync(corpus, text);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const small = { preset: 'tiny', iters: 4, batchSize: 2, evalInterval: 2, evalIters: 1 } as const;

describe('pretrain', () => {
  it('trains a BPE tokenizer and a model on a text file and saves a checkpoint that loads', async () => {
    const out = path.join(dir, 'bpe');
    const { model, tokenizer, result } = await pretrain({ ...small, corpus, out, tokenizer: 'bpe', bpeVocabSize: 300 });
    expect(tokenizer.kind).toBe('bpe');
    expect(tokenizer.vocabSize).toBeGreaterThan(256); // bytes plus learned merges
    expect(tokenizer.encode(text).length).toBeLessThan(text.length); // merges shorten the text
    expect(model.config.vocabSize).toBe(tokenizer.vocabSize);
    expect(model.config.nLayer).toBe(2); // the tiny preset
    expect(result.nextIter).toBe(4);
    for (const file of [...Object.values(CHECKPOINT_FILES), ...Object.values(TRAINER_FILES)]) {
      expect([file, fs.existsSync(path.join(out, file))]).toEqual([file, true]);
    }

    const loaded = loadCheckpoint(out);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.tokenizer.toJSON()).toEqual(tokenizer.toJSON());
    expect(loaded.tokenizer.decode(loaded.tokenizer.encode(text))).toBe(text);
    expect(maxWeightDifference(weightsOf(loaded.model), weightsOf(model))).toBe(0);
    loaded.model.dispose();
    model.dispose();
  });

  it('continues a saved run with resume: same tokenizer, more iterations', async () => {
    const out = path.join(dir, 'char');
    const first = await pretrain({ ...small, corpus, out, tokenizer: 'char' });
    first.model.dispose();
    const second = await pretrain({ ...small, corpus, out, resume: true, iters: 6 });
    expect(second.tokenizer.toJSON()).toEqual(first.tokenizer.toJSON());
    expect(second.result.steps.map((s) => s.iter)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(second.result.nextIter).toBe(6);
    second.model.dispose();
  });

  it('refuses to resume where no training was saved, and says what to do', async () => {
    const out = path.join(dir, 'nothing-here');
    await expect(pretrain({ ...small, corpus, out, resume: true })).rejects.toThrow(
      `Cannot resume: ${out} holds no training checkpoint (no ${TRAINER_FILES.state}). Drop --resume to start afresh.`,
    );
  });

  it.each([
    ['char', new Set(text).size], // one token per distinct character
    ['gpt2', 50257], // GPT-2's fixed vocabulary
  ] as const)('buildTokenizer(%s) builds that tokenizer, with %i tokens', (choice, vocabSize) => {
    const tokenizer = buildTokenizer(choice, text);
    expect(tokenizer.kind).toBe(choice);
    expect(tokenizer.vocabSize).toBe(vocabSize);
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });
});
