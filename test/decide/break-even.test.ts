import { type BreakEvenOptions, CostModelError, breakEven, breakEvenQueries, totalTrainingSeconds } from '../../src/decide';

describe('breakEven', () => {
  // Numbers chosen to be exact in binary floating point, so the arithmetic can be checked by hand.
  const cases: [string, BreakEvenOptions, { saved: number; equal: number; queries: number }][] = [
    // 120 − 20 = 100 tokens saved × 0.5 s = 50 s per query; 600 s / 50 s = 12 → equal at 12, cheaper from 13.
    ['a whole-number crossing', { fewShotTokensPerQuery: 120, fineTunedTokensPerQuery: 20, secondsPerToken: 0.5, trainingSeconds: 600 }, { saved: 50, equal: 12, queries: 13 }],
    // 64 − 16 = 48 tokens × 0.25 s = 12 s per query; 150 s / 12 s = 12.5 → cheaper from 13.
    ['a fractional crossing', { fewShotTokensPerQuery: 64, fineTunedTokensPerQuery: 16, secondsPerToken: 0.25, trainingSeconds: 150 }, { saved: 12, equal: 12.5, queries: 13 }],
    // Training that took no time pays off at once.
    ['free training', { fewShotTokensPerQuery: 10, fineTunedTokensPerQuery: 2, secondsPerToken: 1, trainingSeconds: 0 }, { saved: 8, equal: 0, queries: 1 }],
    // Averages of tokens per query need not be whole: 10.5 − 2.5 = 8 tokens × 0.125 s = 1 s; 1000 s → 1000, cheaper from 1001.
    ['average token counts', { fewShotTokensPerQuery: 10.5, fineTunedTokensPerQuery: 2.5, secondsPerToken: 0.125, trainingSeconds: 1000 }, { saved: 1, equal: 1000, queries: 1001 }],
  ];

  it.each(cases)('%s', (_, options, expected) => {
    const result = breakEven(options);
    expect(result.breaksEven).toBe(true);
    expect(result.savedSecondsPerQuery).toBe(expected.saved);
    expect(result.equalCostQueries).toBe(expected.equal);
    expect(result.queries).toBe(expected.queries);
    // The definition: after `queries` queries fine-tuning has cost less in total, one query earlier it had not.
    const total = (n: number): [number, number] => [
      n * options.fewShotTokensPerQuery * options.secondsPerToken,
      options.trainingSeconds + n * options.fineTunedTokensPerQuery * options.secondsPerToken,
    ];
    const [promptedAt, tunedAt] = total(result.queries);
    expect(tunedAt).toBeLessThan(promptedAt);
    if (result.queries > 1) {
      const [promptedBefore, tunedBefore] = total(result.queries - 1);
      expect(tunedBefore).toBeGreaterThanOrEqual(promptedBefore);
    }
  });

  it('spells out the arithmetic with the numbers of the case', () => {
    const { explain } = breakEven(cases[0]![1]);
    expect(explain).toContain('Prompting reads 120 tokens per query; the fine-tuned model reads 20.');
    expect(explain).toContain('a query costs 60 s prompted and 10 s fine-tuned');
    expect(explain).toContain('Each query saves 100 tokens × 0.5 s = 50 s.');
    expect(explain).toContain('600 s ÷ 50 s = 12 queries, and fine-tuning is cheaper from query 13 on.');
  });

  it('adds the costs in money for a price per second, without moving the break-even point', () => {
    const withPrice = breakEven({ ...cases[0]![1], pricePerSecond: 0.25 });
    expect(withPrice.price).toEqual({ pricePerSecond: 0.25, trainingCost: 150, savedCostPerQuery: 12.5 });
    expect(withPrice.queries).toBe(breakEven(cases[0]![1]).queries);
    expect(withPrice.explain).toContain('training costs 150 and each query saves 12.5');
    expect(breakEven(cases[0]![1]).price).toBeUndefined();
  });

  it.each([
    ['the same prompt length', 20],
    ['a longer fine-tuned prompt', 30],
  ])('never breaks even with %s, and says why instead of dividing by zero', (_, fineTunedTokensPerQuery) => {
    const result = breakEven({ fewShotTokensPerQuery: 20, fineTunedTokensPerQuery, secondsPerToken: 0.5, trainingSeconds: 600 });
    expect(result.breaksEven).toBe(false);
    expect(result.queries).toBe(Infinity);
    expect(result.equalCostQueries).toBe(Infinity);
    expect(result.savedTokensPerQuery).toBe(20 - fineTunedTokensPerQuery);
    expect(result.explain).toContain(`The fine-tuned prompt (${fineTunedTokensPerQuery} tokens) is not shorter than the few-shot prompt (20 tokens)`);
    expect(result.explain).toContain('never breaks even');
  });

  const valid: BreakEvenOptions = cases[0]![1];
  it.each([
    ['negative tokens', { ...valid, fewShotTokensPerQuery: -1 }, /'fewShotTokensPerQuery' must be a finite number ≥ 0.*got -1/],
    ['infinite tokens', { ...valid, fineTunedTokensPerQuery: Infinity }, /'fineTunedTokensPerQuery'.*got Infinity/],
    ['NaN seconds per token', { ...valid, secondsPerToken: NaN }, /'secondsPerToken'.*got NaN/],
    ['zero seconds per token', { ...valid, secondsPerToken: 0 }, /'secondsPerToken' is 0.*measurement failed/],
    ['negative training time', { ...valid, trainingSeconds: -5 }, /'trainingSeconds'.*totalTrainingSeconds/],
    ['a negative price', { ...valid, pricePerSecond: -1 }, /'pricePerSecond'/],
    ['a misspelt option', { ...valid, trainingSecond: 3 }, /unknown option\(s\) trainingSecond/],
    ['text for a number', { ...valid, trainingSeconds: '600' }, /'trainingSeconds'.*got "600"/],
  ])('rejects %s', (_, options, message) => {
    expect(() => breakEven(options as BreakEvenOptions)).toThrow(CostModelError);
    expect(() => breakEven(options as BreakEvenOptions)).toThrow(message);
  });
});

describe('totalTrainingSeconds', () => {
  it('sums the step times of a training result, in seconds', () => {
    expect(totalTrainingSeconds({ steps: [{ stepMs: 250 }, { stepMs: 500 }, { stepMs: 1250 }] })).toBe(2);
  });

  it.each([
    ['no steps', { steps: [] }, /has no steps/],
    ['a step time that is not a number', { steps: [{ stepMs: 1 }, { stepMs: NaN }] }, /Step 1 .*stepMs = NaN/],
  ])('rejects %s', (_, result, message) => {
    expect(() => totalTrainingSeconds(result)).toThrow(message);
  });
});

describe('breakEvenQueries', () => {
  it('is the first whole query after which training once and cheaper queries have cost less', () => {
    // 600 s of training, 2 s saved a query: equal at 300 queries, cheaper from 301.
    expect(breakEvenQueries(600, 2.5, 0.5)).toBe(301);
    // 150 s / 12 s = 12.5: cheaper from 13.
    expect(breakEvenQueries(150, 13, 1)).toBe(13);
    expect(breakEvenQueries(0, 2, 1)).toBe(1);
  });
  it('never breaks even when a tuned query costs as much as a prompted one or more', () => {
    expect(breakEvenQueries(10, 1, 1)).toBe(Infinity);
    expect(breakEvenQueries(10, 1, 1.5)).toBe(Infinity);
  });
  it('agrees with breakEven on the same costs', () => {
    const options = { fewShotTokensPerQuery: 114.4, fineTunedTokensPerQuery: 35.4, secondsPerToken: 0.0004, trainingSeconds: 820 };
    expect(breakEvenQueries(options.trainingSeconds, 114.4 * 0.0004, 35.4 * 0.0004)).toBe(breakEven(options).queries);
  });
  it('refuses seconds that were not measured', () => {
    expect(() => breakEvenQueries(-1, 2, 1)).toThrow(CostModelError);
    expect(() => breakEvenQueries(1, NaN, 1)).toThrow(/'promptedSecondsPerQuery' must be a finite number of seconds ≥ 0, got NaN/);
  });
});
