import { type TrainCallbacks, combineCallbacks, formatDuration } from '../../src/train';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [59.6, '1m00s'],
    [61, '1m01s'],
    [3599, '59m59s'],
    [3600, '1h00m'],
    [7325, '2h02m'],
    [-5, '0s'],
    [Infinity, '?'],
    [NaN, '?'],
  ])('%p seconds → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('combineCallbacks', () => {
  it('calls every set of callbacks, in order, and skips the ones a set lacks', () => {
    const calls: string[] = [];
    const a: TrainCallbacks = { onEval: (info) => calls.push(`a eval ${info.iter}`), onCheckpoint: (info) => calls.push(`a saved ${info.dir}`) };
    const b: TrainCallbacks = { onEval: (info) => calls.push(`b eval ${info.iter}`) };
    const both = combineCallbacks(a, b);
    both.onEval?.({ iter: 3, trainLoss: 1, valLoss: 2 });
    both.onCheckpoint?.({ iter: 3, dir: 'out' });
    both.onStep?.({ iter: 3, iters: 4, loss: 1, lr: 1e-3, gradNorm: 1, tokensPerSecond: 1, stepMs: 1 });
    expect(calls).toEqual(['a eval 3', 'b eval 3', 'a saved out']);
  });
});
