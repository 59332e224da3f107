/**
 * For tests of an alternative kernel (fused attention, BLAS products…): a small GPT's loss
 * and every gradient, computed with the alternative switched on and off, must agree.
 */
import * as tf from '../../src/tf';
import { GPT, resolveConfig } from '../../src/model';
import { namedVariableGrads } from '../../src/train';

/** The largest |a − b| over all elements. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Runs a baby-shaped GPT's loss and gradients with `use(true)` and `use(false)` and compares them. */
export function expectSameLossAndGradients(use: (on: boolean) => void): void {
  const config = resolveConfig('baby', { vocabSize: 50, blockSize: 16 });
  const model = new GPT(config, { seed: 3 });
  const ids = tf.tensor2d(Array.from({ length: 32 }, (_, i) => (i * 7) % 50), [2, 16], 'int32');
  const targets = tf.tensor2d(Array.from({ length: 32 }, (_, i) => (i * 5 + 1) % 50), [2, 16], 'int32');
  const run = (on: boolean) => {
    use(on);
    const { value, grads } = namedVariableGrads(() => model.loss(ids, targets), model.params);
    return { loss: value, grads };
  };
  const withIt = run(true);
  const without = run(false);
  use(true);
  expect(Math.abs(withIt.loss.dataSync()[0]! - without.loss.dataSync()[0]!)).toBeLessThan(1e-5);
  for (const name of Object.keys(without.grads)) {
    const close = maxAbsDiff(withIt.grads[name]!, without.grads[name]!) < 1e-4;
    expect({ name, close }).toEqual({ name, close: true }); // names the parameter that differs
  }
  tf.dispose([withIt.loss, without.loss, ...Object.values(withIt.grads), ...Object.values(without.grads), ids, targets]);
  model.dispose();
}
