import {
  NF4_LEVELS,
  NF4_MAX_GAP,
  bytesPerForm,
  dequantize,
  int8ErrorBound,
  nf4ErrorBound,
  normalQuantile,
  quantizationError,
  quantizedBytes,
  quantizeInt8,
  quantizeNF4,
} from '../../src/finetune';
import { SeededRandom } from '../../src/util/random';

/** Normally distributed values (Box–Muller), seeded, with a few outliers as real weights have. */
function weightLike(n: number, seed = 1, std = 0.02): Float32Array {
  const rng = new SeededRandom(seed);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    values[i] = normal * std * (rng.next() < 0.01 ? 10 : 1);
  }
  return values;
}

/** Every value's error next to the bound of its own block (absmax · bound factor). */
function worstErrorOverBound(values: Float32Array, restored: Float32Array, blockSize: number, bound: (absmax: number) => number): number {
  let worst = 0;
  for (let start = 0; start < values.length; start += blockSize) {
    const block = values.subarray(start, start + blockSize);
    const absmax = Math.max(...Array.from(block, Math.abs));
    for (let i = 0; i < block.length; i++) {
      // A float32 rounding of the result (relative 6e-8) on top of the rounding to a level.
      const allowed = bound(absmax) + 1e-7 * absmax;
      worst = Math.max(worst, Math.abs(block[i]! - restored[start + i]!) / allowed);
    }
  }
  return worst;
}

describe('NF4 levels', () => {
  // The NF4 values as published with QLoRA (bitsandbytes' NF4 code book).
  const published = [
    -1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
    -0.09105003625154495, 0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
    0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1,
  ];

  it('are the 16 normal quantiles QLoRA publishes, sorted, from −1 to 1, with 0 exact', () => {
    expect(NF4_LEVELS).toHaveLength(16);
    NF4_LEVELS.forEach((level, i) => expect(Math.abs(level - published[i]!)).toBeLessThan(1e-6));
    for (let i = 1; i < 16; i++) expect(NF4_LEVELS[i]!).toBeGreaterThan(NF4_LEVELS[i - 1]!);
    expect([NF4_LEVELS[0], NF4_LEVELS[7], NF4_LEVELS[15]]).toEqual([-1, 0, 1]);
    expect(NF4_MAX_GAP).toBeCloseTo(1 - 0.6961928, 6); // the widest gap: between −1 and the next level
  });

  it.each([
    [0.5, 0],
    [0.975, 1.959963985],
    [0.025, -1.959963985],
    [0.001, -3.090232306],
    [0.9999, 3.719016485],
  ])('come from Φ⁻¹, the normal quantile: Φ⁻¹(%d) = %d', (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 8);
  });
});

describe('quantizeNF4', () => {
  it.each([
    ['blocks of 64', 128 * 96, 64],
    ['blocks of 32', 4096, 32],
    ['a last block cut short, odd length', 1001, 64],
    ['one block', 50, 64],
  ])('round-trips within half the widest level gap × the block’s absmax (%s)', (_, n, blockSize) => {
    const values = weightLike(n, n);
    const q = quantizeNF4(values, { blockSize });
    expect(worstErrorOverBound(values, dequantize(q), blockSize, nf4ErrorBound)).toBeLessThanOrEqual(1);
  });

  it('represents the levels themselves (scaled by the absmax) and zero exactly', () => {
    const values = Float32Array.from([...NF4_LEVELS, 0, 0].map((l) => l * 0.5));
    expect(Array.from(dequantize(quantizeNF4(values, { blockSize: 18 })))).toEqual(Array.from(values));
  });

  it('stores an all-zero block as zeros', () => {
    const values = new Float32Array(130);
    values[129] = 0.3;
    const restored = dequantize(quantizeNF4(values));
    expect(Array.from(restored.subarray(0, 128)).every((v) => v === 0)).toBe(true);
    expect(restored[129]).toBeCloseTo(0.3, 6);
  });

  it.each([1, 2, 63, 64, 65, 1000, 128 * 512])('packs %d values into ceil(n/2) bytes plus 4 bytes of scale per block', (n) => {
    const q = quantizeNF4(weightLike(n), { blockSize: 64 });
    const blocks = Math.ceil(n / 64);
    expect(quantizedBytes(q)).toEqual({ codes: Math.ceil(n / 2), scales: 4 * blocks, total: Math.ceil(n / 2) + 4 * blocks });
    expect(bytesPerForm(n, 64).nf4).toBe(Math.ceil(n / 2) + 4 * blocks);
  });

  it('keeps the shape for dequantizing, and checks it', () => {
    expect(quantizeNF4(new Float32Array(12), { shape: [3, 4] }).shape).toEqual([3, 4]);
    expect(() => quantizeNF4(new Float32Array(12), { shape: [5, 4] })).toThrow(/shape \[5, 4\] holds 20 values, but 12 were given/);
  });
});

describe('quantizeInt8', () => {
  it.each([
    ['blocks of 64', 128 * 96, 64],
    ['a last block cut short', 1001, 64],
    ['blocks of 256', 4096, 256],
  ])('round-trips within absmax / 127 / 2 per block (%s)', (_, n, blockSize) => {
    const values = weightLike(n, n + 1);
    const q = quantizeInt8(values, { blockSize });
    expect(worstErrorOverBound(values, dequantize(q), blockSize, int8ErrorBound)).toBeLessThanOrEqual(1);
    expect(quantizedBytes(q)).toEqual({ codes: n, scales: 4 * Math.ceil(n / blockSize), total: n + 4 * Math.ceil(n / blockSize) });
    expect(Math.max(...Array.from(q.codes, Math.abs))).toBe(127); // each block's absmax is a code
  });

  it('is more than 10 times as precise as NF4 on weight-like values', () => {
    const values = weightLike(128 * 512);
    const nf4 = quantizationError(values, quantizeNF4(values));
    const int8 = quantizationError(values, quantizeInt8(values));
    expect(int8.relative).toBeLessThan(nf4.relative / 10);
    expect(nf4.relative).toBeLessThan(0.15);
    expect(int8.relative).toBeLessThan(0.02);
  });
});

describe('quantization', () => {
  it('reports the max, mean and relative error', () => {
    const values = Float32Array.from([1, -0.5, 0.25, 0.1]);
    const q = quantizeInt8(values, { blockSize: 4 });
    const restored = dequantize(q);
    const errors = Array.from(values, (v, i) => Math.abs(v - restored[i]!));
    const report = quantizationError(values, q);
    expect(report.maxAbs).toBeCloseTo(Math.max(...errors), 12);
    expect(report.meanAbs).toBeCloseTo(errors.reduce((a, b) => a + b) / 4, 12);
    const norm = (xs: number[]): number => Math.sqrt(xs.reduce((a, x) => a + x * x, 0));
    expect(report.relative).toBeCloseTo(norm(errors) / norm(Array.from(values)), 12);
  });

  it.each([
    ['a non-finite value', () => quantizeNF4(Float32Array.from([0.1, NaN])), /value 1 is NaN; only finite numbers can be quantized/],
    ['a block size of 0', () => quantizeInt8(new Float32Array(4), { blockSize: 0 }), /blockSize must be a positive integer .* got 0/],
  ])('rejects %s', (_, run, message) => {
    expect(run).toThrow(RangeError);
    expect(run).toThrow(message);
  });

  it('quantizes a 128 × 512 matrix in well under 100 ms, either way', () => {
    const values = weightLike(128 * 512);
    for (const quantize of [quantizeNF4, quantizeInt8]) {
      quantize(values); // warm up the JIT
      const started = performance.now();
      const q = quantize(values);
      dequantize(q);
      expect(performance.now() - started).toBeLessThan(100);
    }
  });
});
