/**
 * The training loop: next-token prediction, one batch at a time.
 *
 * Each iteration: draw a random batch of windows, compute the loss and its gradient for
 * every parameter, clip the gradient, and let AdamW take a step. Every `evalInterval`
 * iterations, estimate the loss on held-out text (the validation loss tells whether the
 * model learns the language or memorises the training text) and save a checkpoint.
 *
 * Nothing here is specific to GPT pretraining beyond `model.loss`: progress, plots and
 * logging hook in through callbacks. Fine-tuning trains part of a model: `trainable` lists
 * the variables the optimizer updates, and everything else stays frozen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../tf';
import { evaluationBatches, sampleBatch } from '../data';
import { CHECKPOINT_FILES, type GPT, readJson, readSafetensorsFile, saveCheckpoint, writeFilesAtomically } from '../model';
import { encodeSafetensors } from '../model/safetensors';
import type { Tokenizer } from '../tokenizer';
import { SeededRandom } from '../util/random';
import { median } from '../util/stats';
import { AdamW, clipScale, globalGradientNorm } from './adamw';
import { type LearningRateSchedule, learningRateAt } from './schedule';

export const TRAINER_FILES = { optimizer: 'optimizer.safetensors', state: 'trainer-state.json' } as const;

export interface TrainOptions {
  readonly model: GPT;
  /**
   * The variables training updates, by name; every other weight stays frozen, bit for bit.
   * LoRA passes its adapters' variables here. @default model.params (the whole model)
   */
  readonly trainable?: ReadonlyMap<string, tf.Variable>;
  /**
   * What a checkpoint saves of the model, as files by name. Needed with `checkpointDir` when
   * `trainable` is set: training part of a model saves that part (LoRA: its adapters, apart
   * from the frozen base: `() => adapterFiles(adapters)`). @default the whole model, its config and
   * tokenizer, as `saveCheckpoint` writes them
   */
  readonly checkpointFiles?: () => ReadonlyMap<string, Uint8Array | string>;
  /**
   * What to train on: tokens of one long text (pretraining: random windows of it), or whole
   * examples with loss masks (instruction tuning: `exampleBatches(...)`).
   */
  readonly train: Int32Array | BatchSource;
  /** Held-out data for the validation loss, in the same form. @default none (no validation) */
  readonly val?: Int32Array | BatchSource;
  /** Total iterations (the last one is `iters - 1`). */
  readonly iters: number;
  /**
   * Windows per batch. @default 16 — with the `baby` model, 2000 iterations on the
   * Shakespeare characters reach a validation loss of about 1.85 (nanoGPT's CPU recipe uses
   * 12 and ends near 1.89–1.91).
   */
  readonly batchSize?: number;
  /** Peak learning rate. @default 1e-3 */
  readonly lr?: number;
  /** Learning-rate floor at the end of the cosine. @default lr / 10 */
  readonly minLr?: number;
  /** Iterations of linear warmup. @default min(100, iters / 10) */
  readonly warmupIters?: number;
  /** Where the cosine reaches minLr. @default iters */
  readonly lrDecayIters?: number;
  /** AdamW's λ, applied to matrices only. @default 0.1 */
  readonly weightDecay?: number;
  /** @default 0.9 */
  readonly beta1?: number;
  /** @default 0.99 */
  readonly beta2?: number;
  /** Maximum global gradient norm (0 turns clipping off). @default 1.0 */
  readonly gradClip?: number;
  /** Iterations between loss estimates (and checkpoints). @default 250 */
  readonly evalInterval?: number;
  /** Batches averaged per loss estimate. @default 20 */
  readonly evalIters?: number;
  /** Seeds the batches and dropout: the same seed trains the same model. @default 1337 */
  readonly seed?: number;
  /** Save checkpoints (model or `checkpointFiles`, optimizer state) into this folder. @default none */
  readonly checkpointDir?: string;
  /** Needed with `checkpointDir` (unless `checkpointFiles` is given): saved beside the weights. */
  readonly tokenizer?: Tokenizer;
  /** Continue from the optimizer state and iteration saved in `checkpointDir`. @default false */
  readonly resume?: boolean;
  /** Stop after this iteration even if `iters` is larger (used to test resuming). @default none */
  readonly stopAfter?: number;
  readonly callbacks?: TrainCallbacks;
}

/** A batch the trainer can use: windows of a text, or examples with a loss mask. */
export interface TrainingBatch {
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly batchSize: number;
  readonly blockSize: number;
  /** 1 where the loss counts a position, 0 where it does not, (batchSize, blockSize). @default all 1 */
  readonly lossMask?: Float32Array;
}

/**
 * Training data that is not one long sequence of tokens: the trainer asks it for a random
 * batch each step and for fixed batches to estimate the loss. `exampleBatches` makes one
 * from encoded instruction examples.
 */
export interface BatchSource {
  /** Positions per row; at most the model's blockSize. */
  readonly blockSize: number;
  /** A random batch for one training step; the same rng state gives the same batch. */
  sample(batchSize: number, rng: SeededRandom): TrainingBatch;
  /** Batches for a loss estimate: the same ones every time they are asked for. */
  evaluation(batchSize: number, count: number): readonly TrainingBatch[];
}

export interface StepInfo {
  readonly iter: number;
  readonly iters: number;
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Tokens per second of this step (batchSize × blockSize / step time). */
  readonly tokensPerSecond: number;
  readonly stepMs: number;
}

export interface EvalInfo {
  readonly iter: number;
  readonly trainLoss: number;
  /** NaN when there is no validation set. */
  readonly valLoss: number;
}

export interface TrainCallbacks {
  onStart?(info: {
    readonly startIter: number;
    readonly iters: number;
    readonly tokensPerBatch: number;
    /** The parameters training updates (all of the model's, or `trainable`'s). */
    readonly parameters: number;
  }): void;
  onStep?(info: StepInfo): void;
  onEval?(info: EvalInfo): void;
  onCheckpoint?(info: { readonly iter: number; readonly dir: string }): void;
  onEnd?(result: TrainResult): void;
}

export interface TrainResult {
  readonly steps: readonly StepInfo[];
  readonly evals: readonly EvalInfo[];
  /** The iteration the next run would start at. */
  readonly nextIter: number;
  /** Median tokens per second over the steps of this run. */
  readonly tokensPerSecond: number;
  readonly finalTrainLoss: number;
  readonly finalValLoss: number;
}

/** Raised when the loss or the gradient becomes NaN or infinite: training has diverged. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly iter: number,
    what: string,
    lastCheckpoint: string | undefined,
  ) {
    super(
      `Training diverged at iteration ${iter}: the ${what} is not a finite number. ` +
        (lastCheckpoint ? `The last good checkpoint is kept in ${lastCheckpoint}. ` : '') +
        'Try a lower learning rate (--lr), a longer warmup, or gradient clipping (--grad-clip 1).',
    );
    this.name = 'TrainingDivergedError';
  }
}

interface SavedTrainerState {
  readonly nextIter: number;
  readonly optimizerSteps: number;
  readonly seed: number;
  readonly steps: StepInfo[];
  readonly evals: EvalInfo[];
}

/** Trains the model in place. Resolves when done; the model holds the trained weights. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const o = resolveTrainOptions(options);
  const { model, trainable } = o;
  const blockSize = model.config.blockSize;
  const schedule: LearningRateSchedule = { maxLr: o.lr, minLr: o.minLr, warmupIters: o.warmupIters, decayIters: o.lrDecayIters };
  // Freezing is choosing what the optimizer sees: it updates these variables and no others.
  const optimizer = new AdamW(trainable, {
    beta1: o.beta1,
    beta2: o.beta2,
    weightDecay: o.weightDecay,
    decay: decayedNames(trainable),
  });
  const steps: StepInfo[] = [];
  const evals: EvalInfo[] = [];
  let startIter = 0;
  if (o.resume) {
    const saved = loadTrainerState(o.checkpointDir!, optimizer);
    startIter = saved.nextIter;
    steps.push(...saved.steps);
    evals.push(...saved.evals);
  }
  const lastIter = Math.min(o.iters - 1, o.stopAfter ?? Infinity);
  const tokensPerBatch = o.batchSize * (isBatchSource(o.train) ? o.train.blockSize : blockSize);
  const parameters = [...trainable.values()].reduce((n, v) => n + v.size, 0);
  o.callbacks.onStart?.({ startIter, iters: o.iters, tokensPerBatch, parameters });
  let lastCheckpoint: string | undefined;
  const runSteps: StepInfo[] = [];

  try {
    for (let iter = startIter; iter <= lastIter; iter++) {
      // A checkpoint saved at an evaluation already holds that evaluation: do not repeat it.
      const resumedHere = o.resume && iter === startIter && evals[evals.length - 1]?.iter === startIter;
      if ((iter % o.evalInterval === 0 || iter === o.iters - 1) && !resumedHere) {
        const info = estimateLoss(o, iter);
        evals.push(info);
        o.callbacks.onEval?.(info);
        if (!Number.isFinite(info.trainLoss)) throw new TrainingDivergedError(iter, 'training loss', lastCheckpoint);
        if (o.checkpointDir && iter > startIter) {
          saveTrainingCheckpoint(o, optimizer, { nextIter: iter, steps, evals });
          lastCheckpoint = o.checkpointDir;
          o.callbacks.onCheckpoint?.({ iter, dir: o.checkpointDir });
        }
      }
      const started = performance.now();
      const lr = learningRateAt(iter, schedule);
      const rng = batchRng(o.seed, iter);
      const batch: TrainingBatch =
        isBatchSource(o.train) ? o.train.sample(o.batchSize, rng) : sampleBatch(o.train, { batchSize: o.batchSize, blockSize, rng });
      const { loss, gradNorm } = trainStep(o, optimizer, batch, lr, iter);
      if (!Number.isFinite(loss)) throw new TrainingDivergedError(iter, 'loss', lastCheckpoint);
      if (!Number.isFinite(gradNorm)) throw new TrainingDivergedError(iter, 'gradient norm', lastCheckpoint);
      const stepMs = performance.now() - started;
      const info: StepInfo = { iter, iters: o.iters, loss, lr, gradNorm, stepMs, tokensPerSecond: (tokensPerBatch * 1000) / stepMs };
      steps.push(info);
      runSteps.push(info);
      o.callbacks.onStep?.(info);
      // Let the event loop breathe (progress output, notebook displays, Ctrl-C).
      if (iter % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const nextIter = lastIter + 1;
    if (o.checkpointDir) {
      saveTrainingCheckpoint(o, optimizer, { nextIter, steps, evals });
      o.callbacks.onCheckpoint?.({ iter: lastIter, dir: o.checkpointDir });
    }
    const lastEval = evals[evals.length - 1];
    const result: TrainResult = {
      steps,
      evals,
      nextIter,
      tokensPerSecond: median(runSteps.map((s) => s.tokensPerSecond)),
      finalTrainLoss: lastEval?.trainLoss ?? NaN,
      finalValLoss: lastEval?.valLoss ?? NaN,
    };
    o.callbacks.onEnd?.(result);
    return result;
  } finally {
    optimizer.dispose();
  }
}

/** One optimisation step; returns the loss and the gradient norm before clipping. */
function trainStep(
  o: ResolvedTrainOptions,
  optimizer: AdamW,
  batch: TrainingBatch,
  lr: number,
  iter: number,
): { loss: number; gradNorm: number } {
  const { model } = o;
  const shape: [number, number] = [batch.batchSize, batch.blockSize];
  const inputs = tf.tensor2d(batch.inputs, shape, 'int32');
  const targets = tf.tensor2d(batch.targets, shape, 'int32');
  const lossMask = batch.lossMask ? tf.tensor2d(batch.lossMask, shape, 'float32') : undefined;
  const { value, grads: named } = namedVariableGrads(
    () => model.loss(inputs, targets, { training: true, dropoutSeed: o.seed + iter, lossMask }),
    o.trainable,
  );
  const loss = value.dataSync()[0]!;
  let gradNorm = NaN;
  if (Number.isFinite(loss)) {
    gradNorm = globalGradientNorm(named);
    // clipping scales the gradients inside the optimizer's update (no scaled copies)
    if (Number.isFinite(gradNorm)) optimizer.step(named, lr, o.gradClip > 0 ? clipScale(gradNorm, o.gradClip) : 1);
  }
  tf.dispose([inputs, targets, value, ...Object.values(named)]);
  lossMask?.dispose();
  return { loss, gradNorm };
}

/**
 * The loss `f()` and its gradient for every variable in `trainable`, the gradients named as
 * the map names them (`tf.variableGrads` names them by the variables' internal names).
 */
export function namedVariableGrads(
  f: () => tf.Scalar,
  trainable: ReadonlyMap<string, tf.Variable>,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const nameOf = new Map([...trainable].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(f, [...trainable.values()]);
  const named: tf.NamedTensorMap = {};
  for (const [internal, g] of Object.entries(grads)) named[nameOf.get(internal) ?? internal] = g;
  return { value, grads: named };
}

/**
 * The variables weight decay applies to: matrices (rank ≥ 2), not biases or layer-norm
 * gains. For the whole model that is `model.decayedParameterNames()`; LoRA's A and B are
 * matrices too.
 */
export function decayedNames(variables: ReadonlyMap<string, tf.Variable>): Set<string> {
  return new Set([...variables].filter(([, v]) => v.rank >= 2).map(([name]) => name));
}

/** Average loss over fixed batches of the training and validation tokens (no gradients). */
export function estimateLoss(o: Pick<ResolvedTrainOptions, 'model' | 'train' | 'val' | 'batchSize' | 'evalIters' | 'seed'>, iter: number): EvalInfo {
  const average = (data: Int32Array | BatchSource | undefined): number => {
    if (!data) return NaN;
    const batches: readonly TrainingBatch[] = isBatchSource(data)
      ? data.evaluation(o.batchSize, o.evalIters)
      : evaluationBatches(data, { batchSize: o.batchSize, blockSize: o.model.config.blockSize, count: o.evalIters, seed: o.seed + 7919 });
    let total = 0;
    for (const batch of batches) {
      total += tf.tidy(() => {
        const shape: [number, number] = [batch.batchSize, batch.blockSize];
        const lossMask = batch.lossMask ? tf.tensor2d(batch.lossMask, shape, 'float32') : undefined;
        return o.model.loss(tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32'), { lossMask }).dataSync()[0]!;
      });
    }
    return total / batches.length;
  };
  return { iter, trainLoss: average(o.train), valLoss: average(o.val) };
}

/** Examples with their own batches, rather than tokens of one text (an Int32Array or any array of ids). */
function isBatchSource(data: Int32Array | BatchSource): data is BatchSource {
  return typeof (data as Partial<BatchSource>).sample === 'function';
}

/** Each iteration draws its batch from its own seeded stream, so resuming repeats nothing. */
function batchRng(seed: number, iter: number): SeededRandom {
  return new SeededRandom((seed * 1_000_003 + iter * 7_919) % 2 ** 32);
}

function saveTrainingCheckpoint(
  o: ResolvedTrainOptions,
  optimizer: AdamW,
  progress: { nextIter: number; steps: StepInfo[]; evals: EvalInfo[] },
): void {
  const state: SavedTrainerState = { ...progress, optimizerSteps: optimizer.stepCount, seed: o.seed };
  const trainerFiles = new Map<string, Uint8Array | string>([
    [TRAINER_FILES.optimizer, encodeSafetensors(optimizer.stateArrays())],
    [TRAINER_FILES.state, JSON.stringify(state) + '\n'],
  ]);
  if (o.checkpointFiles) {
    // Part of a model (LoRA adapters): its own files, then the trainer's, all written atomically.
    writeFilesAtomically(o.checkpointDir!, new Map([...o.checkpointFiles(), ...trainerFiles]));
    return;
  }
  if (!o.tokenizer) throw new Error('train: checkpointDir needs the tokenizer too (options.tokenizer).');
  saveCheckpoint(o.checkpointDir!, { model: o.model, tokenizer: o.tokenizer, extraFiles: trainerFiles });
}

function loadTrainerState(dir: string, optimizer: AdamW): SavedTrainerState {
  const stateFile = path.join(dir, TRAINER_FILES.state);
  if (!fs.existsSync(stateFile)) {
    throw new Error(
      `Cannot resume: ${stateFile} is missing. Resuming needs a checkpoint written by training ` +
        `(it saves ${TRAINER_FILES.state} and ${TRAINER_FILES.optimizer} beside ${CHECKPOINT_FILES.weights}).`,
    );
  }
  const state = readJson(stateFile) as SavedTrainerState;
  if (!Number.isInteger(state.nextIter) || !Number.isInteger(state.optimizerSteps)) {
    throw new Error(`Cannot resume: ${stateFile} does not hold a trainer state (nextIter, optimizerSteps).`);
  }
  optimizer.loadStateArrays(readSafetensorsFile(path.join(dir, TRAINER_FILES.optimizer)), state.optimizerSteps);
  return state;
}

type OptionalTrainOptions = 'val' | 'checkpointDir' | 'tokenizer' | 'stopAfter' | 'checkpointFiles';
type ResolvedTrainOptions = Required<Omit<TrainOptions, OptionalTrainOptions>> & Pick<TrainOptions, OptionalTrainOptions>;

function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  const lr = options.lr ?? 1e-3;
  const iters = options.iters;
  const resolved: ResolvedTrainOptions = {
    ...options,
    trainable: options.trainable ?? options.model.params,
    batchSize: options.batchSize ?? 16,
    lr,
    minLr: options.minLr ?? lr / 10,
    warmupIters: options.warmupIters ?? Math.min(100, Math.floor(iters / 10)),
    lrDecayIters: options.lrDecayIters ?? iters,
    weightDecay: options.weightDecay ?? 0.1,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.99,
    gradClip: options.gradClip ?? 1.0,
    evalInterval: options.evalInterval ?? 250,
    evalIters: options.evalIters ?? 20,
    seed: options.seed ?? 1337,
    resume: options.resume ?? false,
    callbacks: options.callbacks ?? {},
  };
  const positive: [string, number][] = [
    ['iters', iters],
    ['batchSize', resolved.batchSize],
    ['evalInterval', resolved.evalInterval],
    ['evalIters', resolved.evalIters],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`train: ${name} must be a positive integer, got ${value}.`);
  }
  if (!(lr > 0)) throw new RangeError(`train: lr must be a positive number, got ${lr}.`);
  if (!(resolved.minLr >= 0 && resolved.minLr <= lr)) throw new RangeError(`train: minLr must be in [0, lr], got ${resolved.minLr}.`);
  if (resolved.resume && !resolved.checkpointDir) throw new Error('train: resume needs checkpointDir (where the run was saved).');
  if (resolved.trainable.size === 0) throw new Error('train: trainable is empty; there is nothing to train.');
  const partOfModel = options.trainable !== undefined && options.trainable !== options.model.params;
  if (resolved.checkpointDir && partOfModel && !resolved.checkpointFiles) {
    throw new Error(
      'train: with trainable set, checkpointDir needs checkpointFiles too (what to save of the model: ' +
        'for LoRA, () => adapterFiles(adapters)). Saving the whole model would store the frozen base, not what was trained.',
    );
  }
  if (resolved.checkpointDir && !resolved.checkpointFiles && !resolved.tokenizer) {
    throw new Error('train: checkpointDir needs the tokenizer too (options.tokenizer).');
  }
  const needed = options.model.config.blockSize + 1;
  if (isBatchSource(options.train)) {
    if (options.train.blockSize > options.model.config.blockSize) {
      throw new RangeError(`train: the batches have ${options.train.blockSize} positions per row, more than the model's blockSize ${options.model.config.blockSize}.`);
    }
  } else if (options.train.length < needed) {
    throw new RangeError(`train: the training tokens (${options.train.length}) are fewer than blockSize + 1 = ${needed}.`);
  }
  return resolved;
}
