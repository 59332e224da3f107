/**
 * Recorded runs: each shipped run loads with its log (and the Shakespeare run with its model)
 * and names the command that makes it; `recordRun` writes a folder that `loadRecordedRun`
 * reads back, for both kinds of recipe.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/backend';
import { RECORDED_RUN_RECIPES, type RecordedRunName, type RecordedRunRecipe, RecordedRunError, loadRecordedRun, recordRun } from '../../src/recorded';

beforeAll(async () => {
  await initBackend();
});

describe('the shipped recorded runs', () => {
  const names = Object.keys(RECORDED_RUN_RECIPES) as RecordedRunName[];
  it.each(names)('%s loads, was made by its recipe with the build and BLAS recorded, and prints the command that regenerates it', (name) => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const run = loadRecordedRun(name);
    expect(log.mock.calls[0]![0]).toContain(`regenerate it with \`npx llm-lab record ${name}\``);
    log.mockRestore();
    const recipe: RecordedRunRecipe = RECORDED_RUN_RECIPES[name];
    const settings = recipe.kind === 'pretrain' ? recipe.pretrain : recipe.finetune;
    expect(run.kind).toBe(recipe.kind);
    expect(run.steps).toHaveLength(settings.iters);
    expect(run.settings).toMatchObject({ iters: settings.iters, batchSize: settings.batchSize, lr: settings.lr, seed: settings.seed });
    expect(run.environment.commit).toMatch(/^[0-9a-f]{40}(\+changes)?$/);
    expect(run.environment.blas).toEqual(expect.any(String));
    expect(run.evals.at(-1)!.valLoss).toBe(run.finalValLoss);
    expect(run.finalValLoss).toBeLessThan(run.evals[0]!.valLoss);
    if (recipe.kind === 'pretrain') {
      const { model, tokenizer } = run.loadModel();
      expect(model.config.vocabSize).toBe(tokenizer.vocabSize);
      model.dispose();
    } else {
      // Scored every answersInterval iterations from 0, and once more after the last step.
      const every = recipe.finetune.answersInterval;
      const expected = [...Array.from({ length: Math.ceil(recipe.finetune.iters / every) }, (_, i) => i * every), recipe.finetune.iters];
      expect(run.answers!.map((a) => a.iter)).toEqual(expected);
      expect(run.settings).toMatchObject({ dataset: recipe.finetune.dataset, method: recipe.finetune.method, base: path.join('data', 'checkpoints', 'base') });
      expect(() => run.loadModel()).toThrow(/ships its log, not its model/);
    }
  });
});

describe('recordRun and loadRecordedRun', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-recorded-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a short recording writes the log and the checkpoint (no optimizer state), which load back', async () => {
    const log = await recordRun('shakespeare-baby', { dir, iters: 2 });
    expect(fs.readdirSync(path.join(dir, 'shakespeare-baby')).sort()).toEqual(['config.json', 'model.safetensors', 'run.json', 'tokenizer.json']);
    expect(log.steps.map((s) => s.iter)).toEqual([0, 1]);
    expect(log.command).toBe('npx llm-lab record shakespeare-baby');
    const run = loadRecordedRun('shakespeare-baby', { dir, announce: false });
    expect(run.finalValLoss).toBe(log.finalValLoss);
    expect(run.settings['corpus']).toBe(path.join('data', 'tinyshakespeare.txt'));
  }, 120_000);

  it('a short fine-tuning recording scores the held-out answers as it goes and ships no model', async () => {
    const scored: number[] = [];
    const log = await recordRun('extract-lora-embedding', { dir, iters: 2, onAnswers: (a) => scored.push(a.iter) });
    expect(fs.readdirSync(path.join(dir, 'extract-lora-embedding'))).toEqual(['run.json']);
    expect(scored).toEqual([0, 2]);
    expect(log.answers!.map((a) => a.iter)).toEqual([0, 2]);
    expect(log.trainablePercent).toBeCloseTo(1.83, 2);
    for (const a of log.answers!) for (const x of [a.fieldAccuracy, a.exactMatch, a.f1]) expect(x).toBeGreaterThanOrEqual(0);
    expect(log.examples).toHaveLength(5);
    const run = loadRecordedRun('extract-lora-embedding', { dir, announce: false });
    expect(run.answers).toEqual(log.answers);
  }, 240_000);

  it('an unknown name lists the runs there are; a missing folder says how to make it', () => {
    expect(() => loadRecordedRun('nope', { dir })).toThrow(new RecordedRunError(`There is no recorded run 'nope'. The course records: ${Object.keys(RECORDED_RUN_RECIPES).join(', ')}.`));
    expect(() => loadRecordedRun('shakespeare-baby', { dir })).toThrow(/has not been made here\. Make it with `npx llm-lab record shakespeare-baby`/);
  });
});
