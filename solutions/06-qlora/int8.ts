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
  // BEGIN SOLUTION
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
  const scales: number[] = [];
  for (let start = 0; start < values.length; start += blockSize) {
    scales.push(Math.max(0, ...values.slice(start, start + blockSize).map(Math.abs)));
  }
  const codes = values.map((v, i) => {
    const scale = scales[Math.floor(i / blockSize)]!;
    return scale === 0 ? 0 : Math.round((127 * v) / scale);
  });
  return { codes, scales };
  // END SOLUTION
  throw new Error('Exercise 6.1: replace this line with your int8 quantization');
}
