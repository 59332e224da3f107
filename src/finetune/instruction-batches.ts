/**
 * Batches for instruction tuning: encoded examples (`encodeForTraining`) stacked into
 * (batchSize, blockSize) typed arrays, with their loss masks, for `GPT.loss(inputs, targets,
 * { lossMask })`. Unlike pretraining windows, cut anywhere in one long text, each row is one
 * whole example: its prompt, its answer, then padding the mask leaves out.
 */
import type { BatchSource } from '../train';
import type { SeededRandom } from '../util/random';
import type { EncodedExample } from './instruct';

/** A batch of encoded examples, (batchSize, blockSize) row-major, ready for `GPT.loss`. */
export interface InstructionBatch {
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  /** Pass to `GPT.loss` as `lossMask` (as a (B, T) float tensor). */
  readonly lossMask: Float32Array;
  readonly batchSize: number;
  readonly blockSize: number;
  /** Which example each row is. */
  readonly indices: readonly number[];
}

/** Options of `instructionBatches`. */
export interface InstructionBatchOptions {
  /** How many examples (rows) in the batch. */
  readonly batchSize: number;
  /** Which examples are drawn; the same seed gives the same batches. */
  readonly rng: SeededRandom;
}

/**
 * Draws a batch of `batchSize` examples at random (each uniformly, with replacement, as
 * `sampleBatch` draws windows), for one step of the training loop. Every example must have
 * the same blockSize.
 */
export function instructionBatches(
  examples: readonly EncodedExample[],
  options: InstructionBatchOptions,
): InstructionBatch {
  const { batchSize, rng } = options;
  checkBatchShape('instructionBatches', examples, batchSize);
  const indices: number[] = [];
  for (let b = 0; b < batchSize; b++) indices.push(rng.int(examples.length));
  return stackExamples(examples, indices);
}

/**
 * Every example exactly once, in order, `batchSize` a batch (the last may be smaller): for
 * measuring the loss on a whole test set.
 */
export function* sequentialInstructionBatches(
  examples: readonly EncodedExample[],
  options: { readonly batchSize: number },
): Generator<InstructionBatch, void, undefined> {
  checkBatchShape('sequentialInstructionBatches', examples, options.batchSize);
  for (let first = 0; first < examples.length; first += options.batchSize) {
    const indices: number[] = [];
    for (let i = first; i < Math.min(first + options.batchSize, examples.length); i++) indices.push(i);
    yield stackExamples(examples, indices);
  }
}

function stackExamples(examples: readonly EncodedExample[], indices: readonly number[]): InstructionBatch {
  const blockSize = examples[0]!.inputs.length;
  const batchSize = indices.length;
  const inputs = new Int32Array(batchSize * blockSize);
  const targets = new Int32Array(batchSize * blockSize);
  const lossMask = new Float32Array(batchSize * blockSize);
  indices.forEach((index, row) => {
    const example = examples[index]!;
    inputs.set(example.inputs, row * blockSize);
    targets.set(example.targets, row * blockSize);
    lossMask.set(example.lossMask, row * blockSize);
  });
  return { inputs, targets, lossMask, batchSize, blockSize, indices };
}

function checkBatchShape(caller: string, examples: readonly EncodedExample[], batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`${caller}: batchSize must be a positive integer, got ${batchSize}.`);
  }
  if (examples.length === 0) {
    throw new RangeError(`${caller}: there are no examples to draw from. Encode some with encodeForTraining first.`);
  }
  const blockSize = examples[0]!.inputs.length;
  const other = examples.findIndex((example) => example.inputs.length !== blockSize);
  if (other !== -1) {
    throw new RangeError(
      `${caller}: example ${other} has ${examples[other]!.inputs.length} positions but example 0 has ` +
        `${blockSize}; encode every example with the same blockSize (the model's).`,
    );
  }
}

/**
 * Encoded examples as the trainer's `BatchSource`: a random batch each step
 * (`instructionBatches`), and for loss estimates the first `count` batches of the examples in
 * order, the same every time.
 */
export function exampleBatches(examples: readonly EncodedExample[]): BatchSource {
  checkBatchShape('exampleBatches', examples, 1);
  return {
    blockSize: examples[0]!.inputs.length,
    sample: (batchSize, rng) => instructionBatches(examples, { batchSize, rng }),
    evaluation: (batchSize, count) => [...sequentialInstructionBatches(examples, { batchSize })].slice(0, count),
  };
}
