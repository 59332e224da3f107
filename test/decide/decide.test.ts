import {
  DECISION_RULES,
  DECISION_THRESHOLDS,
  type Decision,
  type DecisionRuleId,
  type FineTuningMethod,
  type Situation,
  SituationError,
  decide,
  decidingRule,
  formatDecision,
  validateSituation,
} from '../../src/decide';
import { RULE_APPLIES } from '../../src/decide/rules';
import { RecordingSink, showTable, withDisplaySink } from '../../src/notebook';

/** A repeated task with no reason to fine-tune and enough labelled examples: each case changes what it tests. */
const base: Situation = { repeated: true, structuredOutput: false, domainKnowledge: false, costSensitive: false, labelledExamples: 1000 };

const ruleIds = (decision: Decision): DecisionRuleId[] => decision.reasons.map((r) => r.rule);
const because = (rule: DecisionRuleId): string => DECISION_RULES.find((r) => r.rule === rule)!.because;

describe('DECISION_RULES', () => {
  it('numbers each stage 1, 2, 3… with one check per rule', () => {
    for (const stage of ['recommendation', 'method'] as const) {
      const orders = DECISION_RULES.filter((r) => r.stage === stage).map((r) => r.order);
      expect(orders).toEqual(orders.map((_, i) => i + 1));
    }
    expect(Object.keys(RULE_APPLIES).sort()).toEqual(DECISION_RULES.map((r) => r.rule).sort());
  });

  it('gives every rule a reason, and method rules a method', () => {
    for (const rule of DECISION_RULES) {
      expect(rule.because.length).toBeGreaterThan(40);
      expect(rule.when.length).toBeGreaterThan(0);
      if (rule.stage === 'method') expect(rule.method).toBe(rule.rule);
      else expect(rule.method).toBeUndefined();
      if (rule.stage === 'recommendation' && rule.recommendation === 'fine-tuning') expect(rule.ifPromptingInstead).toBeDefined();
    }
  });

  it('shows as a notebook table, one row per rule', () => {
    const sink = new RecordingSink();
    withDisplaySink(sink, () => showTable(DECISION_RULES, { columns: ['stage', 'order', 'rule', 'when', 'recommendation', 'method'] }));
    const text = sink.last()['text/plain'] as string;
    expect(text.split('\n')).toHaveLength(2 + DECISION_RULES.length);
    expect(text).toContain('repeated-structured-output');
  });
});

describe('decide: each rule fires in its situation, with its reason', () => {
  const cases: [string, 'prompting' | 'fine-tuning', DecisionRuleId, Situation][] = [
    ['an ad-hoc task', 'prompting', 'ad-hoc-task', { ...base, repeated: false, adHoc: true }],
    ['a single task', 'prompting', 'single-task', { ...base, repeated: false }],
    ['too few labelled examples', 'prompting', 'too-few-examples', { ...base, structuredOutput: true, labelledExamples: 20 }],
    ['a repeated structured task', 'fine-tuning', 'repeated-structured-output', { ...base, structuredOutput: true }],
    ['domain knowledge', 'fine-tuning', 'domain-knowledge', { ...base, domainKnowledge: true }],
    ['a cost-sensitive deployment at volume', 'fine-tuning', 'cost-at-volume', { ...base, costSensitive: true }],
    ['a latency-sensitive deployment at volume', 'fine-tuning', 'latency-at-volume', { ...base, latencySensitive: true }],
    ['a repeated task with no reason to fine-tune', 'prompting', 'prompting-by-default', base],
  ];
  it.each(cases)('%s → %s (%s)', (_, recommendation, rule, situation) => {
    const decision = decide(situation);
    expect(decision.recommendation).toBe(recommendation);
    expect(decision.reasons[0]).toEqual({ rule, because: because(rule) });
    if (recommendation === 'prompting') {
      expect(decision.method).toBeUndefined();
      expect(decision.reasons).toHaveLength(1);
    }
  });

  it('lists every rule that points to fine-tuning, in table order, then the method', () => {
    const decision = decide({ ...base, structuredOutput: true, costSensitive: true, latencySensitive: true });
    expect(ruleIds(decision)).toEqual(['repeated-structured-output', 'cost-at-volume', 'latency-at-volume', 'lora']);
  });

  it('counts exactly the threshold as enough examples', () => {
    const { fewLabelledExamples } = DECISION_THRESHOLDS;
    expect(decide({ ...base, structuredOutput: true, labelledExamples: fewLabelledExamples - 1 }).recommendation).toBe('prompting');
    expect(decide({ ...base, structuredOutput: true, labelledExamples: fewLabelledExamples }).recommendation).toBe('fine-tuning');
  });
});

describe('decide: which fine-tuning', () => {
  const plenty = DECISION_THRESHOLDS.plentyOfLabelledExamples;
  const repeatedStructured: Situation = { ...base, structuredOutput: true };
  const cases: [string, FineTuningMethod, Situation][] = [
    ['by default', 'lora', repeatedStructured],
    ['cost-sensitive', 'lora', { ...repeatedStructured, costSensitive: true }],
    ['memory-limited', 'qlora', { ...repeatedStructured, memoryLimited: true }],
    ['plenty of data and compute', 'full-fine-tuning', { ...repeatedStructured, plentyOfCompute: true, labelledExamples: plenty }],
    ['compute but not plenty of data', 'lora', { ...repeatedStructured, plentyOfCompute: true, labelledExamples: plenty - 1 }],
    ['plenty of data but not compute', 'lora', { ...repeatedStructured, labelledExamples: plenty * 10 }],
    ['labelled classification', 'classification-head', { ...repeatedStructured, classification: true }],
    ['classification beats full fine-tuning', 'classification-head', { ...repeatedStructured, classification: true, plentyOfCompute: true, labelledExamples: plenty }],
    ['classification under tight memory', 'classification-head', { ...repeatedStructured, classification: true, memoryLimited: true }],
    ['a domain', 'continued-pretraining', { ...base, domainKnowledge: true }],
    ['a domain beats classification', 'continued-pretraining', { ...repeatedStructured, domainKnowledge: true, classification: true }],
    ['a domain under tight memory', 'continued-pretraining', { ...base, domainKnowledge: true, memoryLimited: true }],
  ];
  it.each(cases)('%s → %s', (_, method, situation) => {
    const decision = decide(situation);
    expect(decision.recommendation).toBe('fine-tuning');
    expect(decision.method).toBe(method);
    expect(decision.reasons[decision.reasons.length - 1]).toEqual({ rule: method, because: because(method) });
  });
});

describe('decide: precedence', () => {
  const cases: [string, Situation, DecisionRuleId, DecisionRuleId[]][] = [
    ['ad-hoc beats cost-sensitive', { ...base, repeated: false, adHoc: true, costSensitive: true }, 'ad-hoc-task', ['cost-at-volume']],
    [
      'ad-hoc beats everything that points to fine-tuning',
      { ...base, repeated: false, adHoc: true, structuredOutput: true, domainKnowledge: true, costSensitive: true, latencySensitive: true },
      'ad-hoc-task',
      ['repeated-structured-output', 'domain-knowledge', 'cost-at-volume', 'latency-at-volume'],
    ],
    ['a single task beats structured output', { ...base, repeated: false, structuredOutput: true }, 'single-task', ['repeated-structured-output']],
    ['too few examples beat domain knowledge', { ...base, domainKnowledge: true, labelledExamples: 5 }, 'too-few-examples', ['domain-knowledge']],
    ['too few examples beat cost at volume', { ...base, costSensitive: true, labelledExamples: 0 }, 'too-few-examples', ['cost-at-volume']],
  ];
  it.each(cases)('%s', (_, situation, decisive, overruled) => {
    const decision = decide(situation);
    expect(decision.recommendation).toBe('prompting');
    expect(ruleIds(decision)[0]).toBe(decisive);
    // Each overruled rule becomes a caveat saying so, with what to do about its concern instead.
    for (const rule of overruled) {
      const caveat = decision.caveats.find((c) => c.includes(`(${rule})`));
      expect(caveat).toContain(`(${decisive}) is checked first`);
      expect(caveat).toContain(DECISION_RULES.find((r) => r.rule === rule)!.ifPromptingInstead);
    }
  });

  it('overrules nothing when fine-tuning wins: the default is a fallback, not a reason against', () => {
    const decision = decide({ ...base, structuredOutput: true });
    expect(decision.caveats.some((c) => c.includes('checked first'))).toBe(false);
  });

  it('lists an ad-hoc task with too few examples under both reasons', () => {
    expect(ruleIds(decide({ ...base, repeated: false, adHoc: true, labelledExamples: 3 }))).toEqual(['ad-hoc-task', 'too-few-examples']);
  });
});

describe('decide: caveats', () => {
  const has = (situation: Situation, text: string): boolean => decide(situation).caveats.some((c) => c.includes(text));

  it.each([
    ['private data, fine-tuned', { ...base, structuredOutput: true, dataPrivate: true }, 'puts it into the weights'],
    ['private data, prompted', { ...base, dataPrivate: true }, 'a prompt sends it with every query'],
    ['unknown number of examples', { repeated: true, structuredOutput: true, domainKnowledge: false, costSensitive: false }, 'did not say how many labelled examples'],
    ['domain with too few labels', { ...base, domainKnowledge: true, labelledExamples: 10 }, 'does not wait for labels'],
    ['compute without enough data', { ...base, structuredOutput: true, plentyOfCompute: true }, 'an adapter does as well'],
    ['domain and classification', { ...base, domainKnowledge: true, classification: true }, 'train a classification head'],
    ['domain under tight memory', { ...base, domainKnowledge: true, memoryLimited: true }, 'LoRA or QLoRA adapters'],
    ['any fine-tuning', { ...base, costSensitive: true }, 'Keep the few-shot prompt as the baseline'],
  ] as [string, Situation, string][])('%s', (_, situation, text) => {
    expect(has(situation, text)).toBe(true);
  });

  it('says nothing about a missing example count for continued pretraining, which needs no labels', () => {
    const unknownCount: Situation = { repeated: true, structuredOutput: false, domainKnowledge: true, costSensitive: false };
    expect(decide(unknownCount).method).toBe('continued-pretraining');
    expect(has(unknownCount, 'did not say how many')).toBe(false);
  });

  it('is pure: the same situation gives the same decision', () => {
    const situation: Situation = { ...base, structuredOutput: true, dataPrivate: true };
    expect(decide(situation)).toEqual(decide({ ...situation }));
  });
});

describe('validateSituation', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'repeated', /must be an object/],
    ['an unknown field', { ...base, repeat: true }, /unknown field\(s\) 'repeat'.*Known fields: repeated/],
    ['a missing required flag', { repeated: true, structuredOutput: false, domainKnowledge: false }, /'costSensitive' must be true or false, got undefined/],
    ['a flag that is not a boolean', { ...base, repeated: 'yes' }, /'repeated' must be true or false, got "yes"/],
    ['an optional flag that is not a boolean', { ...base, adHoc: 1 }, /'adHoc' must be true or false \(or left out\), got 1/],
    ['a negative example count', { ...base, labelledExamples: -1 }, /'labelledExamples' must be a whole number ≥ 0.*got -1/],
    ['a fractional example count', { ...base, labelledExamples: 2.5 }, /got 2\.5/],
    ['NaN examples', { ...base, labelledExamples: NaN }, /got NaN/],
    ['adHoc and repeated', { ...base, adHoc: true }, /adHoc and repeated are both true.*a one-off/],
    ['memoryLimited and plentyOfCompute', { ...base, memoryLimited: true, plentyOfCompute: true }, /memoryLimited and plentyOfCompute are both true/],
  ];
  it.each(cases)('rejects %s with a reason', (_, situation, message) => {
    expect(() => validateSituation(situation)).toThrow(SituationError);
    expect(() => validateSituation(situation)).toThrow(message);
    expect(() => decide(situation as Situation)).toThrow(message);
  });

  it('fills in the optional flags as false and keeps an unknown example count unknown', () => {
    const resolved = validateSituation({ repeated: true, structuredOutput: false, domainKnowledge: false, costSensitive: false });
    expect(resolved).toEqual({
      repeated: true,
      structuredOutput: false,
      domainKnowledge: false,
      costSensitive: false,
      adHoc: false,
      latencySensitive: false,
      dataPrivate: false,
      classification: false,
      memoryLimited: false,
      plentyOfCompute: false,
    });
  });
});

describe('formatDecision', () => {
  it('writes the recommendation, the numbered reasons and the caveats', () => {
    const decision = decide({ ...base, structuredOutput: true, costSensitive: true, dataPrivate: true });
    const text = formatDecision(decision);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Recommendation: fine-tuning, with LoRA');
    expect(lines[1]).toBe('Why:');
    expect(text).toContain('  1. repeated-structured-output: A repeated task');
    expect(text).toContain('  3. lora: LoRA freezes');
    expect(text).toContain('Caveats:\n  - ');
    expect(lines.every((line) => line.length <= 100)).toBe(true);
    // Wrapping only breaks lines: the words are all there.
    const words = (s: string): string => s.replace(/\s+/g, ' ');
    for (const reason of decision.reasons) expect(words(text)).toContain(words(reason.because));
    for (const caveat of decision.caveats) expect(words(text)).toContain(words(caveat));
  });

  it('names prompting without a method, and leaves out an empty caveat list', () => {
    const text = formatDecision(decide(base));
    expect(text.split('\n')[0]).toBe('Recommendation: prompting');
    expect(text).not.toContain('Caveats:');
  });
});

it('keeps the table read-only, so a notebook cannot change what decide reads', () => {
  expect(Object.isFrozen(DECISION_RULES)).toBe(true);
  expect(() => {
    (DECISION_RULES[0] as { because: string }).because = 'changed';
  }).toThrow(TypeError);
});

describe('decidingRule', () => {
  const base = { repeated: true, structuredOutput: false, domainKnowledge: false, costSensitive: false };
  it('names the first rule of the first stage that applies, and its recommendation', () => {
    expect(decidingRule({ ...base, repeated: false, adHoc: true })).toEqual({ recommendation: 'prompting', rule: 'ad-hoc-task' });
    expect(decidingRule({ ...base, repeated: false })).toEqual({ recommendation: 'prompting', rule: 'single-task' });
    expect(decidingRule({ ...base, structuredOutput: true, labelledExamples: 40 })).toEqual({ recommendation: 'prompting', rule: 'too-few-examples' });
    expect(decidingRule({ ...base, structuredOutput: true, costSensitive: true })).toEqual({ recommendation: 'fine-tuning', rule: 'repeated-structured-output' });
    expect(decidingRule({ ...base, latencySensitive: true })).toEqual({ recommendation: 'fine-tuning', rule: 'latency-at-volume' });
    expect(decidingRule(base)).toEqual({ recommendation: 'prompting', rule: 'prompting-by-default' });
  });
  it('agrees with decide on every combination of the flags', () => {
    const flags = [false, true];
    for (const repeated of flags)
      for (const structuredOutput of flags)
        for (const domainKnowledge of flags)
          for (const costSensitive of flags)
            for (const latencySensitive of flags)
              for (const labelledExamples of [undefined, 50, 5000]) {
                const situation = { repeated, structuredOutput, domainKnowledge, costSensitive, latencySensitive, ...(labelledExamples === undefined ? {} : { labelledExamples }) };
                const decision = decide(situation);
                expect(decidingRule(situation).recommendation).toBe(decision.recommendation);
                expect(decidingRule(situation).rule).toBe(decision.reasons[0]!.rule);
              }
  });
  it('refuses a situation decide refuses', () => {
    expect(() => decidingRule({ ...base, adHoc: true })).toThrow(SituationError);
  });
});
