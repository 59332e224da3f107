/**
 * Exercise 6.1 — absmax int8, block by block.
 *
 * Cut `values` into blocks of `blockSize` consecutive numbers (the last block may be shorter).
 * Each block's scale is its largest |value|; each value becomes the integer code
 * round(127 · value / scale), in −127…127 (0 in a block of zeros, whose scale is 0). Return
 * { codes: one per value, scales: one per block }. A blockSize that is not a positive integer
 * is a RangeError.
 */
export function quantizeInt8Blocks(values: number[], blockSize: number): { codes: number[]; scales: number[] } {
  throw new Error('Exercise 6.1: replace this line with your int8 quantization');
}
