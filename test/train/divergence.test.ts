import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { type GPT, loadCheckpoint } from '../../src/model';
import { TRAINER_FILES, TrainingDivergedError, train } from '../../src/train';
import { type TinySetup, makeTempDir, tinyModel, tinySetup } from '../helpers/tiny-gpt';

let setup: TinySetup;
const dirs: string[] = [];

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup();
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Fills one weight with NaN: every loss computed after this is NaN. */
function poison(model: GPT): void {
  const weight = model.params.get('transformer.ln_f.weight')!;
  tf.tidy(() => weight.assign(tf.fill(weight.shape, NaN)));
}

describe('train: divergence', () => {
  it.each([
    // poisoned after step, fails at iteration, on what
    [4, 5, 'loss'], // a training step
    [5, 6, 'training loss'], // the evaluation that starts iteration 6
  ])(
    'poisoned after step %i: rejects at iteration %i (the %s), keeping the checkpoint of iteration 3',
    async (poisonAfter, failsAt, what) => {
      const dir = makeTempDir('diverged');
      dirs.push(dir);
      const model = tinyModel(setup);
      const run = train({
        model,
        train: setup.train,
        tokenizer: setup.tokenizer,
        checkpointDir: dir,
        iters: 20,
        batchSize: 2,
        evalInterval: 3, // checkpoints at iterations 3 and 6
        evalIters: 1,
        callbacks: {
          onStep: (info) => {
            if (info.iter === poisonAfter) poison(model);
          },
        },
      });
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrainingDivergedError);
      expect((error as TrainingDivergedError).iter).toBe(failsAt);
      const message = (error as Error).message;
      expect(message).toContain(`Training diverged at iteration ${failsAt}: the ${what} is not a finite number.`);
      expect(message).toContain(`The last good checkpoint is kept in ${dir}.`);

      // The folder still holds the last good checkpoint: finite weights, iteration 3.
      const state = JSON.parse(fs.readFileSync(path.join(dir, TRAINER_FILES.state), 'utf8')) as { nextIter: number };
      expect(state.nextIter).toBe(3);
      const { model: saved } = loadCheckpoint(dir);
      for (const [name, p] of saved.params) expect([name, p.dataSync().every(Number.isFinite)]).toEqual([name, true]);
      saved.dispose();
      model.dispose();
    },
  );

  it('rejects at the first evaluation when the weights are NaN from the start, and names no checkpoint', async () => {
    const model = tinyModel(setup);
    poison(model);
    const steps: number[] = [];
    const error = await train({
      model,
      train: setup.train,
      iters: 5,
      batchSize: 2,
      evalIters: 1,
      callbacks: { onStep: (info) => steps.push(info.iter) },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/^Training diverged at iteration 0: the training loss is not a finite number\. Try a lower learning rate/);
    expect(steps).toEqual([]); // it did not train on
    model.dispose();
  });

  it('frees its optimizer when it gives up: no tensors left beyond the model', async () => {
    const model = tinyModel(setup);
    const before = tf.memory().numTensors;
    poison(model);
    await expect(train({ model, train: setup.train, iters: 5, batchSize: 2, evalIters: 1 })).rejects.toThrow(TrainingDivergedError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects a learning rate so large that the weights blow up', async () => {
    const model = tinyModel(setup);
    const error = await train({
      model,
      train: setup.train,
      iters: 40,
      batchSize: 2,
      lr: 1e30,
      warmupIters: 0,
      gradClip: 0,
      evalInterval: 1000,
      evalIters: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/^Training diverged at iteration \d+/);
    model.dispose();
  });
});
