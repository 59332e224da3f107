/** tokenLosses: every position's −ln p, from the same forward pass the training loss uses. */
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { GPT, resolveConfig } from '../../src/model';
import { tokenLosses } from '../../src/train';

describe('tokenLosses', () => {
  let model: GPT;
  const config = resolveConfig('tiny', { vocabSize: 7, blockSize: 8 });
  beforeAll(async () => {
    await useBackend('wasm');
    model = new GPT(config, { seed: 5 });
  });
  afterAll(() => model.dispose());

  it('within one window, its mean is the model\'s loss on that window', () => {
    const ids = [1, 3, 5, 2, 6, 0, 4, 1, 2]; // 9 tokens: one window of 8 inputs
    const losses = tokenLosses(model, ids);
    expect(Number.isNaN(losses[0]!)).toBe(true);
    const mean = Array.from(losses.subarray(1)).reduce((a, b) => a + b, 0) / 8;
    const expected = tf.tidy(() => model.loss(tf.tensor2d([ids.slice(0, 8)], [1, 8], 'int32'), tf.tensor2d([ids.slice(1)], [1, 8], 'int32')).dataSync()[0]!);
    expect(mean).toBeCloseTo(expected, 5);
  });

  it('scores every position of a long text from at least half a window of context', () => {
    const ids = Array.from({ length: 50 }, (_, i) => (i * 3) % 7);
    const losses = tokenLosses(model, ids, { batchSize: 3 });
    expect(Array.from(losses.subarray(1)).every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    // windows start every 4 tokens; position 30 is in the second half of the one starting at 24,
    // so it is predicted from ids[24..29], 6 tokens of context
    const direct = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d([ids.slice(24, 30)], [1, 6], 'int32'));
      return -(tf.logSoftmax(tf.reshape(logits, [6, 7])).arraySync() as number[][])[5]![ids[30]!]!;
    });
    expect(losses[30]).toBeCloseTo(direct, 5);
  });

  it('says what is wrong with a text it cannot score', () => {
    expect(() => tokenLosses(model, [1])).toThrow(/nothing to predict/);
    expect(() => tokenLosses(model, [1, 9])).toThrow(/Token id 9 at position 1 is outside/);
  });
});
