/**
 * Recorded runs: each shipped run loads with its log (and the Shakespeare run with its model)
 * and names the command that makes it; `recordRun` writes a folder that `loadRecordedRun`
 * reads back, for both kinds of recipe.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/backend';
import { courseCheckpointPath } from '../../src/data';
import { loadCheckpoint } from '../../src/model';
import {
  RECORDED_RUN_RECIPES,
  type RecordedRunLog,
  type RecordedRunName,
  type RecordedRunRecipe,
  RecordedRunError,
  type RecordedSweepLog,
  loadRecordedRun,
  loadRecordedSweep,
  recordRun,
  rowsPerAnswer,
} from '../../src/recorded';

beforeAll(async () => {
  await initBackend();
});

/** A log of one run (not a sweep), or a failed expectation saying which it was. */
function oneRun(log: RecordedRunLog | RecordedSweepLog): RecordedRunLog {
  if (log.kind === 'sweep') throw new Error(`expected the log of one run, got the sweep '${log.name}'`);
  return log;
}

const recipeNames = Object.keys(RECORDED_RUN_RECIPES) as RecordedRunName[];

describe('the shipped recorded runs', () => {
  const names = recipeNames.filter((name) => RECORDED_RUN_RECIPES[name].kind !== 'sweep');
  it.each(names)('%s loads, was made by its recipe with the build and BLAS recorded, and prints the command that regenerates it', (name) => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const run = loadRecordedRun(name);
    expect(log.mock.calls[0]![0]).toContain(`regenerate it with \`npx llm-lab record ${name}\``);
    log.mockRestore();
    const recipe: RecordedRunRecipe = RECORDED_RUN_RECIPES[name];
    if (recipe.kind === 'sweep') throw new Error('filtered out above');
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

  const sweeps = recipeNames.filter((name) => RECORDED_RUN_RECIPES[name].kind === 'sweep');
  it.each(sweeps)('the sweep %s holds one scored fine-tuning per start, size and seed of its recipe', (name) => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const sweep = loadRecordedSweep(name);
    expect(log.mock.calls[0]![0]).toContain(`regenerate it with \`npx llm-lab record ${name}\``);
    log.mockRestore();
    const recipe: RecordedRunRecipe = RECORDED_RUN_RECIPES[name];
    if (recipe.kind !== 'sweep') throw new Error('filtered above');
    const { inits, rowsPerAnswer: sizes, seeds } = recipe.sweep;
    expect(sweep.points.map((p) => [p.init, p.rowsPerAnswer, p.seed])).toEqual(inits.flatMap((i) => sizes.flatMap((r) => seeds.map((s) => [i, r, s]))));
    expect(sweep.settings).toMatchObject({ iters: recipe.sweep.iters, lr: recipe.sweep.lr, batchSize: recipe.sweep.batchSize });
    expect(sweep.environment.commit).toMatch(/^[0-9a-f]{40}(\+changes)?$/);
    for (const p of sweep.points) {
      expect(p.exactMatch).toBeGreaterThanOrEqual(0);
      expect(p.exactMatch).toBeLessThanOrEqual(1);
      expect(p.examples.length).toBeGreaterThan(0);
    }
    expect(() => loadRecordedRun(name)).toThrow(/is a sweep of many runs, not one run: load it with loadRecordedSweep/);
  });
});

describe('rowsPerAnswer', () => {
  const row = (q: string, a: string) => ({ messages: [{ role: 'user' as const, content: q }, { role: 'assistant' as const, content: a }] });
  const rows = ['A', 'B', 'C'].flatMap((a) => [1, 2, 3, 4].map((i) => row(`${a}${i}?`, a)));

  it('keeps that many rows of every answer, drawn by the seed, answers in their first order', () => {
    const kept = rowsPerAnswer(rows, 2, 7);
    expect(kept.map((c) => c.messages[1]!.content)).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
    expect(new Set(kept.map((c) => c.messages[0]!.content)).size).toBe(6);
    expect(rowsPerAnswer(rows, 2, 7)).toEqual(kept);
    expect(rowsPerAnswer(rows, 4, 1)).toHaveLength(12);
    expect(rowsPerAnswer(rows, 9, 1)).toHaveLength(12);
    const draws = new Set([1, 2, 3, 4, 5, 6].map((seed) => rowsPerAnswer(rows, 1, seed)[0]!.messages[0]!.content));
    expect(draws.size).toBeGreaterThan(1);
  });

  it('refuses to keep no rows', () => {
    expect(() => rowsPerAnswer(rows, 0, 1)).toThrow(/keep at least 1 row of each answer, got 0/);
  });
});

describe('recordRun and loadRecordedRun', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-recorded-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a short recording writes the log and the checkpoint (no optimizer state), which load back', async () => {
    const log = oneRun(await recordRun('shakespeare-baby', { dir, iters: 2 }));
    expect(fs.readdirSync(path.join(dir, 'shakespeare-baby')).sort()).toEqual(['config.json', 'model.safetensors', 'run.json', 'tokenizer.json']);
    expect(log.steps.map((s) => s.iter)).toEqual([0, 1]);
    expect(log.command).toBe('npx llm-lab record shakespeare-baby');
    const run = loadRecordedRun('shakespeare-baby', { dir, announce: false });
    expect(run.finalValLoss).toBe(log.finalValLoss);
    expect(run.settings['corpus']).toBe(path.join('data', 'tinyshakespeare.txt'));
  }, 120_000);

  it('a short fine-tuning recording scores the held-out answers as it goes and ships no model', async () => {
    const scored: number[] = [];
    const log = oneRun(await recordRun('extract-lora-embedding', { dir, iters: 2, onAnswers: (a) => scored.push(a.iter) }));
    expect(fs.readdirSync(path.join(dir, 'extract-lora-embedding'))).toEqual(['run.json']);
    expect(scored).toEqual([0, 2]);
    expect(log.answers!.map((a) => a.iter)).toEqual([0, 2]);
    expect(log.trainablePercent).toBeCloseTo(1.83, 2);
    for (const a of log.answers!) for (const x of [a.fieldAccuracy, a.exactMatch, a.f1]) expect(x).toBeGreaterThanOrEqual(0);
    expect(log.examples).toHaveLength(5);
    const run = loadRecordedRun('extract-lora-embedding', { dir, announce: false });
    expect(run.answers).toEqual(log.answers);
  }, 240_000);

  it('a fine-tuning from random weights starts from no knowledge: its first loss is near ln V', async () => {
    const log = oneRun(await recordRun('extract-random', { dir, iters: 1 }));
    expect(log.settings).toMatchObject({ init: 'random', initSeed: 2024 });
    // Random weights of the base's shape: the loss starts near ln V (the base starts far below it).
    const { model, tokenizer } = loadCheckpoint(courseCheckpointPath('base'));
    model.dispose();
    expect(log.steps[0]!.loss).toBeGreaterThan(0.9 * Math.log(tokenizer.vocabSize));
  }, 240_000);

  it('a small sweep scores each of its fine-tunings and loads back as a sweep', async () => {
    const told: string[] = [];
    const log = await recordRun('qa-data-efficiency', {
      dir,
      iters: 2,
      sweep: { rowsPerAnswer: [1], inits: ['base', 'random'], seeds: [1], heldOutRequests: 3 },
      onPoint: (p, done, total) => told.push(`${done}/${total} ${p.init}`),
    });
    if (log.kind !== 'sweep') throw new Error('expected a sweep log');
    expect(told).toEqual(['1/2 base', '2/2 random']);
    expect(log.heldOutRequests).toBe(3);
    expect(log.points.map((p) => p.trainRows)).toEqual([49, 49]);
    const sweep = loadRecordedSweep('qa-data-efficiency', { dir, announce: false });
    expect(sweep.points).toEqual(log.points);
    expect(() => loadRecordedSweep('extract-full', { dir })).toThrow(/is one run, not a sweep: load it with loadRecordedRun/);
  }, 240_000);

  it('an unknown name lists the runs there are; a missing folder says how to make it', () => {
    expect(() => loadRecordedRun('nope', { dir })).toThrow(new RecordedRunError(`There is no recorded run 'nope'. The course records: ${Object.keys(RECORDED_RUN_RECIPES).join(', ')}.`));
    expect(() => loadRecordedRun('shakespeare-baby', { dir })).toThrow(/has not been made here\. Make it with `npx llm-lab record shakespeare-baby`/);
  });
});
