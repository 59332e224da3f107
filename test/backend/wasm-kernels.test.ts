/**
 * The kernels LLM Lab registers for `wasm` (see src/backend/wasm-kernels.ts) keep tfjs's
 * meaning: a clone holds the same numbers and outlives its original, a gather returns the
 * rows `cpu` returns (and refuses ids out of range), and the gradient of `gather`
 * (UnsortedSegmentSum) adds the rows of repeated ids as on `cpu`.
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

  it('gathers the rows cpu gathers, along the first axis and any other, and names an id out of range', async () => {
    const gathered = () =>
      tf.tidy(() => {
        const table = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i * 0.5), [4, 3, 2]);
        const ids = tf.tensor2d([3, 0, 3, 1], [2, 2], 'int32');
        const byRow = tf.gather(table, ids);
        const byColumn = tf.gather(table, tf.tensor1d([2, 0], 'int32'), 1); // tfjs's own kernel
        return { byRow: Array.from(byRow.dataSync()), rowShape: byRow.shape, byColumn: Array.from(byColumn.dataSync()) };
      });
    const onWasm = gathered();
    await useBackend('cpu');
    const onCpu = gathered();
    await useBackend('wasm');
    expect(onWasm).toEqual(onCpu);
    expect(onWasm.rowShape).toEqual([2, 2, 3, 2]);
    const before = tf.memory().numTensors;
    const table = tf.ones([4, 2]);
    const ids = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(table, ids)).toThrow('GatherV2: the index value 4 is not in [0, 3]');
    tf.dispose([table, ids]);
    expect(tf.memory().numTensors).toBe(before);
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
