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
  // BEGIN SOLUTION
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
  const scales: number[] = [];
  for (let start = 0; start < values.length; start += blockSize) {
    scales.push(Math.max(0, ...values.slice(start, start + blockSize).map(Math.abs)));
  }
  const nearest = (u: number) => {
    let best = 0;
    for (let i = 1; i < levels.length; i++) if (Math.abs(levels[i]! - u) < Math.abs(levels[best]! - u)) best = i;
    return best;
  };
  const codes = values.map((v, i) => {
    const scale = scales[Math.floor(i / blockSize)]!;
    return nearest(scale === 0 ? 0 : v / scale);
  });
  return { codes, scales };
  // END SOLUTION
  throw new Error('Exercise 6.2: replace this line with your NF4 quantization');
}
