/**
 * The kernels LLM Lab registers for `wasm` (see src/backend/wasm-kernels.ts) keep tfjs's
 * meaning: a clone holds the same numbers and outlives its original, and the gradient of
 * `gather` (UnsortedSegmentSum) adds the rows of repeated ids as on `cpu`.
 */
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('wasm kernels', () => {
  it('clones without copying, and the clone outlives the original', () => {
    const original = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const before = tf.memory().numDataBuffers;
    const copy = tf.clone(original);
    expect(tf.memory().numDataBuffers).toBe(before); // shared memory, one more reference
    original.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
  });

  it('keeps a variable apart from the tensor it was cloned from when the variable is assigned', () => {
    const start = tf.tensor1d([1, 2, 3]);
    const variable = tf.variable(start);
    const saved = tf.clone(variable);
    variable.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(saved.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(start.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([start, variable, saved]);
  });

  it('sums the gradient rows of repeated ids in an embedding lookup, as on cpu', async () => {
    const gradientOf = () =>
      tf.tidy(() => {
        const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
        const ids = tf.tensor1d([2, 0, 2, 2], 'int32');
        return Array.from(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]))))(table).dataSync());
      });
    const onWasm = gradientOf();
    await useBackend('cpu');
    const onCpu = gradientOf();
    await useBackend('wasm');
    expect(onWasm).toEqual(onCpu);
    expect(onWasm).toEqual([3, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8]);
  });
});
