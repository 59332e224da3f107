/**
 * Exercise 6.2 — NF4, block by block.
 *
 * The same blocks and absmax scales as int8, but each value becomes the index of the level
 * nearest to value / scale among `levels` (the 16 NF4 levels, from −1 to 1): the lower index
 * when two are equally near, and the index of level 0 in a block of zeros. Return
 * { codes: one per value, scales: one per block }. A blockSize that is not a positive integer
 * is a RangeError.
 */
export function quantizeNF4Blocks(values: number[], blockSize: number, levels: number[]): { codes: number[]; scales: number[] } {
  throw new Error('Exercise 6.2: replace this line with your NF4 quantization');
}
