/**
 * `decide`: reads a situation through the decision table and says whether to prompt or to
 * fine-tune, which kind of fine-tuning, and why.
 *
 *   decide({ repeated: true, structuredOutput: true, domainKnowledge: false, costSensitive: true, labelledExamples: 2000 })
 *   → fine-tuning with LoRA, because of rules repeated-structured-output and cost-at-volume
 */
import {
  DECISION_THRESHOLDS,
  type DecisionRule,
  type DecisionRuleId,
  type FineTuningMethod,
  type Recommendation,
  RULE_APPLIES,
  rulesOfStage,
} from './rules';
import { type ResolvedSituation, type Situation, validateSituation } from './situation';

export interface DecisionReason {
  /** The rule of `DECISION_RULES` that gave this reason. */
  readonly rule: DecisionRuleId;
  readonly because: string;
}

export interface Decision {
  readonly recommendation: Recommendation;
  /** Which fine-tuning, when the recommendation is fine-tuning. */
  readonly method?: FineTuningMethod;
  /**
   * The rules that decided, in table order: every recommendation rule that points the way
   * the decision went, then the method rule (for fine-tuning).
   */
  readonly reasons: readonly DecisionReason[];
  /** What to watch out for: rules that were overruled, private data, missing answers. */
  readonly caveats: readonly string[];
}

/**
 * The decision for a situation. Pure: the same situation always gives the same decision.
 * Throws a `SituationError` for an unknown field, a wrong type, or contradicting answers.
 */
export function decide(situation: Situation): Decision {
  const s = validateSituation(situation);
  const matched = rulesOfStage('recommendation').filter((r) => RULE_APPLIES[r.rule](s));
  // prompting-by-default always applies, so something always matches.
  const decisive = matched[0]!;
  const recommendation = decisive.recommendation;
  // Every rule that points the same way is a reason; the default is a reason only when it decided alone.
  const agreeing = matched.filter((r) => r.recommendation === recommendation && (r.rule !== 'prompting-by-default' || r === decisive));
  // Only fine-tuning rules can be overruled (every prompting rule but the default comes first),
  // and the default never: it is a fallback, not a reason.
  const overruled = matched.filter((r) => r.recommendation !== recommendation && r.rule !== 'prompting-by-default');
  const reasons: DecisionReason[] = agreeing.map(reasonOf);
  const caveats: string[] = overruled.map((r) => overruledCaveat(r, decisive));

  if (recommendation === 'prompting') {
    caveats.push(...promptingCaveats(s));
    return { recommendation, reasons, caveats };
  }
  const methodRule = rulesOfStage('method').find((r) => RULE_APPLIES[r.rule](s))!; // lora always applies
  const method = methodRule.method!;
  reasons.push(reasonOf(methodRule));
  caveats.push(...fineTuningCaveats(s, method));
  return { recommendation, method, reasons, caveats };
}

/**
 * Prompting or fine-tuning, and the rule of the table's first stage that decided it: the
 * first of rules 1–8 that applies (`DECISION_RULES`, stage 'recommendation').
 */
export function decidingRule(situation: Situation): { readonly recommendation: Recommendation; readonly rule: DecisionRuleId } {
  const s = validateSituation(situation);
  const decisive = rulesOfStage('recommendation').find((r) => RULE_APPLIES[r.rule](s))!; // prompting-by-default always applies
  return { recommendation: decisive.recommendation, rule: decisive.rule };
}

function reasonOf(rule: DecisionRule): DecisionReason {
  return { rule: rule.rule, because: rule.because };
}

/** A fine-tuning rule applied but an earlier prompting rule decided: say so, and what to do about its concern. */
function overruledCaveat(rule: DecisionRule, decisive: DecisionRule): string {
  return (
    `Rule ${rule.order} (${rule.rule}) would point to fine-tuning, but rule ${decisive.order} (${decisive.rule}) is checked first. ` +
    (rule.ifPromptingInstead ?? '')
  ).trimEnd();
}

function promptingCaveats(s: ResolvedSituation): string[] {
  const caveats: string[] = [];
  if (s.dataPrivate) {
    caveats.push(
      'The data is private, and a prompt sends it with every query: run the model where the data may go ' +
        '(on your own machine), or leave private fields out of the examples.',
    );
  }
  if (s.repeated && s.domainKnowledge && s.labelledExamples !== undefined && s.labelledExamples < DECISION_THRESHOLDS.fewLabelledExamples) {
    caveats.push(
      'Continued pretraining learns from unlabelled domain text, so it does not wait for labels: if few-shot ' +
        'prompting shows the model lacks the domain, it is the next step.',
    );
  }
  return caveats;
}

function fineTuningCaveats(s: ResolvedSituation, method: FineTuningMethod): string[] {
  const caveats: string[] = [];
  const { fewLabelledExamples, plentyOfLabelledExamples } = DECISION_THRESHOLDS;
  if (s.labelledExamples === undefined && method !== 'continued-pretraining') {
    caveats.push(
      `You did not say how many labelled examples you have (labelledExamples). Supervised fine-tuning needs at ` +
        `least ${fewLabelledExamples}; with fewer, start with few-shot prompting.`,
    );
  }
  if (method === 'continued-pretraining') {
    if (s.classification) caveats.push('After continued pretraining, train a classification head on the labelled examples for the labels.');
    if (s.memoryLimited) caveats.push('Memory is tight: continued pretraining can train LoRA or QLoRA adapters instead of every weight.');
  }
  if (s.plentyOfCompute && method === 'lora') {
    caveats.push(
      `You have the compute for full fine-tuning, but with fewer than ${plentyOfLabelledExamples.toLocaleString('en-US')} ` +
        'labelled examples an adapter does as well and forgets less of what the base model knew.',
    );
  }
  if (s.dataPrivate) {
    caveats.push(
      'The data is private, and fine-tuning puts it into the weights: a model can repeat training text word for ' +
        'word. Keep the trained weights (or adapters) as private as the data.',
    );
  }
  caveats.push(
    'Keep the few-shot prompt as the baseline: fine-tuning is worth it only if the tuned model beats that prompt ' +
      'on held-out examples.',
  );
  return caveats;
}
