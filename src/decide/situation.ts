/**
 * A situation: the answers to the questions you ask before choosing between prompting a
 * model and fine-tuning one. `decide` reads it; `validateSituation` checks it first, because
 * a notebook passes plain objects and a misspelt field would otherwise be ignored in silence.
 */
import { SituationError, describeValue } from './errors';

export interface Situation {
  /** The same kind of task runs again and again (a feature in a product, a nightly batch). */
  readonly repeated: boolean;
  /** Every answer must follow one fixed format (JSON with given fields, one of a set of labels). */
  readonly structuredOutput: boolean;
  /** The task needs knowledge the base model lacks: a field's vocabulary, facts, or style. */
  readonly domainKnowledge: boolean;
  /** What each query costs matters (you pay per token or per second of compute). */
  readonly costSensitive: boolean;
  /** A one-off or exploratory task whose requirements may still change. @default false */
  readonly adHoc?: boolean;
  /** How many labelled examples (input and correct output) you have. @default unknown */
  readonly labelledExamples?: number;
  /** Answers must come back fast: every prompt token is read before the first new token. @default false */
  readonly latencySensitive?: boolean;
  /** The data must not leave your control or end up where others can read it. @default false */
  readonly dataPrivate?: boolean;
  /** The answer is one label from a fixed set (spam / not spam, a topic, a sentiment). @default false */
  readonly classification?: boolean;
  /** The accelerator's memory is tight: training every weight, or even holding the model in 32-bit floats, does not fit. @default false */
  readonly memoryLimited?: boolean;
  /**
   * You have the accelerators, memory and time to train every weight: full fine-tuning holds
   * the weights, their gradients and AdamW's two moments, about 4× the model's size. @default false
   */
  readonly plentyOfCompute?: boolean;
}

/** The fields of a situation, in the order the documentation lists them. */
export const SITUATION_FIELDS = [
  'repeated',
  'structuredOutput',
  'domainKnowledge',
  'costSensitive',
  'adHoc',
  'labelledExamples',
  'latencySensitive',
  'dataPrivate',
  'classification',
  'memoryLimited',
  'plentyOfCompute',
] as const satisfies readonly (keyof Situation)[];

const REQUIRED_FLAGS = ['repeated', 'structuredOutput', 'domainKnowledge', 'costSensitive'] as const;
const OPTIONAL_FLAGS = ['adHoc', 'latencySensitive', 'dataPrivate', 'classification', 'memoryLimited', 'plentyOfCompute'] as const;

/** A situation with every optional flag filled in (`labelledExamples` stays unknown when not given). */
export type ResolvedSituation = Required<Omit<Situation, 'labelledExamples'>> & { readonly labelledExamples?: number };

/**
 * Checks a situation, typed or read from a notebook, and fills in the optional flags.
 * Throws a `SituationError` that names the field and says what to do.
 */
export function validateSituation(situation: unknown): ResolvedSituation {
  if (typeof situation !== 'object' || situation === null || Array.isArray(situation)) {
    throw new SituationError(
      `A situation must be an object such as { repeated: true, structuredOutput: false, domainKnowledge: false, costSensitive: true }, got ${describeValue(situation)}.`,
    );
  }
  const s = situation as Record<string, unknown>;
  const known = new Set<string>(SITUATION_FIELDS);
  const unknown = Object.keys(s).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new SituationError(
      `Situation: unknown field(s) ${unknown.map((k) => `'${k}'`).join(', ')}. ` +
        `Known fields: ${SITUATION_FIELDS.join(', ')}. Check the spelling: an unknown field would otherwise be ignored.`,
    );
  }
  for (const field of REQUIRED_FLAGS) {
    if (typeof s[field] !== 'boolean') {
      throw new SituationError(
        `Situation: '${field}' must be true or false, got ${describeValue(s[field])}. ` +
          `repeated, structuredOutput, domainKnowledge and costSensitive are always needed; answer each one.`,
      );
    }
  }
  for (const field of OPTIONAL_FLAGS) {
    if (s[field] !== undefined && typeof s[field] !== 'boolean') {
      throw new SituationError(`Situation: '${field}' must be true or false (or left out), got ${describeValue(s[field])}.`);
    }
  }
  const labelled = s['labelledExamples'];
  if (labelled !== undefined && (typeof labelled !== 'number' || !Number.isInteger(labelled) || labelled < 0)) {
    throw new SituationError(
      `Situation: 'labelledExamples' must be a whole number ≥ 0 (how many input/output pairs you have), got ${describeValue(labelled)}. ` +
        'Leave it out if you do not know.',
    );
  }
  const resolved: ResolvedSituation = {
    repeated: s['repeated'] as boolean,
    structuredOutput: s['structuredOutput'] as boolean,
    domainKnowledge: s['domainKnowledge'] as boolean,
    costSensitive: s['costSensitive'] as boolean,
    adHoc: (s['adHoc'] as boolean | undefined) ?? false,
    latencySensitive: (s['latencySensitive'] as boolean | undefined) ?? false,
    dataPrivate: (s['dataPrivate'] as boolean | undefined) ?? false,
    classification: (s['classification'] as boolean | undefined) ?? false,
    memoryLimited: (s['memoryLimited'] as boolean | undefined) ?? false,
    plentyOfCompute: (s['plentyOfCompute'] as boolean | undefined) ?? false,
    ...(labelled === undefined ? {} : { labelledExamples: labelled as number }),
  };
  checkContradictions(resolved);
  return resolved;
}

/** Pairs of answers that cannot both be true: the situation describes two different tasks. */
function checkContradictions(s: ResolvedSituation): void {
  if (s.adHoc && s.repeated) {
    throw new SituationError(
      'Situation: adHoc and repeated are both true, but an ad-hoc task is done once (or is still being explored) ' +
        'and a repeated task runs again and again. Set the one that describes the task: repeated: true if it will ' +
        'run many times with the same instructions, adHoc: true if it is a one-off.',
    );
  }
  if (s.memoryLimited && s.plentyOfCompute) {
    throw new SituationError(
      'Situation: memoryLimited and plentyOfCompute are both true, but plenty of compute here means the memory to ' +
        'train every weight (weights, gradients and two AdamW moments), which is what memoryLimited says you lack. ' +
        'Set only memoryLimited if the model does not fit for full training.',
    );
  }
}
