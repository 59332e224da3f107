/**
 * Parity with PyTorch: the same weights and tokens give the same logits, loss and gradients
 * as the reference model in bench/reference/gpt.py (fixture made by
 * test/fixtures/make_parity_fixture.py).
 */
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { GPT } from '../../src/model';
import { fixtureConfig, fixtureWeights, get, maxAbsDiff, readArrays } from './fixture';

const TOLERANCE = 1e-4;

describe.each(['cpu', 'wasm'])('parity with PyTorch on the %s backend', (backend) => {
  let model: GPT;

  beforeAll(async () => {
    await useBackend(backend);
    const weights = fixtureWeights();
    model = new GPT(fixtureConfig(), { weights });
    tf.dispose([...weights.values()]);
  });

  afterAll(() => model.dispose());

  it.each(['expected.safetensors', 'expected-short.safetensors'])('%s: logits, loss and every gradient agree within 1e-4', (file) => {
    const expected = readArrays(file);
    const ids = get(expected, 'input_ids');
    const targets = get(expected, 'targets');
    const [B, T] = ids.shape as [number, number];
    const idx = tf.tensor2d(ids.data, [B, T], 'int32');
    const tgt = tf.tensor2d(targets.data, [B, T], 'int32');

    const logits = model.forward(idx);
    expect(logits.shape).toEqual(get(expected, 'logits').shape);
    expect(maxAbsDiff(logits.dataSync(), get(expected, 'logits').data)).toBeLessThan(TOLERANCE);

    const { value, grads } = tf.variableGrads(() => model.loss(idx, tgt), [...model.params.values()]);
    expect(Math.abs(value.dataSync()[0]! - get(expected, 'loss').data[0]!)).toBeLessThan(TOLERANCE);
    const names = new Map([...model.params].map(([name, v]) => [v.name, name]));
    const checked: string[] = [];
    for (const [internal, grad] of Object.entries(grads)) {
      const name = names.get(internal)!;
      const reference = get(expected, `grad.${name}`);
      expect({ name, diff: maxAbsDiff(grad.dataSync(), reference.data) < TOLERANCE }).toEqual({ name, diff: true });
      checked.push(name);
    }
    expect(checked.sort()).toEqual([...model.params.keys()].sort());
    tf.dispose([idx, tgt, logits, value, ...Object.values(grads)]);
  });
});
