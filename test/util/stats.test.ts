/** The curve and seed statistics lessons read their experiments with (lesson 07's fallbacks). */
import { firstReaching, median, seedMargin } from '../../src/util';

describe('firstReaching', () => {
  const curve = [
    { x: 0, score: 0 },
    { x: 200, score: 0.4 },
    { x: 400, score: 0.9 },
    { x: 600, score: 0.85 },
  ];
  it('is the first budget whose score reaches the target, even if a later one dips', () => {
    expect(firstReaching(curve, 0.9)).toBe(400);
    expect(firstReaching(curve, 0.4)).toBe(200);
    expect(firstReaching(curve, 0)).toBe(0);
  });
  it('is null when no measured point gets there, or there are none', () => {
    expect(firstReaching(curve, 0.95)).toBeNull();
    expect(firstReaching([], 0.5)).toBeNull();
  });
  it('refuses points out of order', () => {
    expect(() => firstReaching([{ x: 2, score: 1 }, { x: 1, score: 0 }], 0.5)).toThrow(/increasing x, but x = 1 comes after x = 2/);
  });
});

describe('seedMargin', () => {
  it('compares the difference of means with the widest spread of either side', () => {
    const result = seedMargin([0.7, 0.74, 0.72], [0.3, 0.4, 0.35]);
    expect(result.margin).toBeCloseTo(0.37, 12);
    expect(result.spread).toBeCloseTo(0.1, 12);
    expect(result.clear).toBe(true);
  });
  it('is not clear when the seeds move a side more than the gap', () => {
    expect(seedMargin([0.5, 0.9], [0.6, 0.62]).clear).toBe(false);
    expect(seedMargin([0.5], [0.5]).clear).toBe(false);
  });
  it('needs a run on each side', () => {
    expect(() => seedMargin([], [1])).toThrow(RangeError);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
