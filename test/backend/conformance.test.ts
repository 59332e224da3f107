/**
 * Same numbers on every backend: the forward pass, the gradients and a training step of the
 * GPT on each backend that starts here agree with the plain-JavaScript `cpu` reference.
 */
import * as tf from '../../src/tf';
import { type BackendName, availableBackends, useBackend } from '../../src/backend';
import { GPT, resolveConfig } from '../../src/model';
import { AdamW } from '../../src/train';
import { maxAbsDiff } from '../model/fixture';

const config = resolveConfig('tiny', { vocabSize: 40, bias: true, dropout: 0 });
const B = 3;
const T = 12;
const ids = Array.from({ length: B * T }, (_, i) => (i * 17 + 3) % 40);
const targets = Array.from({ length: B * T }, (_, i) => (i * 11 + 5) % 40);

interface Results {
  logits: Float32Array;
  loss: number;
  grads: Map<string, Float32Array>;
  lossAfterStep: number;
}

/** Runs the same model, batch and optimizer step on one backend. */
async function runOn(backend: BackendName): Promise<Results> {
  await useBackend(backend);
  const model = new GPT(config, { seed: 42 });
  const idx = tf.tensor2d(ids, [B, T], 'int32');
  const tgt = tf.tensor2d(targets, [B, T], 'int32');
  const logits = tf.tidy(() => model.forward(idx).dataSync() as Float32Array);
  const names = new Map([...model.params].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(() => model.loss(idx, tgt), [...model.params.values()]);
  const named: tf.NamedTensorMap = {};
  const gradArrays = new Map<string, Float32Array>();
  for (const [internal, g] of Object.entries(grads)) {
    named[names.get(internal)!] = g;
    gradArrays.set(names.get(internal)!, g.dataSync() as Float32Array);
  }
  const optimizer = new AdamW(model.params, { decay: new Set(model.decayedParameterNames()) });
  optimizer.step(named, 1e-3);
  const lossAfterStep = tf.tidy(() => model.loss(idx, tgt).dataSync()[0]!);
  const loss = value.dataSync()[0]!;
  tf.dispose([idx, tgt, value, ...Object.values(grads)]);
  optimizer.dispose();
  model.dispose();
  return { logits, loss, grads: gradArrays, lossAfterStep };
}

describe('backend conformance', () => {
  let reference: Results;
  let others: BackendName[];

  beforeAll(async () => {
    const attempts = await availableBackends();
    others = attempts.filter((a) => a.ok && a.name !== 'cpu').map((a) => a.name);
    reference = await runOn('cpu');
  });

  it('finds at least the cpu and wasm backends here', () => {
    expect(others).toContain('wasm');
  });

  it('agrees with cpu on every other available backend', async () => {
    for (const backend of others) {
      const result = await runOn(backend);
      expect({ backend, logits: maxAbsDiff(result.logits, reference.logits) < 1e-4 }).toEqual({ backend, logits: true });
      expect({ backend, loss: Math.abs(result.loss - reference.loss) < 1e-5 }).toEqual({ backend, loss: true });
      for (const [name, grad] of reference.grads) {
        const diff = maxAbsDiff(result.grads.get(name)!, grad);
        expect({ backend, name, close: diff < 1e-4 }).toEqual({ backend, name, close: true });
      }
      // After one AdamW step the model must have improved by the same amount.
      expect(result.lossAfterStep).toBeLessThan(result.loss);
      expect({ backend, step: Math.abs(result.lossAfterStep - reference.lossAfterStep) < 1e-3 }).toEqual({ backend, step: true });
    }
  });

  it('trains the embedding on wasm: the gradient of gather (UnsortedSegmentSum) matches cpu', async () => {
    const gradOn = async (backend: BackendName): Promise<number[]> => {
      await useBackend(backend);
      return tf.tidy(() => {
        const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
        const lookup = tf.tensor1d([2, 0, 2, 2], 'int32');
        const weights = tf.tensor2d([[1, -1], [2, 0.5], [3, 1], [-1, 2]]);
        const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, lookup), weights)))(table);
        return Array.from(grad.dataSync());
      });
    };
    const expected = [2, 0.5, 0, 0, 1 + 3 - 1, -1 + 1 + 2];
    expect(await gradOn('cpu')).toEqual(expected);
    expect(await gradOn('wasm')).toEqual(expected);
  });
});
