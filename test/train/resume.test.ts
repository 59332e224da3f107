import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBackend } from '../../src/backend';
import { loadCheckpoint } from '../../src/model';
import { TRAINER_FILES, type TrainOptions, type TrainResult, train } from '../../src/train';
import { type TinySetup, makeTempDir, maxWeightDifference, tinyModel, tinySetup, weightsOf } from '../helpers/tiny-gpt';

let setup: TinySetup;
let straight: { result: TrainResult; weights: Map<string, Float32Array> };
let stopped: TrainResult;
let stoppedState: { nextIter: number; steps: unknown[] };
let resumed: { result: TrainResult; weights: Map<string, Float32Array> };
const dirs: string[] = [];

/** The same run both ways: 12 iterations, evaluated and saved every 3 (so at 6, where B resumes). */
function options(dir: string): Omit<TrainOptions, 'model'> {
  return {
    train: setup.train,
    val: setup.val,
    tokenizer: setup.tokenizer,
    iters: 12,
    batchSize: 4,
    lr: 3e-3,
    evalInterval: 3,
    evalIters: 2,
    seed: 3,
    checkpointDir: dir,
  };
}

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup();
  const [dirA, dirB] = [makeTempDir('straight'), makeTempDir('resumed')];
  dirs.push(dirA, dirB);

  // A: twelve iterations without stopping.
  const modelA = tinyModel(setup);
  straight = { result: await train({ ...options(dirA), model: modelA }), weights: weightsOf(modelA) };
  modelA.dispose();

  // B: stop after iteration 5, then continue to 12 with a model rebuilt from the checkpoint alone.
  const modelB = tinyModel(setup);
  stopped = await train({ ...options(dirB), model: modelB, stopAfter: 5 });
  modelB.dispose();
  stoppedState = JSON.parse(fs.readFileSync(path.join(dirB, TRAINER_FILES.state), 'utf8')) as typeof stoppedState;
  const { model: reloaded } = loadCheckpoint(dirB);
  resumed = { result: await train({ ...options(dirB), model: reloaded, resume: true }), weights: weightsOf(reloaded) };
  reloaded.dispose();
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('train: stopping and resuming', () => {
  it('stops after the asked iteration and saves where to continue', () => {
    expect(stopped.nextIter).toBe(6);
    expect(stopped.steps.map((s) => s.iter)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stoppedState.nextIter).toBe(6);
    expect(stoppedState.steps).toHaveLength(6);
  });

  it('takes the same steps 6..11 as the run that never stopped', () => {
    const after = (r: TrainResult) => r.steps.filter((s) => s.iter >= 6);
    const a = after(straight.result);
    const b = after(resumed.result);
    expect(b.map((s) => s.iter)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(a.map((s) => s.iter)).toEqual([6, 7, 8, 9, 10, 11]);
    for (let i = 0; i < a.length; i++) {
      expect(Math.abs(b[i]!.loss - a[i]!.loss)).toBeLessThan(1e-6);
      expect(b[i]!.lr).toBe(a[i]!.lr);
    }
  });

  it('keeps the saved history: all twelve steps, the first six from before the stop', () => {
    expect(resumed.result.nextIter).toBe(12);
    expect(resumed.result.steps.map((s) => s.iter)).toEqual(straight.result.steps.map((s) => s.iter));
    expect(resumed.result.steps.slice(0, 6)).toEqual(stopped.steps);
  });

  it('ends with the same weights', () => {
    expect(maxWeightDifference(resumed.weights, straight.weights)).toBeLessThan(1e-6);
  });

  // The resumed run skips the evaluation at its first iteration, assuming the checkpoint was
  // written right after one. That holds for checkpoints saved at an evalInterval, but not
  // for the one saved at the end of a run stopped with stopAfter (or a shorter --iters).
  it('evaluates at the same iterations as the run that never stopped', () => {
    expect(resumed.result.evals.map((e) => e.iter)).toEqual(straight.result.evals.map((e) => e.iter));
    expect(resumed.result.finalValLoss).toBeCloseTo(straight.result.finalValLoss, 5);
  });

  it('refuses to resume from a folder training did not write, naming the missing file', async () => {
    const empty = makeTempDir('empty');
    dirs.push(empty);
    const model = tinyModel(setup);
    await expect(train({ ...options(empty), model, resume: true })).rejects.toThrow(
      `Cannot resume: ${path.join(empty, TRAINER_FILES.state)} is missing`,
    );
    model.dispose();
  });
});
