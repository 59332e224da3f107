/**
 * Fine-tuning for classification: a small head on top of a pretrained GPT.
 *
 * The GPT reads the text; its final hidden state at the last token (B, C) has seen every
 * token before it (causal attention), so it summarises the text. A linear layer maps that
 * summary to one score per class (B, K), and cross-entropy against the label trains it.
 *
 * With `freezeBody` (the default) only the head trains: K·(C + 1) numbers, seconds of work,
 * and the pretrained features do the heavy lifting. Unfreezing the body lets the features
 * themselves adapt, at the price of training the whole model.
 */
import * as tf from '../tf';
import type { LabelledText } from '../data';
import type { GPT } from '../model';
import type { Tokenizer } from '../tokenizer';
import { AdamW, clipScale, decayedNames, globalGradientNorm, learningRateAt, namedVariableGrads } from '../train';
import { SeededRandom } from '../util/random';

/** A linear head over the last token's hidden state, and the labels its outputs stand for. */
export class SequenceClassifier {
  readonly model: GPT;
  readonly labels: readonly string[];
  /** `classifier.weight` (C, K) and `classifier.bias` (K). */
  readonly head: ReadonlyMap<string, tf.Variable>;

  constructor(model: GPT, labels: readonly string[], options: { readonly seed?: number } = {}) {
    if (labels.length < 2) throw new RangeError(`A classifier needs at least two labels, got ${JSON.stringify(labels)}.`);
    if (new Set(labels).size !== labels.length) throw new RangeError(`The labels must be distinct, got ${JSON.stringify(labels)}.`);
    this.model = model;
    this.labels = [...labels];
    const C = model.config.nEmbd;
    const K = labels.length;
    const weight = tf.variable(tf.randomNormal([C, K], 0, 0.02, 'float32', options.seed ?? 0), true, `classifier.weight#${uid()}`);
    const bias = tf.variable(tf.zeros([K]), true, `classifier.bias#${uid()}`);
    this.head = new Map([
      ['classifier.weight', weight],
      ['classifier.bias', bias],
    ]);
  }

  /** Token ids (B, T), right-padded, and each row's real length → class scores (B, K). */
  logits(idx: tf.Tensor2D, lengths: readonly number[], options: { training?: boolean; dropoutSeed?: number } = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T] = idx.shape;
      const C = this.model.config.nEmbd;
      const hidden = tf.reshape(this.model.hiddenStates(idx, options), [B * T, C]); // (B*T, C)
      const lastPositions = tf.tensor1d(lengths.map((n, b) => b * T + n - 1), 'int32');
      const summary = tf.gather(hidden, lastPositions) as tf.Tensor2D; // (B, C)
      return tf.add(tf.matMul(summary, this.head.get('classifier.weight')!), this.head.get('classifier.bias')!) as tf.Tensor2D;
    });
  }

  /** The most likely label of each text. */
  predict(tokenizer: Tokenizer, texts: readonly string[], batchSize = 32): string[] {
    const out: string[] = [];
    for (let first = 0; first < texts.length; first += batchSize) {
      const batch = encodeTexts(tokenizer, texts.slice(first, first + batchSize), this.model.config.blockSize);
      const best = tf.tidy(() => tf.argMax(this.logits(batch.idx, batch.lengths), 1).dataSync());
      batch.idx.dispose();
      best.forEach((k) => out.push(this.labels[k]!));
    }
    return out;
  }

  dispose(): void {
    tf.dispose([...this.head.values()]);
  }
}

export interface TrainClassifierOptions {
  readonly classifier: SequenceClassifier;
  readonly tokenizer: Tokenizer;
  readonly train: readonly LabelledText[];
  /** Train only the head. @default true */
  readonly freezeBody?: boolean;
  /** @default 200 */
  readonly iters?: number;
  /** @default 32 */
  readonly batchSize?: number;
  /** Peak learning rate (warmup, then cosine to a tenth). @default 1e-3 */
  readonly lr?: number;
  /** @default 1337 */
  readonly seed?: number;
  readonly onStep?: (info: { readonly iter: number; readonly iters: number; readonly loss: number }) => void;
}

/** Trains the head (and the body unless frozen) with cross-entropy; returns the loss of every step. */
export async function trainClassifier(options: TrainClassifierOptions): Promise<{ readonly losses: readonly number[]; readonly trainableParameters: number }> {
  const { classifier, tokenizer } = options;
  const iters = options.iters ?? 200;
  const batchSize = options.batchSize ?? 32;
  const lr = options.lr ?? 1e-3;
  const seed = options.seed ?? 1337;
  const classIndex = new Map(classifier.labels.map((label, k) => [label, k]));
  for (const [i, example] of options.train.entries()) {
    if (!classIndex.has(example.label)) {
      throw new RangeError(`Training example ${i} has the label '${example.label}', which is not one of the classifier's: ${classifier.labels.join(', ')}.`);
    }
  }
  const trainable = new Map(classifier.head);
  if (options.freezeBody === false) for (const [name, v] of classifier.model.params) trainable.set(name, v);
  const optimizer = new AdamW(trainable, { weightDecay: 0.01, decay: decayedNames(trainable) });
  const rng = new SeededRandom(seed);
  const losses: number[] = [];
  try {
    for (let iter = 0; iter < iters; iter++) {
      const rows = Array.from({ length: batchSize }, () => options.train[rng.int(options.train.length)]!);
      const batch = encodeTexts(tokenizer, rows.map((r) => r.text), classifier.model.config.blockSize);
      const labels = tf.tensor1d(rows.map((r) => classIndex.get(r.label)!), 'int32');
      const { value, grads: named } = namedVariableGrads(() => {
        const logits = classifier.logits(batch.idx, batch.lengths, { training: true, dropoutSeed: seed + iter });
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classifier.labels.length), logits) as tf.Scalar;
      }, trainable);
      const stepLr = learningRateAt(iter, { maxLr: lr, minLr: lr / 10, warmupIters: Math.min(20, Math.floor(iters / 10)), decayIters: iters });
      optimizer.step(named, stepLr, clipScale(globalGradientNorm(named), 1)); // clipped at a global norm of 1
      const loss = value.dataSync()[0]!;
      tf.dispose([batch.idx, labels, value, ...Object.values(named)]);
      losses.push(loss);
      options.onStep?.({ iter, iters, loss });
      if (iter % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    optimizer.dispose();
  }
  return { losses, trainableParameters: [...trainable.values()].reduce((n, v) => n + v.size, 0) };
}

export interface ClassificationReport {
  readonly accuracy: number;
  /** The mean over classes of each class's F1: every class counts the same, however common. */
  readonly macroF1: number;
  readonly perClass: readonly { readonly label: string; readonly precision: number; readonly recall: number; readonly f1: number }[];
  /** confusion[i][j]: examples of label i predicted as label j. */
  readonly confusion: readonly (readonly number[])[];
}

/** Accuracy, per-class precision/recall/F1, macro F1 and the confusion matrix. */
export function classificationReport(labels: readonly string[], expected: readonly string[], predicted: readonly string[]): ClassificationReport {
  if (expected.length !== predicted.length || expected.length === 0) {
    throw new RangeError(`classificationReport: expected (${expected.length}) and predicted (${predicted.length}) must be the same, non-zero length.`);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let right = 0;
  expected.forEach((label, i) => {
    const e = index.get(label);
    const p = index.get(predicted[i]!);
    if (e === undefined || p === undefined) throw new RangeError(`classificationReport: '${e === undefined ? label : predicted[i]}' is not one of ${labels.join(', ')}.`);
    confusion[e]![p]! += 1;
    if (e === p) right += 1;
  });
  const perClass = labels.map((label, k) => {
    const truePositives = confusion[k]![k]!;
    const predictedK = confusion.reduce((n, row) => n + row[k]!, 0);
    const actualK = confusion[k]!.reduce((n, x) => n + x, 0);
    const precision = predictedK === 0 ? 0 : truePositives / predictedK;
    const recall = actualK === 0 ? 0 : truePositives / actualK;
    return { label, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
  });
  return { accuracy: right / expected.length, macroF1: perClass.reduce((s, c) => s + c.f1, 0) / labels.length, perClass, confusion };
}

/**
 * The baseline every classifier must beat: one that ignores the text and always answers the
 * label most common among the training labels (a tie goes to the label seen first). Its
 * accuracy on the test labels is the share of them that carry that label. Empty label lists
 * are a RangeError: there is no most common label, or nothing to score.
 */
export function constantLabelAccuracy(trainLabels: readonly string[], testLabels: readonly string[]): { readonly label: string; readonly accuracy: number } {
  if (trainLabels.length === 0) throw new RangeError('constantLabelAccuracy: no training labels, so there is no most common label to answer.');
  if (testLabels.length === 0) throw new RangeError('constantLabelAccuracy: no test labels to score the constant answer on.');
  const counts = new Map<string, number>();
  for (const label of trainLabels) counts.set(label, (counts.get(label) ?? 0) + 1);
  // A Map keeps insertion order, so the first label to reach the top count is the one seen first.
  let label = trainLabels[0]!;
  for (const [candidate, count] of counts) if (count > counts.get(label)!) label = candidate;
  return { label, accuracy: testLabels.filter((l) => l === label).length / testLabels.length };
}

/** Texts → right-padded ids (B, T) cut to their first `blockSize` tokens, and their lengths. */
function encodeTexts(tokenizer: Tokenizer, texts: readonly string[], blockSize: number): { idx: tf.Tensor2D; lengths: number[] } {
  const encoded = texts.map((t) => {
    const ids = tokenizer.encode(t).slice(0, blockSize);
    if (ids.length === 0) throw new RangeError('Cannot classify an empty text: it has no tokens to read.');
    return ids;
  });
  const T = Math.max(...encoded.map((ids) => ids.length));
  const flat = new Int32Array(texts.length * T);
  encoded.forEach((ids, b) => flat.set(ids, b * T));
  return { idx: tf.tensor2d(flat, [texts.length, T], 'int32'), lengths: encoded.map((ids) => ids.length) };
}

let counter = 0;
function uid(): number {
  counter += 1;
  return counter;
}
