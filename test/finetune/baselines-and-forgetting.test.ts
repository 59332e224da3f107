/**
 * The toolkit's references for lesson 08: they pass the lesson's public exercise cases;
 * perplexityFromLosses over the per-token losses of one window gives what `perplexity` gives
 * for that window (exp of the model's mean loss, a parity check), and the constant-label
 * baseline agrees with classificationReport scoring a classifier that always says one label.
 */
import { check } from '../../src/grading';
import { bestStepWithinForgetting, classificationReport, constantLabelAccuracy, perplexity, perplexityFromLosses } from '../../src/finetune';
import { tokenLosses } from '../../src/train';
import { tinyModel, tinySetup } from './fixture';

describe('lesson 08 references', () => {
  it.each([
    ['8.1', { constantLabelAccuracy }],
    ['8.2', { perplexityFromLosses }],
    ['8.3', { bestStepWithinForgetting }],
  ] as const)('pass every public case of Exercise %s', async (id, exports) => {
    const result = await check(id, exports, { show: false });
    expect(result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`)).toEqual([]);
  });

  it("perplexityFromLosses of one window's token losses is perplexity() of that window", () => {
    const setup = tinySetup();
    const model = tinyModel(setup);
    const window = setup.val.subarray(0, setup.config.blockSize + 1); // one window: every token after the first predicted once
    const losses = Array.from(tokenLosses(model, window)).slice(1); // losses[0] is NaN: the first token has no context
    expect(losses).toHaveLength(setup.config.blockSize);
    expect(perplexityFromLosses(losses)).toBeCloseTo(perplexity(model, window), 3);
    model.dispose();
  });

  it("the constant-label baseline is classificationReport's accuracy for a classifier that always answers that label", () => {
    const labels = ['negative', 'neutral', 'positive'];
    const train = ['neutral', 'positive', 'neutral', 'negative'];
    const test = ['neutral', 'negative', 'neutral', 'positive', 'positive'];
    const baseline = constantLabelAccuracy(train, test);
    expect(baseline.label).toBe('neutral');
    expect(baseline.accuracy).toBeCloseTo(classificationReport(labels, test, test.map(() => 'neutral')).accuracy, 12);
  });

  it('says what was wrong', () => {
    expect(() => perplexityFromLosses([0.3, -1])).toThrow(/loss 1 is -1/);
    expect(() => bestStepWithinForgetting([{ step: 0, domain: 9, general: 3 }], 0.5)).toThrow(/factor must be ≥ 1/);
    expect(() => constantLabelAccuracy([], ['a'])).toThrow(/no training labels/);
    expect(perplexityFromLosses([Infinity, 0])).toBe(Infinity);
  });
});
