/**
 * Recorded runs: the shipped Shakespeare run loads with its log and model and names the
 * command that makes it; `recordRun` writes a folder that `loadRecordedRun` reads back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/backend';
import { RECORDED_RUN_RECIPES, RecordedRunError, loadRecordedRun, recordRun } from '../../src/train';

beforeAll(async () => {
  await initBackend();
});

describe('the shipped recorded runs', () => {
  it.each(Object.keys(RECORDED_RUN_RECIPES))('%s loads, was made by its recipe, and prints the command that regenerates it', (name) => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const run = loadRecordedRun(name);
    expect(log.mock.calls[0]![0]).toContain(`regenerate it with \`npx llm-lab record ${name}\``);
    log.mockRestore();
    const recipe = RECORDED_RUN_RECIPES[name as keyof typeof RECORDED_RUN_RECIPES].pretrain;
    expect(run.steps).toHaveLength(recipe.iters);
    expect(run.settings).toMatchObject({ iters: recipe.iters, batchSize: recipe.batchSize, lr: recipe.lr, seed: recipe.seed });
    expect(run.evals.at(-1)!.valLoss).toBe(run.finalValLoss);
    expect(run.finalValLoss).toBeLessThan(run.evals[0]!.valLoss);
    const { model, tokenizer } = run.loadModel();
    expect(model.config.vocabSize).toBe(tokenizer.vocabSize);
    model.dispose();
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

  it('an unknown name lists the runs there are; a missing folder says how to make it', () => {
    expect(() => loadRecordedRun('nope', { dir })).toThrow(new RecordedRunError("There is no recorded run 'nope'. The course records: shakespeare-baby."));
    expect(() => loadRecordedRun('shakespeare-baby', { dir })).toThrow(/has not been made here\. Make it with `npx llm-lab record shakespeare-baby`/);
  });
});
