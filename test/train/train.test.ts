import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { type StepInfo, learningRateAt, train } from '../../src/train';
import { type TinySetup, tinyModel, tinySetup } from '../helpers/tiny-gpt';

let setup: TinySetup;

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup();
});

describe('train', () => {
  it('brings the loss on the synthetic corpus well below ln(vocabSize) in 80 steps', async () => {
    const model = tinyModel(setup);
    const result = await train({
      model,
      train: setup.train,
      val: setup.val,
      iters: 80,
      batchSize: 8,
      lr: 3e-3,
      evalInterval: 40,
      evalIters: 4,
      seed: 1,
    });
    const uniform = Math.log(setup.tokenizer.vocabSize); // the loss of a model that knows nothing
    expect(result.evals.map((e) => e.iter)).toEqual([0, 40, 79]);
    const first = result.evals[0]!;
    expect(Math.abs(first.valLoss - uniform)).toBeLessThan(0.15);
    expect(result.finalValLoss).toBeLessThan(0.7 * first.valLoss);
    expect(result.finalTrainLoss).toBeLessThan(0.7 * first.trainLoss);
    const losses = result.steps.map((s) => s.loss);
    expect(mean(losses.slice(-10))).toBeLessThan(0.7 * mean(losses.slice(0, 10)));
    model.dispose();
  });

  it('reports every step with the scheduled learning rate, and where to continue', async () => {
    const model = tinyModel(setup);
    const seen: StepInfo[] = [];
    const result = await train({
      model,
      train: setup.train,
      iters: 6,
      batchSize: 2,
      lr: 1e-3,
      minLr: 1e-4,
      warmupIters: 2,
      evalInterval: 100,
      evalIters: 1,
      callbacks: { onStep: (info) => seen.push(info) },
    });
    expect(result.steps).toEqual(seen);
    expect(seen.map((s) => s.iter)).toEqual([0, 1, 2, 3, 4, 5]);
    const schedule = { maxLr: 1e-3, minLr: 1e-4, warmupIters: 2, decayIters: 6 };
    expect(seen.map((s) => s.lr)).toEqual(seen.map((s) => learningRateAt(s.iter, schedule)));
    for (const step of seen) {
      expect(Number.isFinite(step.loss) && Number.isFinite(step.gradNorm)).toBe(true);
      expect(step.iters).toBe(6);
    }
    expect(result.nextIter).toBe(6);
    // No validation tokens: the validation loss is NaN, not a made-up number.
    expect(result.evals.map((e) => e.iter)).toEqual([0, 5]);
    expect(result.finalValLoss).toBeNaN();
    model.dispose();
  });

  it('trains the same model twice from the same seeds', async () => {
    const run = async () => {
      const model = tinyModel(setup);
      const result = await train({ model, train: setup.train, iters: 4, batchSize: 2, evalInterval: 100, evalIters: 1, seed: 5 });
      const weights = Array.from(model.params.get('transformer.h.0.attn.c_attn.weight')!.dataSync());
      model.dispose();
      return { losses: result.steps.map((s) => s.loss), weights };
    };
    const [a, b] = [await run(), await run()];
    expect(b).toEqual(a);
  });

  // The optimizer is created and disposed inside train(); every step must free what it makes.
  it('leaks no tensors: the count is flat from step to step and back to the start at the end', async () => {
    const model = tinyModel(setup);
    const countAt = new Map<number, number>();
    const before = tf.memory().numTensors;
    await train({
      model,
      train: setup.train,
      val: setup.val,
      iters: 12,
      batchSize: 2,
      evalInterval: 5, // evaluations at 0, 5 and 10 run between the counts
      evalIters: 1,
      callbacks: { onStep: (info) => countAt.set(info.iter, tf.memory().numTensors) },
    });
    expect(countAt.get(10)).toBe(countAt.get(3));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it.each([
    ['iters', { iters: 0 }, /iters must be a positive integer, got 0/],
    ['batchSize', { batchSize: 1.5 }, /batchSize must be a positive integer, got 1.5/],
    ['evalInterval', { evalInterval: -1 }, /evalInterval must be a positive integer, got -1/],
    ['lr', { lr: 0 }, /lr must be a positive number, got 0/],
    ['minLr above lr', { lr: 1e-3, minLr: 1e-2 }, /minLr must be in \[0, lr\], got 0.01/],
  ])('rejects a bad %s with a RangeError that names it', async (_, bad, message) => {
    const model = tinyModel(setup);
    const run = train({ model, train: setup.train, iters: 2, ...bad });
    await expect(run).rejects.toThrow(RangeError);
    await expect(run).rejects.toThrow(message);
    model.dispose();
  });

  it('rejects training tokens shorter than one window, saying how many are needed', async () => {
    const model = tinyModel(setup);
    await expect(train({ model, train: setup.train.subarray(0, 10), iters: 2 })).rejects.toThrow(
      'the training tokens (10) are fewer than blockSize + 1 = 17',
    );
    model.dispose();
  });

  it.each([
    ['resume without checkpointDir', { resume: true }, /resume needs checkpointDir/],
    ['checkpointDir without tokenizer', { checkpointDir: '/nonexistent' }, /checkpointDir needs the tokenizer/],
  ])('rejects %s', async (_, bad, message) => {
    const model = tinyModel(setup);
    await expect(train({ model, train: setup.train, iters: 2, ...bad })).rejects.toThrow(message);
    model.dispose();
  });
});

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
