import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { AdamW, type AdamWOptions } from '../../src/train';

beforeAll(async () => {
  await useBackend('wasm');
});

type Hyper = Required<Pick<AdamWOptions, 'beta1' | 'beta2' | 'epsilon' | 'weightDecay'>>;

/** AdamW in plain numbers, element by element: the hand computation the optimizer must match. */
function referenceAdamW(start: readonly number[], steps: readonly { g: readonly number[]; lr: number }[], o: Hyper): number[] {
  const m = start.map(() => 0);
  const v = start.map(() => 0);
  const x = [...start];
  steps.forEach(({ g, lr }, index) => {
    const t = index + 1;
    for (let i = 0; i < x.length; i++) {
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! ** 2;
      const mHat = m[i]! / (1 - o.beta1 ** t); // bias corrections
      const vHat = v[i]! / (1 - o.beta2 ** t);
      x[i] = x[i]! * (1 - lr * o.weightDecay) - (lr * mHat) / (Math.sqrt(vHat) + o.epsilon);
    }
  });
  return x;
}

/** The gradient of the quadratic Σ (w − c)² at w, computed by tf.grad as the trainer does. */
function quadraticGradient(w: tf.Variable, c: readonly number[]): tf.Tensor {
  return tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.sub(x, tf.tensor1d([...c])))))(w);
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
}

const target = [0.5, 0.5, 0.5];
const start = [1, -2, 3];

describe('AdamW', () => {
  it('first step: shrink by (1 − lr·λ), then move lr against the sign of the gradient', () => {
    // g = 2(w − c) = [1, −5, 5]. After bias correction m̂ = g and √v̂ = |g|, so the step is lr·sign(g).
    const w = tf.variable(tf.tensor1d(start));
    const optimizer = new AdamW(new Map([['w', w]]), { weightDecay: 0.1 });
    const g = quadraticGradient(w, target);
    expect(Array.from(g.dataSync())).toEqual([1, -5, 5]);
    optimizer.step({ w: g }, 0.1);
    // [1, −2, 3]·0.99 − 0.1·[1, −1, 1]
    expectClose(w.dataSync(), [0.89, -1.88, 2.87], 1e-6);
    tf.dispose([w, g]);
    optimizer.dispose();
  });

  it.each<[string, Hyper]>([
    ['the defaults', { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1 }],
    ['no weight decay', { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0 }],
    ['other betas, a large ε and strong decay', { beta1: 0.5, beta2: 0.9, epsilon: 0.1, weightDecay: 0.3 }],
  ])('three steps on a quadratic match the hand computation with %s', (_, hyper) => {
    const w = tf.variable(tf.tensor1d(start));
    const optimizer = new AdamW(new Map([['w', w]]), hyper);
    const steps: { g: number[]; lr: number }[] = [];
    for (const lr of [0.1, 0.05, 0.02]) {
      const g = quadraticGradient(w, target);
      steps.push({ g: Array.from(g.dataSync()), lr });
      optimizer.step({ w: g }, lr);
      g.dispose();
    }
    expect(optimizer.stepCount).toBe(3);
    expectClose(w.dataSync(), referenceAdamW(start, steps, hyper), 1e-6);
    w.dispose();
    optimizer.dispose();
  });

  it('decays only the variables named in `decay`, and by exactly (1 − lr·λ)', () => {
    const matrix = tf.variable(tf.tensor2d([[2, -4]]));
    const bias = tf.variable(tf.tensor1d([2, -4]));
    const optimizer = new AdamW(
      new Map<string, tf.Variable>([
        ['matrix', matrix],
        ['bias', bias],
      ]),
      { weightDecay: 0.5, decay: new Set(['matrix']) },
    );
    // A zero gradient moves nothing (m = 0), so only the decoupled decay acts.
    const grads = { matrix: tf.zerosLike(matrix), bias: tf.zerosLike(bias) };
    optimizer.step(grads, 0.2);
    expectClose(matrix.dataSync(), [2 * 0.9, -4 * 0.9], 1e-6);
    expectClose(bias.dataSync(), [2, -4], 0);
    tf.dispose([matrix, bias, ...Object.values(grads)]);
    optimizer.dispose();
  });

  it('leaves variables it was not given untouched (freezing by varList), even with a gradient for them', () => {
    const trained = tf.variable(tf.tensor1d(start));
    const frozen = tf.variable(tf.tensor1d(start));
    const optimizer = new AdamW(new Map([['trained', trained]])); // `frozen` is not in the map
    const grads = { trained: quadraticGradient(trained, target), frozen: quadraticGradient(frozen, target) };
    optimizer.step(grads, 0.1);
    expect(Array.from(frozen.dataSync())).toEqual(start);
    expect(Array.from(trained.dataSync())).not.toEqual(start);
    tf.dispose([trained, frozen, ...Object.values(grads)]);
    optimizer.dispose();
  });

  it('leaves a variable without a gradient untouched, weight decay included', () => {
    const used = tf.variable(tf.tensor1d(start));
    const unused = tf.variable(tf.tensor1d(start));
    const optimizer = new AdamW(
      new Map([
        ['used', used],
        ['unused', unused],
      ]),
      { weightDecay: 0.5 },
    );
    const g = quadraticGradient(used, target);
    optimizer.step({ used: g }, 0.1);
    expect(Array.from(unused.dataSync())).toEqual(start);
    tf.dispose([used, unused, g]);
    optimizer.dispose();
  });

  // Each moment is a variable copied from a zerosLike; the copy's source must be freed too.
  it('holds two tensors per variable (m and v) and frees them all on dispose', () => {
    const w = tf.variable(tf.tensor1d(start));
    const before = tf.memory().numTensors;
    const optimizer = new AdamW(new Map([['w', w]]));
    expect(tf.memory().numTensors).toBe(before + 2);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('keeps no tensors from a step', () => {
    const w = tf.variable(tf.tensor1d(start));
    const optimizer = new AdamW(new Map([['w', w]]));
    const g = quadraticGradient(w, target);
    const before = tf.memory().numTensors;
    optimizer.step({ w: g }, 0.1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, g]);
    optimizer.dispose();
  });

  // Loading assigns a new tensor to each moment; that tensor must be freed after the assign.
  it('keeps no tensors from loading a saved state', () => {
    const w = tf.variable(tf.tensor1d(start));
    const optimizer = new AdamW(new Map([['w', w]]));
    const state = optimizer.stateArrays();
    const before = tf.memory().numTensors;
    optimizer.loadStateArrays(state, 0);
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
    optimizer.dispose();
  });

  it('continues identically after its state is saved and loaded into a new optimizer', () => {
    const a = tf.variable(tf.tensor1d(start));
    const first = new AdamW(new Map([['w', a]]));
    for (const lr of [0.1, 0.05]) {
      const g = quadraticGradient(a, target);
      first.step({ w: g }, lr);
      g.dispose();
    }
    const b = tf.variable(a.clone());
    const second = new AdamW(new Map([['w', b]]));
    second.loadStateArrays(first.stateArrays(), first.stepCount);
    for (const [w, optimizer] of [[a, first], [b, second]] as const) {
      const g = quadraticGradient(w, target);
      optimizer.step({ w: g }, 0.02);
      g.dispose();
    }
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    first.dispose();
    second.dispose();
  });

  it.each([
    ['beta1', { beta1: 1 }, /beta1 must be in \[0, 1\), got 1/],
    ['beta2', { beta2: -0.1 }, /beta2 must be in \[0, 1\), got -0.1/],
    ['weightDecay', { weightDecay: -1 }, /weightDecay must be ≥ 0, got -1/],
  ])('rejects a bad %s with a RangeError that names it', (_, options, message) => {
    expect(() => new AdamW(new Map(), options)).toThrow(RangeError);
    expect(() => new AdamW(new Map(), options)).toThrow(message);
  });
});
