/**
 * Fine-tuning on plain arrays: the functions lessons 04, 05 and 06 have the learner write, as the
 * toolkit's reference (the lessons' later cells fall back to these while an exercise does not
 * pass yet).
 *
 *   answerLossMask(isAnswer, blockSize)   which positions the loss counts: those predicting an answer token
 *   relativeChange(before, after)         ‖after − before‖ / ‖before‖: how far fine-tuning moved a weight
 *   loraForward(x, W, A, B, scaling)      x·W + scaling·(x·A)·B: a linear layer with a LoRA adapter
 *   mergeLora(W, A, B, scaling)           W + scaling·A·B: the adapter folded into the weight
 *   adapterParameterCount(shapes, rank)   r·Σ(in + out): the numbers rank-r adapters train
 *   quantizeInt8Blocks(values, size)      blockwise absmax int8: a code per value, a scale per block
 *   quantizeNF4Blocks(values, size, lv)   blockwise NF4: the nearest of 16 levels per value
 *
 * `encodeForTraining` computes the same mask while it encodes a conversation; this one takes
 * the per-token answer flags, so the shift by one can be read on its own.
 */

/**
 * The loss mask of one training row of `blockSize` positions. Position t's input is token t
 * and its target token t + 1, so the mask belongs to the target: 1 where token t + 1 exists
 * and is an answer token, 0 where it is a prompt token or beyond the conversation (padding).
 * A conversation longer than blockSize + 1 tokens is cut: only the first blockSize positions
 * exist. A RangeError when blockSize is not a positive integer, or when not one answer token
 * is the target of a position (the row would teach nothing).
 */
export function answerLossMask(isAnswer: readonly boolean[], blockSize: number): number[] {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`answerLossMask: blockSize must be a positive integer, got ${blockSize}.`);
  const mask = Array.from({ length: blockSize }, (_, t) => (t + 1 < isAnswer.length && isAnswer[t + 1] ? 1 : 0));
  if (!mask.includes(1)) {
    throw new RangeError(
      `answerLossMask: no position of the ${blockSize} predicts an answer token (the answer starts at token ${isAnswer.indexOf(true)}); shorten the prompt or use a longer blockSize.`,
    );
  }
  return mask;
}

/**
 * How far a weight moved, relative to its size: ‖after − before‖ / ‖before‖, the norms over
 * every entry (the Frobenius norm of a matrix). 0.01 means the change is 1% of the weight.
 * A RangeError when the two differ in length, are empty, or `before` is all zeros (a change
 * relative to nothing has no size).
 */
export function relativeChange(before: ArrayLike<number>, after: ArrayLike<number>): number {
  if (before.length !== after.length) throw new RangeError(`relativeChange: before has ${before.length} numbers and after ${after.length}; pass the same weight twice.`);
  let change = 0;
  let size = 0;
  for (let i = 0; i < before.length; i++) {
    change += (after[i]! - before[i]!) ** 2;
    size += before[i]! ** 2;
  }
  if (size === 0) throw new RangeError('relativeChange: before is empty or all zeros, so a change relative to it has no size.');
  return Math.sqrt(change) / Math.sqrt(size);
}

type Matrix = readonly (readonly number[])[];

function shapeOf(name: string, m: Matrix, caller: string): [number, number] {
  if (!Array.isArray(m) || m.length === 0 || !Array.isArray(m[0]) || m[0].length === 0) throw new RangeError(`${caller}: ${name} must be a non-empty matrix (an array of rows).`);
  const columns = m[0].length;
  m.forEach((row, i) => {
    if (row.length !== columns) throw new RangeError(`${caller}: row ${i} of ${name} has ${row.length} numbers, row 0 has ${columns}.`);
  });
  return [m.length, columns];
}

function matmul(a: Matrix, b: Matrix): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, x, k) => sum + x * b[k]![j]!, 0)));
}

/** Checks that W (in, out), A (in, r) and B (r, out) fit together. */
function checkFactors(W: Matrix, A: Matrix, B: Matrix, caller: string): void {
  const [inW, out] = shapeOf('W', W, caller);
  const [inA, r] = shapeOf('A', A, caller);
  const [rB, outB] = shapeOf('B', B, caller);
  if (inA !== inW) throw new RangeError(`${caller}: A has ${inA} rows but W has ${inW}; A is (in, r), with W's in.`);
  if (rB !== r) throw new RangeError(`${caller}: B has ${rB} rows but A has ${r} columns; B is (r, out).`);
  if (outB !== out) throw new RangeError(`${caller}: B has ${outB} columns but W has ${out}; B is (r, out), with W's out.`);
}

/**
 * A linear layer with a LoRA adapter, on plain arrays: x·W + scaling·(x·A)·B, for x (n, in),
 * W (in, out), A (in, r), B (r, out). x·A first: n·r·(in + out) multiplications instead of
 * forming the (in, out) matrix A·B. Shapes that do not fit are a RangeError.
 */
export function loraForward(x: Matrix, W: Matrix, A: Matrix, B: Matrix, scaling: number): number[][] {
  checkFactors(W, A, B, 'loraForward');
  const [, inX] = shapeOf('x', x, 'loraForward');
  if (inX !== W.length) throw new RangeError(`loraForward: x has ${inX} columns but W has ${W.length} rows; x is (n, in).`);
  const base = matmul(x, W);
  const adapter = matmul(matmul(x, A), B);
  return base.map((row, i) => row.map((y, j) => y + scaling * adapter[i]![j]!));
}

/**
 * The adapter merged into the weight: W + scaling·A·B, (in, out). A merged layer costs
 * nothing extra at inference; merging with −scaling takes the adapter out again. Shapes that
 * do not fit are a RangeError.
 */
export function mergeLora(W: Matrix, A: Matrix, B: Matrix, scaling: number): number[][] {
  checkFactors(W, A, B, 'mergeLora');
  const delta = matmul(A, B);
  return W.map((row, i) => row.map((w, j) => w + scaling * delta[i]![j]!));
}

/**
 * How many numbers rank-r adapters train on linear layers of the given shapes ([in, out]
 * each): A (in, r) and B (r, out) per layer, r·(in + out). A rank that is not a positive
 * integer, or a shape that is not two positive integers, is a RangeError.
 */
export function adapterParameterCount(shapes: readonly (readonly number[])[], rank: number): number {
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`adapterParameterCount: rank must be a positive integer, got ${rank}.`);
  return shapes.reduce((sum, shape, i) => {
    if (shape.length !== 2 || !shape.every((n) => Number.isInteger(n) && n > 0)) {
      throw new RangeError(`adapterParameterCount: shape ${i} is ${JSON.stringify(shape)}, not [in, out] of positive integers.`);
    }
    return sum + rank * (shape[0]! + shape[1]!);
  }, 0);
}

/** A block-quantized array on plain numbers: one code per value, one absmax scale per block. */
export interface BlockCodes {
  readonly codes: number[];
  readonly scales: number[];
}

function blockAbsmax(values: readonly number[], blockSize: number, caller: string): number[] {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`${caller}: blockSize must be a positive integer, got ${blockSize}.`);
  const scales: number[] = [];
  for (let start = 0; start < values.length; start += blockSize) {
    scales.push(values.slice(start, start + blockSize).reduce((m, v) => Math.max(m, Math.abs(v)), 0));
  }
  return scales;
}

/**
 * Blockwise absmax int8 on plain numbers: the values cut into blocks of `blockSize` (the last
 * may be shorter), each block's scale its largest |value|, each value the code
 * round(127 · value / scale) in −127…127 (0 in an all-zero block). Back: code · scale / 127.
 * A blockSize that is not a positive integer is a RangeError.
 */
export function quantizeInt8Blocks(values: readonly number[], blockSize: number): BlockCodes {
  const scales = blockAbsmax(values, blockSize, 'quantizeInt8Blocks');
  const codes = values.map((v, i) => {
    const scale = scales[Math.floor(i / blockSize)]!;
    return scale === 0 ? 0 : Math.round((127 * v) / scale);
  });
  return { codes, scales };
}

/**
 * Blockwise NF4 on plain numbers: as int8, but each value becomes the index of the level
 * nearest to value / scale, among `levels` (the 16 NF4 levels from −1 to 1; the lower index
 * on a tie; the level 0 in an all-zero block). Back: levels[code] · scale.
 */
export function quantizeNF4Blocks(values: readonly number[], blockSize: number, levels: readonly number[]): BlockCodes {
  const scales = blockAbsmax(values, blockSize, 'quantizeNF4Blocks');
  const nearest = (u: number) => levels.reduce((best, level, i) => (Math.abs(level - u) < Math.abs(levels[best]! - u) ? i : best), 0);
  const codes = values.map((v, i) => {
    const scale = scales[Math.floor(i / blockSize)]!;
    return nearest(scale === 0 ? 0 : v / scale);
  });
  return { codes, scales };
}
