/**
 * The decision table: when to prompt a model and when to fine-tune it, and which kind of
 * fine-tuning.
 *
 * Two stages, each read top to bottom; the first rule that applies decides.
 *
 *   recommendation  1 ad-hoc-task                  → prompting
 *                   2 single-task                  → prompting
 *                   3 too-few-examples             → prompting (few-shot) first
 *                   4 repeated-structured-output   → fine-tuning
 *                   5 domain-knowledge             → fine-tuning
 *                   6 cost-at-volume               → fine-tuning
 *                   7 latency-at-volume            → fine-tuning
 *                   8 prompting-by-default         → prompting
 *   method          1 continued-pretraining, 2 classification-head, 3 full-fine-tuning,
 *   (fine-tuning)   4 qlora, 5 lora
 *
 * Rules 4–7 only decide once rules 1–3 did not: a one-off task, or one with too few
 * examples, is prompted however cost-sensitive it is. The rules are data, so a notebook can
 * show them as a table (`showTable(DECISION_RULES)`); what each one checks lives beside it
 * in `RULE_APPLIES`.
 */
import type { ResolvedSituation } from './situation';

export type Recommendation = 'prompting' | 'fine-tuning';

/** The kinds of fine-tuning the toolkit teaches. */
export type FineTuningMethod = 'continued-pretraining' | 'classification-head' | 'full-fine-tuning' | 'qlora' | 'lora';

export type RecommendationRuleId =
  | 'ad-hoc-task'
  | 'single-task'
  | 'too-few-examples'
  | 'repeated-structured-output'
  | 'domain-knowledge'
  | 'cost-at-volume'
  | 'latency-at-volume'
  | 'prompting-by-default';

/** A method rule is named after the method it picks. */
export type DecisionRuleId = RecommendationRuleId | FineTuningMethod;

/**
 * One row of the decision table. (A type, not an interface, so that rows pass as the plain
 * records `showTable` takes.)
 */
export type DecisionRule = {
  /** Which stage the rule belongs to: whether to fine-tune, or how. */
  readonly stage: 'recommendation' | 'method';
  /** Its place in its stage: lower numbers are checked first, and the first that applies decides. */
  readonly order: number;
  readonly rule: DecisionRuleId;
  /** What must be true of the situation, in words. */
  readonly when: string;
  readonly recommendation: Recommendation;
  /** For method rules: the kind of fine-tuning. */
  readonly method?: FineTuningMethod;
  /** Why: the reason a decision quotes when this rule decides it. */
  readonly because: string;
  /**
   * For fine-tuning rules: what to do about the same concern when an earlier rule chose
   * prompting anyway. `decide` adds it to the caveats.
   */
  readonly ifPromptingInstead?: string;
};

/** Rules of thumb for how many labelled examples are few and how many are plenty. */
export const DECISION_THRESHOLDS = {
  /**
   * Below this many labelled examples, fine-tuning learns little and overfits easily; a
   * handful of them in a few-shot prompt does about as well.
   */
  fewLabelledExamples: 100,
  /** From this many, full fine-tuning has enough data to change every weight without overfitting. */
  plentyOfLabelledExamples: 10_000,
} as const;

const { fewLabelledExamples: FEW, plentyOfLabelledExamples: PLENTY } = DECISION_THRESHOLDS;

// Frozen: `decide` reads this table, so a notebook that edits a row by accident gets an error instead.
export const DECISION_RULES: readonly DecisionRule[] = Object.freeze(([
  // ---- Stage 1: prompting or fine-tuning? ----
  {
    stage: 'recommendation',
    order: 1,
    rule: 'ad-hoc-task',
    when: 'adHoc: a one-off or exploratory task',
    recommendation: 'prompting',
    because:
      'A one-off or exploratory task is cheapest to prompt: training costs time before the first answer, ' +
      'no stream of queries pays that time back, and a prompt changes as quickly as the task does.',
  },
  {
    stage: 'recommendation',
    order: 2,
    rule: 'single-task',
    when: 'not repeated (and not ad hoc)',
    recommendation: 'prompting',
    because:
      'The task does not repeat, so there are no later queries to spread the cost of training over: ' +
      'write a good prompt instead.',
  },
  {
    stage: 'recommendation',
    order: 3,
    rule: 'too-few-examples',
    when: `labelledExamples < ${FEW}`,
    recommendation: 'prompting',
    because:
      `With fewer than ${FEW} labelled examples, fine-tuning learns little and overfits easily. ` +
      'Put a handful of them into the prompt (few-shot prompting) first, and collect more while it runs.',
  },
  {
    stage: 'recommendation',
    order: 4,
    rule: 'repeated-structured-output',
    when: 'repeated, with structuredOutput',
    recommendation: 'fine-tuning',
    because:
      'A repeated task with a fixed output format is what fine-tuning is for: the model learns the format ' +
      'from examples, breaks it less often, and no longer needs instructions and examples in every prompt.',
    ifPromptingInstead:
      'The output has a fixed format: describe it in the prompt, show one example of it, and check every ' +
      'answer against it.',
  },
  {
    stage: 'recommendation',
    order: 5,
    rule: 'domain-knowledge',
    when: 'repeated, needing domainKnowledge',
    recommendation: 'fine-tuning',
    because:
      'A prompt is read once and forgotten, so it can carry a few facts but not a whole field: its vocabulary, ' +
      'facts and style. Training on the domain\'s text puts that knowledge into the weights.',
    ifPromptingInstead:
      'The task needs domain knowledge: put the relevant passages into the prompt (paste or retrieve them) ' +
      'rather than hoping the base model knows them.',
  },
  {
    stage: 'recommendation',
    order: 6,
    rule: 'cost-at-volume',
    when: 'repeated, and costSensitive',
    recommendation: 'fine-tuning',
    because:
      'At volume, every query pays for its prompt: a few-shot prompt\'s instructions and examples are read again ' +
      'on every query, while a fine-tuned model needs only the query. Training is paid once; breakEven() ' +
      'measures after how many queries that pays off on this machine.',
    ifPromptingInstead:
      'Cost matters: keep the prompt short (fewer examples, terser instructions), because every query pays for ' +
      'every prompt token.',
  },
  {
    stage: 'recommendation',
    order: 7,
    rule: 'latency-at-volume',
    when: 'repeated, and latencySensitive',
    recommendation: 'fine-tuning',
    because:
      'The model reads every prompt token before it writes the first token of its answer, so a shorter prompt ' +
      'answers sooner; a fine-tuned model needs no instructions or examples in its prompt.',
    ifPromptingInstead:
      'Latency matters: every prompt token is read before the first answer token, so keep the prompt short.',
  },
  {
    stage: 'recommendation',
    order: 8,
    rule: 'prompting-by-default',
    when: 'none of the above',
    recommendation: 'prompting',
    because:
      'Nothing in this situation needs fine-tuning: prompting is cheaper to start, needs no training data, and ' +
      'changes with a sentence. Fine-tune once a prompt stops being enough.',
  },

  // ---- Stage 2: which fine-tuning (only when stage 1 chose fine-tuning) ----
  {
    stage: 'method',
    order: 1,
    rule: 'continued-pretraining',
    when: 'domainKnowledge',
    recommendation: 'fine-tuning',
    method: 'continued-pretraining',
    because:
      'The gap is knowledge, not format: continue the next-token training on unlabelled text from the domain ' +
      '(it needs no labels), then teach the task\'s format with a short instruction-tuning run.',
  },
  {
    stage: 'method',
    order: 2,
    rule: 'classification-head',
    when: 'classification: the answer is one label from a fixed set',
    recommendation: 'fine-tuning',
    method: 'classification-head',
    because:
      'The answer is one label from a fixed set: train a small linear layer on the model\'s last hidden state ' +
      'with the labelled examples. One forward pass per query, no generated tokens, and the output is always ' +
      'a valid label.',
  },
  {
    stage: 'method',
    order: 3,
    rule: 'full-fine-tuning',
    when: `plentyOfCompute, and labelledExamples ≥ ${PLENTY.toLocaleString('en-US')}`,
    recommendation: 'fine-tuning',
    method: 'full-fine-tuning',
    because:
      `With plenty of labelled data (at least ${PLENTY.toLocaleString('en-US')} examples) and the compute to train ` +
      'every weight, full fine-tuning can change the model the most. With less data it overfits, and forgets more ' +
      'of what the base model knew than an adapter would.',
  },
  {
    stage: 'method',
    order: 4,
    rule: 'qlora',
    when: 'memoryLimited',
    recommendation: 'fine-tuning',
    method: 'qlora',
    because:
      'Memory is tight: QLoRA stores the frozen base model in 4-bit NF4 blocks (about an eighth of its 32-bit ' +
      'size) and trains only small LoRA adapters, so it fits where LoRA on a 32-bit base would not.',
  },
  {
    stage: 'method',
    order: 5,
    rule: 'lora',
    when: 'none of the above',
    recommendation: 'fine-tuning',
    method: 'lora',
    because:
      'LoRA freezes the base model and trains two small matrices per chosen layer, r·(in + out) numbers instead ' +
      'of in·out: cheap to train, small to store, and one base model can serve many adapters.',
  },
] satisfies DecisionRule[]).map((rule) => Object.freeze(rule)));

/**
 * What each rule checks. Each looks only at its own question; the order of the table makes
 * "repeated" implicit for rules 4–7 (rules 1 and 2 catch everything that is not repeated).
 */
export const RULE_APPLIES: Readonly<Record<DecisionRuleId, (s: ResolvedSituation) => boolean>> = {
  'ad-hoc-task': (s) => s.adHoc,
  'single-task': (s) => !s.repeated && !s.adHoc,
  'too-few-examples': (s) => s.labelledExamples !== undefined && s.labelledExamples < FEW,
  'repeated-structured-output': (s) => s.structuredOutput,
  'domain-knowledge': (s) => s.domainKnowledge,
  'cost-at-volume': (s) => s.costSensitive,
  'latency-at-volume': (s) => s.latencySensitive,
  'prompting-by-default': () => true,
  'continued-pretraining': (s) => s.domainKnowledge,
  'classification-head': (s) => s.classification,
  'full-fine-tuning': (s) => s.plentyOfCompute && (s.labelledExamples ?? 0) >= PLENTY,
  qlora: (s) => s.memoryLimited,
  lora: () => true,
};

/** The rules of one stage, in the order they are checked. */
export function rulesOfStage(stage: DecisionRule['stage']): readonly DecisionRule[] {
  return DECISION_RULES.filter((r) => r.stage === stage).sort((a, b) => a.order - b.order);
}
