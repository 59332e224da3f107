import {
  Batch,
  CorpusTooShortError,
  evaluationBatches,
  sampleBatch,
  sequentialBatches,
} from '../../src/data';
import { SeededRandom } from '../../src/util/random';

/** Distinct values, so that a window's position in the corpus is visible in its values. */
const tokens = Int32Array.from({ length: 100 }, (_, i) => (i * 7) % 101);

/** Every row is tokens[start .. start+blockSize) and its targets are one further on. */
function expectWindowsOf(source: ArrayLike<number>, batch: Batch): void {
  const { batchSize, blockSize, inputs, targets, starts } = batch;
  expect(inputs).toHaveLength(batchSize * blockSize);
  expect(targets).toHaveLength(batchSize * blockSize);
  expect(starts).toHaveLength(batchSize);
  for (let b = 0; b < batchSize; b++) {
    const start = starts[b]!;
    expect(start + blockSize + 1).toBeLessThanOrEqual(source.length);
    for (let t = 0; t < blockSize; t++) {
      expect(inputs[b * blockSize + t]).toBe(source[start + t]);
      expect(targets[b * blockSize + t]).toBe(source[start + t + 1]);
    }
  }
}

describe('sampleBatch', () => {
  it.each([
    [4, 8],
    [1, 1],
    [3, 99], // the longest window that fits: only one start position
  ])('batchSize %i, blockSize %i: windows of the tokens, targets shifted by one', (batchSize, blockSize) => {
    const batch = sampleBatch(tokens, { batchSize, blockSize, rng: new SeededRandom(1) });
    expect(batch.inputs).toBeInstanceOf(Int32Array);
    expect([batch.batchSize, batch.blockSize]).toEqual([batchSize, blockSize]);
    expectWindowsOf(tokens, batch);
  });

  it('gives the same batch for the same seed and another for another seed', () => {
    const draw = (seed: number) =>
      sampleBatch(tokens, { batchSize: 8, blockSize: 4, rng: new SeededRandom(seed) });
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7).starts).not.toEqual(draw(8).starts);
  });

  it('reaches every start position, the last one included', () => {
    const rng = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      for (const start of sampleBatch(tokens, { batchSize: 8, blockSize: 90, rng }).starts) seen.add(start);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('says how long the tokens are and how many are needed when too short', () => {
    const rng = new SeededRandom(0);
    const call = () => sampleBatch(tokens.subarray(0, 8), { batchSize: 2, blockSize: 8, rng });
    expect(call).toThrow(CorpusTooShortError);
    expect(call).toThrow(
      'has 8 tokens, but a window of blockSize 8 plus the token after it needs at least 9',
    );
  });

  it.each([
    [0, 8, /batchSize must be a positive integer, got 0/],
    [2, 1.5, /blockSize must be a positive integer, got 1.5/],
  ])('rejects batchSize %s, blockSize %s', (batchSize, blockSize, message) => {
    expect(() => sampleBatch(tokens, { batchSize, blockSize, rng: new SeededRandom(0) })).toThrow(message);
  });
});

describe('evaluationBatches', () => {
  it('returns the same batches on every call with the same seed', () => {
    const options = { batchSize: 4, blockSize: 6, count: 3, seed: 5 };
    const first = evaluationBatches(tokens, options);
    expect(first).toHaveLength(3);
    for (const batch of first) expectWindowsOf(tokens, batch);
    expect(evaluationBatches(tokens, options)).toEqual(first);
    expect(evaluationBatches(tokens, { ...options, seed: 6 })).not.toEqual(first);
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => evaluationBatches(tokens, { batchSize: 1, blockSize: 1, count: 0 })).toThrow(
      /count must be a positive integer/,
    );
  });
});

describe('sequentialBatches', () => {
  it('walks the tokens in order in windows that do not overlap, the last batch smaller', () => {
    // 100 tokens, windows of 9 need 10: starts 0, 9, …, 90 → 11 windows in batches of 4, 4, 3
    const batches = [...sequentialBatches(tokens, { batchSize: 4, blockSize: 9 })];
    expect(batches.map((batch) => batch.batchSize)).toEqual([4, 4, 3]);
    expect(batches.flatMap((batch) => batch.starts)).toEqual([0, 9, 18, 27, 36, 45, 54, 63, 72, 81, 90]);
    for (const batch of batches) expectWindowsOf(tokens, batch);
  });
});
