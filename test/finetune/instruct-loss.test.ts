/**
 * The masked loss of `GPT.loss(inputs, targets, { lossMask })`, and a few steps of
 * instruction tuning through it.
 */
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { courseDatasetPath, readInstructionDataset } from '../../src/data';
import { encodeForTraining, formatConversation, instructionBatches } from '../../src/finetune';
import { GPT, resolveConfig } from '../../src/model';
import { CharTokenizer } from '../../src/tokenizer';
import { SeededRandom } from '../../src/util';
import { maxAbsDiff } from './fixture';

beforeAll(async () => {
  await useBackend('wasm');
});

const V = 40;
const B = 2;
const T = 16;
const config = resolveConfig('tiny', { vocabSize: V });

function ids(seed: number): number[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: B * T }, () => rng.int(V));
}

/** The loss and the gradient of every parameter, copied out. */
function lossAndGrads(model: GPT, inputs: number[], targets: number[], mask?: number[]): { loss: number; grads: Map<string, Float32Array> } {
  const idx = tf.tensor2d(inputs, [B, T], 'int32');
  const tgt = tf.tensor2d(targets, [B, T], 'int32');
  const lossMask = mask ? tf.tensor2d(mask, [B, T]) : undefined;
  const { value, grads } = tf.variableGrads(() => model.loss(idx, tgt, { lossMask }), [...model.params.values()]);
  const result = {
    loss: value.dataSync()[0]!,
    grads: new Map(Object.entries(grads).map(([name, g]) => [name, Float32Array.from(g.dataSync())])),
  };
  tf.dispose([idx, tgt, value, ...Object.values(grads), ...(lossMask ? [lossMask] : [])]);
  return result;
}

function maxGradDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [name, grad] of a) worst = Math.max(worst, maxAbsDiff(grad, b.get(name)!));
  return worst;
}

describe('GPT.loss with a loss mask', () => {
  let model: GPT;
  beforeAll(() => {
    model = new GPT(config, { seed: 5 });
  });
  afterAll(() => model.dispose());

  const inputs = ids(1);
  const targets = ids(2);
  // The second half of each row counts, as if it were the answer.
  const halfMask = Array.from({ length: B * T }, (_, i) => (i % T >= T / 2 ? 1 : 0));

  it('with every position counted, is the unmasked loss with the same gradients', () => {
    const plain = lossAndGrads(model, inputs, targets);
    const ones = lossAndGrads(model, inputs, targets, new Array(B * T).fill(1));
    expect(Math.abs(ones.loss - plain.loss)).toBeLessThan(1e-6);
    expect(maxGradDiff(ones.grads, plain.grads)).toBeLessThan(1e-7);
  });

  it('is the mean of −log p(target) over the counted positions only', () => {
    const logits = tf.tidy(() => {
      const idx = tf.tensor2d(inputs, [B, T], 'int32');
      return tf.logSoftmax(model.forward(idx)).dataSync();
    });
    let total = 0;
    let counted = 0;
    halfMask.forEach((weight, i) => {
      if (weight === 0) return;
      total -= logits[i * V + targets[i]!]!;
      counted += 1;
    });
    expect(Math.abs(lossAndGrads(model, inputs, targets, halfMask).loss - total / counted)).toBeLessThan(1e-5);
  });

  it('ignores the targets of masked positions: same loss, same gradients', () => {
    const masked = lossAndGrads(model, inputs, targets, halfMask);
    // Change every target the mask leaves out.
    const otherTargets = targets.map((t, i) => (halfMask[i] === 0 ? (t + 7) % V : t));
    const changed = lossAndGrads(model, inputs, otherTargets, halfMask);
    expect(changed.loss).toBe(masked.loss);
    expect(maxGradDiff(changed.grads, masked.grads)).toBe(0);
    // …while changing a counted target does change the loss.
    const countedChange = targets.map((t, i) => (i === T - 1 ? (t + 7) % V : t));
    expect(lossAndGrads(model, inputs, countedChange, halfMask).loss).not.toBe(masked.loss);
  });

  it.each([
    ['all zeros', new Array(B * T).fill(0), [B, T], /all zeros: no position counts, so there is nothing to learn from/],
    ['the wrong shape', new Array(B * T).fill(1), [B * T / 4, 4], /must have the shape of the targets, \[2, 16\]/],
    ['a negative weight', halfMask.map((w, i) => (i === 0 ? -1 : w)), [B, T], /holds -1; its weights must be finite and non-negative/],
  ])('refuses a mask of %s', (_, mask, shape, message) => {
    const idx = tf.tensor2d(inputs, [B, T], 'int32');
    const tgt = tf.tensor2d(targets, [B, T], 'int32');
    const lossMask = tf.tensor2d(mask, shape as [number, number]);
    const before = tf.memory().numTensors;
    expect(() => model.loss(idx, tgt, { lossMask })).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([idx, tgt, lossMask]);
  });

  it('leaks no tensors', () => {
    const idx = tf.tensor2d(inputs, [B, T], 'int32');
    const tgt = tf.tensor2d(targets, [B, T], 'int32');
    const lossMask = tf.tensor2d(halfMask, [B, T]);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => model.loss(idx, tgt, { lossMask }), [...model.params.values()]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([idx, tgt, lossMask]);
  });
});

describe('instruction tuning through the masked loss', () => {
  it('lowers the loss on the answers of a batch of course examples', () => {
    const conversations = readInstructionDataset(courseDatasetPath('qa-terms', 'train')).slice(0, 4);
    const tokenizer = CharTokenizer.fromText(conversations.map(formatConversation).join('\n'));
    const blockSize = 128;
    const model = new GPT(resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize }), { seed: 3 });
    const examples = conversations.map((c) => encodeForTraining(c, tokenizer, { blockSize }));
    const batch = instructionBatches(examples, { batchSize: 4, rng: new SeededRandom(1) });
    const shape: [number, number] = [batch.batchSize, batch.blockSize];
    const inputs = tf.tensor2d(batch.inputs, shape, 'int32');
    const targets = tf.tensor2d(batch.targets, shape, 'int32');
    const lossMask = tf.tensor2d(batch.lossMask, shape);
    const optimizer = tf.train.adam(1e-2);
    const losses: number[] = [];
    for (let step = 0; step < 10; step++) {
      const loss = optimizer.minimize(() => model.loss(inputs, targets, { lossMask }), true, [...model.params.values()])!;
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
    }
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.7);
    optimizer.dispose();
    tf.dispose([inputs, targets, lossMask]);
    model.dispose();
  });
});
