import { countingModelLoss, ngramLoss, previousTokens, tokensAround } from '../../src/data';

describe('counting models', () => {
  const text = [0, 1, 0, 1, 0, 1, 0, 1];

  it('a bigram model of an alternating text is nearly sure, a unigram one is not', () => {
    const bigram = ngramLoss({ train: text, test: text, vocabSize: 2, order: 2, k: 1e-6 });
    const unigram = ngramLoss({ train: text, test: text, vocabSize: 2, order: 1, k: 1e-6 });
    expect(bigram.loss).toBeLessThan(1e-5);
    expect(unigram.loss).toBeCloseTo(Math.log(2), 5);
    expect(bigram.contextsSeen).toBe(2);
    expect(unigram.contextsSeen).toBe(1);
  });

  it('add-k smoothing: a token never seen after a context gets k / (count + kV)', () => {
    const result = ngramLoss({ train: [0, 1, 0, 1], test: [0, 0], vocabSize: 3, order: 2, k: 0.5 });
    // after 0: counts {1: 2}, total 2 → p(0 | 0) = 0.5 / (2 + 1.5)
    expect(result.loss).toBeCloseTo(-Math.log(0.5 / 3.5), 12);
    expect(result.positions).toBe(1);
  });

  it('a held-out context never seen in training is scored uniformly and counted', () => {
    const result = ngramLoss({ train: [0, 1, 0, 1], test: [2, 0], vocabSize: 4, order: 2 });
    expect(result.loss).toBeCloseTo(Math.log(4), 12);
    expect(result.unseenShare).toBe(1);
  });

  it('gives the loss of each held-out position, and which contexts were never seen', () => {
    const result = ngramLoss({ train: [0, 1, 0, 1], test: [0, 1, 2, 0], vocabSize: 3, order: 2, k: 0.5 });
    // position 0 has no context; after 0 the 1 is p = 2.5 / 3.5; after 1, 2 is p = 0.5 / 2.5 (1 was followed by 0 once); 2 never seen
    expect(Number.isNaN(result.positionLosses[0]!)).toBe(true);
    expect(result.positionLosses[1]).toBeCloseTo(-Math.log(2.5 / 3.5), 12);
    expect(result.positionLosses[2]).toBeCloseTo(-Math.log(0.5 / 2.5), 12);
    expect(result.positionLosses[3]).toBeCloseTo(Math.log(3), 12);
    expect(Array.from(result.unseenAt)).toEqual([0, 0, 0, 1]);
    expect(result.loss).toBeCloseTo((result.positionLosses[1]! + result.positionLosses[2]! + result.positionLosses[3]!) / 3, 12);
  });

  it('a masked-token context sees both sides', () => {
    expect(tokensAround(1, 1)([5, 6, 7], 1)).toBe('5|7');
    expect(tokensAround(1, 1)([5, 6, 7], 2)).toBeUndefined();
    expect(previousTokens(3)([5, 6, 7], 2)).toBe('5,6');
    // "a?a" is always b in this text: both sides tell, one side does not.
    const train = [0, 1, 0, 2, 2, 0, 1, 0, 2, 2];
    const masked = countingModelLoss({ train, test: train, vocabSize: 3, contextOf: tokensAround(1, 1), k: 1e-6 });
    const next = countingModelLoss({ train, test: train, vocabSize: 3, contextOf: previousTokens(2), k: 1e-6 });
    expect(masked.loss).toBeLessThan(next.loss);
  });

  it('rejects settings that cannot work, saying why', () => {
    expect(() => ngramLoss({ train: text, test: text, vocabSize: 2, order: 0 })).toThrow(/order must be a whole number ≥ 1/);
    expect(() => ngramLoss({ train: text, test: text, vocabSize: 2, order: 2, k: 0 })).toThrow(/infinite loss/);
    expect(() => ngramLoss({ train: text, test: [1], vocabSize: 2, order: 3 })).toThrow(/too short/);
  });
});
