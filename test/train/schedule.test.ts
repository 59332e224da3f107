import { learningRateAt, type LearningRateSchedule } from '../../src/train';

// Warm up over 10 iterations to 1e-3, then a cosine down to 1e-4 at iteration 110.
const schedule: LearningRateSchedule = { maxLr: 1e-3, minLr: 1e-4, warmupIters: 10, decayIters: 110 };
const { maxLr, minLr } = schedule;

describe('learningRateAt', () => {
  it.each([
    ['the first warmup step is not zero', 0, maxLr / 11],
    ['warmup ramps linearly', 4, (5 * maxLr) / 11],
    ['the last warmup step is just below the peak', 9, (10 * maxLr) / 11],
    ['the peak is at the end of warmup', 10, maxLr],
    ['a quarter of the way down the cosine', 35, minLr + ((maxLr - minLr) * (1 + Math.cos(Math.PI / 4))) / 2],
    ['the cosine midpoint is halfway between peak and floor', 60, (maxLr + minLr) / 2],
    ['the decay ends at the floor', 110, minLr],
    ['after the decay it stays at the floor', 111, minLr],
    ['long after the decay it stays at the floor', 10_000, minLr],
  ])('%s (iteration %i)', (_, iter, expected) => {
    expect(learningRateAt(iter, schedule)).toBeCloseTo(expected, 12);
  });

  it('rises during warmup and never rises after it', () => {
    const rates = Array.from({ length: 130 }, (_, iter) => learningRateAt(iter, schedule));
    for (let i = 1; i <= 10; i++) expect(rates[i]!).toBeGreaterThan(rates[i - 1]!);
    for (let i = 11; i < rates.length; i++) expect(rates[i]!).toBeLessThanOrEqual(rates[i - 1]!);
  });

  it('starts at the peak when there is no warmup', () => {
    expect(learningRateAt(0, { ...schedule, warmupIters: 0 })).toBeCloseTo(maxLr, 12);
  });
});
