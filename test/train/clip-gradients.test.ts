import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { clipGradientsByGlobalNorm } from '../../src/train';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Two gradients whose global norm is √(3² + 4² + 12²) = 13. */
function gradients(): tf.NamedTensorMap {
  return { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4], [12, 0]]) };
}

function globalNorm(grads: tf.NamedTensorMap): number {
  let sum = 0;
  for (const g of Object.values(grads)) for (const x of g.dataSync()) sum += x * x;
  return Math.sqrt(sum);
}

describe('clipGradientsByGlobalNorm', () => {
  it.each([
    // maxNorm, norm after clipping, scale applied to every gradient
    [1, 1, 1 / 13],
    [6.5, 6.5, 0.5],
    [13, 13, 1], // at the limit: (practically) unchanged
    [100, 13, 1], // below the limit: a no-op
  ])('maxNorm %p: returns the norm 13 and clips it to %p', (maxNorm, normAfter, scale) => {
    const grads = gradients();
    const clipped = clipGradientsByGlobalNorm(grads, maxNorm);
    expect(clipped.norm).toBeCloseTo(13, 5);
    expect(globalNorm(clipped.grads)).toBeCloseTo(normAfter, 4);
    // The direction is kept: every element is scaled by the same factor.
    for (const name of Object.keys(grads)) {
      const original = grads[name]!.dataSync();
      const result = clipped.grads[name]!.dataSync();
      expect(clipped.grads[name]!.shape).toEqual(grads[name]!.shape);
      for (let i = 0; i < original.length; i++) expect(result[i]).toBeCloseTo(original[i]! * scale, 5);
    }
    tf.dispose([...Object.values(grads), ...Object.values(clipped.grads)]);
  });

  it('below the limit returns equal values exactly, as new tensors the caller may dispose', () => {
    const grads = gradients();
    const clipped = clipGradientsByGlobalNorm(grads, 100);
    for (const name of Object.keys(grads)) {
      expect(clipped.grads[name]).not.toBe(grads[name]);
      expect(Array.from(clipped.grads[name]!.dataSync())).toEqual(Array.from(grads[name]!.dataSync()));
    }
    tf.dispose(Object.values(clipped.grads));
    expect(Array.from(grads['a']!.dataSync())).toEqual([3, 0]); // the originals are still alive
    tf.dispose(Object.values(grads));
  });

  it('creates exactly one new tensor per gradient and nothing else', () => {
    const grads = gradients();
    const before = tf.memory().numTensors;
    const clipped = clipGradientsByGlobalNorm(grads, 1);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([...Object.values(grads), ...Object.values(clipped.grads)]);
  });
});
