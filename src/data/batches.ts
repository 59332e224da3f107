/**
 * Batches for next-token prediction.
 *
 * A training example is a window of `blockSize` consecutive tokens, and its targets are the
 * same window shifted one token to the right: at every position the model must predict the
 * token that comes next. One window therefore holds `blockSize` examples at once, each with
 * a longer context than the one before it.
 *
 *     tokens   …  12  7  7  3  9  …
 *     inputs      12  7  7  3
 *     targets         7  7  3  9
 *
 * Batches are plain typed arrays, row-major (batchSize, blockSize); the training loop turns
 * them into tensors.
 */
import { SeededRandom } from '../util/random';
import { CorpusTooShortError } from './errors';

/** A batch of windows: `batchSize` rows of `blockSize` token ids. */
export interface Batch {
  /** Token ids, (batchSize, blockSize) row-major: row b is `[b*blockSize, (b+1)*blockSize)`. */
  readonly inputs: Int32Array;
  /** The next token after each input position, same shape: `targets[i]` follows `inputs[i]`. */
  readonly targets: Int32Array;
  readonly batchSize: number;
  readonly blockSize: number;
  /** Where each row starts in the tokens: row b is `tokens[starts[b] .. starts[b]+blockSize)`. */
  readonly starts: readonly number[];
}

/** Options of `sampleBatch`. */
export interface BatchOptions {
  /** How many windows (rows) in the batch. */
  readonly batchSize: number;
  /** How many tokens in each window: the longest context the model sees. */
  readonly blockSize: number;
  /** Where the window starts come from; the same seed gives the same batches. */
  readonly rng: SeededRandom;
}

/**
 * Cuts `batchSize` windows at random positions (uniform over every position where a whole
 * window and its next token fit), as nanoGPT's `get_batch` does.
 *
 * Throws a `CorpusTooShortError` when the tokens are fewer than `blockSize + 1`.
 */
export function sampleBatch(tokens: ArrayLike<number>, options: BatchOptions): Batch {
  const { batchSize, blockSize, rng } = options;
  checkShape('sampleBatch', tokens, batchSize, blockSize);
  // A window starting at `start` needs tokens up to start + blockSize (its last target).
  const positions = tokens.length - blockSize;
  const starts: number[] = [];
  for (let b = 0; b < batchSize; b++) starts.push(rng.int(positions));
  return cutWindows(tokens, starts, blockSize);
}

/** Options of `evaluationBatches`. */
export interface EvaluationBatchOptions {
  readonly batchSize: number;
  readonly blockSize: number;
  /** How many batches. */
  readonly count: number;
  /**
   * Seed of the window positions. The same seed gives the same batches on every call, so
   * the validation loss measured at step 100 and at step 1000 is measured on the same text.
   * @default 0
   */
  readonly seed?: number;
}

/**
 * A fixed set of `count` random batches for measuring loss: the same windows every time it
 * is called with the same seed, so changes in the loss come from the model, not from which
 * text happened to be drawn.
 */
export function evaluationBatches(
  tokens: ArrayLike<number>,
  options: EvaluationBatchOptions,
): readonly Batch[] {
  const { batchSize, blockSize, count, seed = 0 } = options;
  if (!Number.isInteger(count) || count <= 0) {
    throw new RangeError(`evaluationBatches: count must be a positive integer, got ${count}.`);
  }
  checkShape('evaluationBatches', tokens, batchSize, blockSize);
  const rng = new SeededRandom(seed);
  const batches: Batch[] = [];
  for (let i = 0; i < count; i++) batches.push(sampleBatch(tokens, { batchSize, blockSize, rng }));
  return batches;
}

/** Options of `sequentialBatches`. */
export interface SequentialBatchOptions {
  readonly batchSize: number;
  readonly blockSize: number;
}

/**
 * Walks the whole token sequence in order, in windows that do not overlap (starting at 0,
 * blockSize, 2·blockSize, …), `batchSize` windows a batch; the last batch may have fewer
 * rows, and tokens after the last whole window are left out. Use it to measure the loss on
 * every token of a validation set exactly once.
 */
export function* sequentialBatches(
  tokens: ArrayLike<number>,
  options: SequentialBatchOptions,
): Generator<Batch, void, undefined> {
  const { batchSize, blockSize } = options;
  checkShape('sequentialBatches', tokens, batchSize, blockSize);
  const windowCount = Math.floor((tokens.length - 1) / blockSize);
  for (let first = 0; first < windowCount; first += batchSize) {
    const starts: number[] = [];
    const last = Math.min(first + batchSize, windowCount);
    for (let w = first; w < last; w++) starts.push(w * blockSize);
    yield cutWindows(tokens, starts, blockSize);
  }
}

function cutWindows(
  tokens: ArrayLike<number>,
  starts: readonly number[],
  blockSize: number,
): Batch {
  const batchSize = starts.length;
  const inputs = new Int32Array(batchSize * blockSize);
  const targets = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = starts[b]!;
    for (let t = 0; t < blockSize; t++) {
      inputs[b * blockSize + t] = tokens[start + t]!;
      targets[b * blockSize + t] = tokens[start + t + 1]!;
    }
  }
  return { inputs, targets, batchSize, blockSize, starts };
}

function checkShape(
  caller: string,
  tokens: ArrayLike<number>,
  batchSize: number,
  blockSize: number,
): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`${caller}: batchSize must be a positive integer, got ${batchSize}.`);
  }
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new RangeError(`${caller}: blockSize must be a positive integer, got ${blockSize}.`);
  }
  if (tokens.length < blockSize + 1) {
    throw new CorpusTooShortError(
      `${caller}: the token sequence has ${tokens.length} tokens, but a window of ` +
        `blockSize ${blockSize} plus the token after it needs at least ${blockSize + 1}. ` +
        'Use a smaller blockSize or more text (a validation split of a short text is the ' +
        'usual culprit: try a larger valFraction).',
    );
  }
}
