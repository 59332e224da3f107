/**
 * Blockwise quantization: storing weights in 4 or 8 bits instead of 32.
 *
 * The values are cut into blocks of `blockSize` consecutive numbers (64 by default). Each
 * block keeps one float32 scale, its absmax (the largest |value|), and every value becomes
 * a small integer code for value / absmax, a number in [−1, 1]:
 *
 *   int8  code = round(127 · value / absmax), one byte each; back: code · absmax / 127
 *   nf4   code = the index of the nearest of the 16 NF4 levels, two codes per byte;
 *         back: NF4_LEVELS[code] · absmax
 *
 * Small blocks keep one large weight (an outlier) from flattening the resolution of all the
 * others: it only sets the scale of its own 64 neighbours. The price is the scales: 4 bytes
 * per block, 0.5 bits per weight at block size 64. (QLoRA's "double quantization" stores
 * those scales in 8 bits too; this module keeps them in float32.)
 *
 * Plain TypeScript on typed arrays: quantizing a 128 × 512 matrix takes a few milliseconds.
 */
import { NF4_LEVELS, NF4_MAX_GAP } from './normal-float';

interface BlockwiseQuantized {
  /** The shape of the original tensor (its values are stored in row-major order). */
  readonly shape: readonly number[];
  /** How many values: the product of `shape`. */
  readonly length: number;
  readonly blockSize: number;
  /** One absmax per block: ceil(length / blockSize) float32s. */
  readonly scales: Float32Array;
}

/** 4-bit NormalFloat codes, two per byte: value 2i in the high nibble, 2i + 1 in the low one. */
export interface NF4Tensor extends BlockwiseQuantized {
  readonly format: 'nf4';
  /** ceil(length / 2) bytes. */
  readonly codes: Uint8Array;
}

/** 8-bit codes in −127…127, one per value. */
export interface Int8Tensor extends BlockwiseQuantized {
  readonly format: 'int8';
  readonly codes: Int8Array;
}

export type QuantizedTensor = NF4Tensor | Int8Tensor;

export interface QuantizeOptions {
  /** Values per absmax scale. @default 64 */
  readonly blockSize?: number;
  /** The tensor's shape, kept for dequantizing. @default [values.length] */
  readonly shape?: readonly number[];
}

export const DEFAULT_BLOCK_SIZE = 64;

/** The NF4 code of 0 (NF4_LEVELS[7] === 0): what an all-zero block stores. */
const NF4_ZERO_CODE = NF4_LEVELS.indexOf(0);

/** The levels as a typed array, for the hot loops. */
const LEVELS = Float64Array.from(NF4_LEVELS);

/** Halfway between neighbouring levels: a value above midpoint i rounds to level i + 1 or higher. */
const NF4_MIDPOINTS = Float64Array.from(NF4_LEVELS.slice(1), (level, i) => (level + NF4_LEVELS[i]!) / 2);

// The loops below avoid looking up globals such as `Math` for every value: inside a
// notebook kernel or a test runner (a `vm` context) each such lookup is slow.
const { round } = Math;

/** Quantizes values to blockwise NF4 (absmax per block). */
export function quantizeNF4(values: ArrayLike<number>, options: QuantizeOptions = {}): NF4Tensor {
  const { blockSize, shape, scales } = blockScales(values, options);
  const n = values.length;
  const codes = new Uint8Array((n + 1) >> 1);
  for (let block = 0; block < scales.length; block++) {
    const scale = scales[block]!;
    const end = Math.min(n, (block + 1) * blockSize);
    for (let i = block * blockSize; i < end; i++) {
      const code = scale === 0 ? NF4_ZERO_CODE : nearestNF4Code(values[i]! / scale);
      // Even positions fill the high nibble, odd ones the low nibble.
      codes[i >> 1]! |= (i & 1) === 0 ? code << 4 : code;
    }
  }
  return { format: 'nf4', shape, length: n, blockSize, scales, codes };
}

/** Quantizes values to blockwise int8 (absmax per block, codes −127…127). */
export function quantizeInt8(values: ArrayLike<number>, options: QuantizeOptions = {}): Int8Tensor {
  const { blockSize, shape, scales } = blockScales(values, options);
  const n = values.length;
  const codes = new Int8Array(n);
  for (let block = 0; block < scales.length; block++) {
    const scale = scales[block]!;
    const end = Math.min(n, (block + 1) * blockSize);
    for (let i = block * blockSize; i < end; i++) codes[i] = scale === 0 ? 0 : round((127 * values[i]!) / scale);
  }
  return { format: 'int8', shape, length: n, blockSize, scales, codes };
}

/** Quantizes to NF4 (bits 4) or int8 (bits 8). */
export function quantize(values: ArrayLike<number>, options: QuantizeOptions & { readonly bits: 4 | 8 }): QuantizedTensor {
  return options.bits === 4 ? quantizeNF4(values, options) : quantizeInt8(values, options);
}

/** The float32 values a quantized tensor stands for (row-major, `q.length` of them). */
export function dequantize(q: QuantizedTensor, out = new Float32Array(q.length)): Float32Array {
  const { blockSize, scales, length } = q;
  for (let block = 0; block < scales.length; block++) {
    const scale = scales[block]!;
    const end = Math.min(length, (block + 1) * blockSize);
    if (q.format === 'nf4') {
      for (let i = block * blockSize; i < end; i++) {
        const byte = q.codes[i >> 1]!;
        out[i] = LEVELS[(i & 1) === 0 ? byte >> 4 : byte & 0x0f]! * scale;
      }
    } else {
      for (let i = block * blockSize; i < end; i++) out[i] = (q.codes[i]! * scale) / 127;
    }
  }
  return out;
}

export interface QuantizedBytes {
  readonly codes: number;
  readonly scales: number;
  /** codes + scales. */
  readonly total: number;
}

/** The bytes a quantized tensor holds: its codes and its float32 scales. */
export function quantizedBytes(q: QuantizedTensor): QuantizedBytes {
  return { codes: q.codes.byteLength, scales: q.scales.byteLength, total: q.codes.byteLength + q.scales.byteLength };
}

/**
 * The bytes `length` values take in each form, without quantizing anything:
 * float32 4·n; int8 n + 4·blocks; nf4 ceil(n/2) + 4·blocks, with blocks = ceil(n / blockSize).
 */
export function bytesPerForm(length: number, blockSize = DEFAULT_BLOCK_SIZE): { float32: number; int8: number; nf4: number } {
  const scales = 4 * Math.ceil(length / blockSize);
  return { float32: 4 * length, int8: length + scales, nf4: Math.ceil(length / 2) + scales };
}

export interface QuantizationErrorReport {
  /** The largest |original − dequantized|. */
  readonly maxAbs: number;
  /** The mean |original − dequantized|. */
  readonly meanAbs: number;
  /** ‖original − dequantized‖ / ‖original‖ (L2 norms): the error's size relative to the values'. */
  readonly relative: number;
}

/** How far the dequantized values are from the originals. */
export function quantizationError(original: ArrayLike<number>, q: QuantizedTensor): QuantizationErrorReport {
  if (original.length !== q.length) {
    throw new RangeError(`quantizationError: ${original.length} original values for a quantized tensor of ${q.length}.`);
  }
  const restored = dequantize(q);
  let maxAbs = 0;
  let sumAbs = 0;
  let sumSquaredError = 0;
  let sumSquared = 0;
  for (let i = 0; i < restored.length; i++) {
    const difference = original[i]! - restored[i]!;
    const error = difference < 0 ? -difference : difference;
    if (error > maxAbs) maxAbs = error;
    sumAbs += error;
    sumSquaredError += error * error;
    sumSquared += original[i]! * original[i]!;
  }
  const relative = sumSquared === 0 ? (sumSquaredError === 0 ? 0 : Infinity) : Math.sqrt(sumSquaredError / sumSquared);
  return { maxAbs, meanAbs: restored.length === 0 ? 0 : sumAbs / restored.length, relative };
}

/**
 * The most NF4 can be off for a value in a block with this absmax.
 *
 * A value v becomes u = v / absmax in [−1, 1]. The levels include −1 and 1, so u lies between
 * two neighbouring levels, and the nearer one is at most half their gap away. Scaling back:
 * |v − v̂| ≤ absmax · (largest gap) / 2 = absmax · NF4_MAX_GAP / 2.
 */
export function nf4ErrorBound(absmax: number): number {
  return (absmax * NF4_MAX_GAP) / 2;
}

/**
 * The most int8 can be off for a value in a block with this absmax: the codes are absmax/127
 * apart and rounding moves at most half a step, absmax / 127 / 2.
 */
export function int8ErrorBound(absmax: number): number {
  return absmax / 127 / 2;
}

/** The nearest NF4 level's index for u in [−1, 1]: a binary search over the 15 midpoints. */
function nearestNF4Code(u: number): number {
  let low = 0;
  let high = NF4_MIDPOINTS.length; // the answer is how many midpoints lie below u
  while (low < high) {
    const mid = (low + high) >> 1;
    if (u > NF4_MIDPOINTS[mid]!) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Checks the options and computes every block's absmax. */
function blockScales(values: ArrayLike<number>, options: QuantizeOptions): { blockSize: number; shape: readonly number[]; scales: Float32Array } {
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new RangeError(`Quantization: blockSize must be a positive integer (64 is usual), got ${blockSize}.`);
  }
  const shape = [...(options.shape ?? [values.length])];
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) {
    throw new RangeError(`Quantization: shape [${shape.join(', ')}] holds ${size} values, but ${values.length} were given.`);
  }
  const n = values.length;
  const scales = new Float32Array(Math.ceil(n / blockSize));
  for (let block = 0; block < scales.length; block++) {
    let absmax = 0;
    const end = Math.min(n, (block + 1) * blockSize);
    for (let i = block * blockSize; i < end; i++) {
      const v = values[i]!;
      // v - v is 0 for every finite v, NaN for NaN and ±Infinity.
      if (v - v !== 0) throw new RangeError(`Quantization: value ${i} is ${v}; only finite numbers can be quantized.`);
      const magnitude = v < 0 ? -v : v;
      if (magnitude > absmax) absmax = magnitude;
    }
    scales[block] = absmax;
  }
  return { blockSize, shape, scales };
}
