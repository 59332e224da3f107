/**
 * When does fine-tuning pay for itself? Prompting costs nothing up front but reads the long
 * few-shot prompt on every query; fine-tuning costs a training run once and then reads a
 * short prompt. After n queries, in seconds of compute on this machine:
 *
 *   prompting     n · fewShotTokens · secondsPerToken
 *   fine-tuning   trainingSeconds + n · fineTunedTokens · secondsPerToken
 *
 * They cost the same at n = trainingSeconds / ((fewShotTokens − fineTunedTokens) · secondsPerToken),
 * and fine-tuning is cheaper from the next whole query on. The answer's tokens are the same
 * either way, so only the prompt's tokens count. (Without a key/value cache, a longer prompt
 * also slows every generated token, so this is the least a few-shot prompt costs.)
 */
import { CostModelError, describeValue } from './errors';

export interface BreakEvenOptions {
  /** Prompt tokens each query reads when prompting: `fewShotPromptTokens(…).fewShotTokens` (an average is fine). */
  readonly fewShotTokensPerQuery: number;
  /** Prompt tokens each query reads after fine-tuning: `fewShotPromptTokens(…).zeroShotTokens`. */
  readonly fineTunedTokensPerQuery: number;
  /** Measured seconds to read one prompt token: `measureInferenceCost(…).secondsPerPromptToken`. */
  readonly secondsPerToken: number;
  /** Measured seconds the fine-tuning run took: `totalTrainingSeconds(trainResult)`. */
  readonly trainingSeconds: number;
  /** What one second of compute costs, in any currency, to see the answer in money as well. @default none */
  readonly pricePerSecond?: number;
}

/** The same costs in money, at `pricePerSecond`. */
export interface BreakEvenPrice {
  readonly pricePerSecond: number;
  readonly trainingCost: number;
  readonly savedCostPerQuery: number;
}

export interface BreakEven {
  /** Whether fine-tuning ever becomes cheaper: only if its prompt is shorter. */
  readonly breaksEven: boolean;
  /** The first whole number of queries after which fine-tuning has cost less in total; Infinity if never. */
  readonly queries: number;
  /** Where the two totals are equal (not a whole number in general); Infinity if never. */
  readonly equalCostQueries: number;
  /** fewShotTokensPerQuery − fineTunedTokensPerQuery (zero or negative: never breaks even). */
  readonly savedTokensPerQuery: number;
  readonly promptingSecondsPerQuery: number;
  readonly fineTunedSecondsPerQuery: number;
  /** savedTokensPerQuery · secondsPerToken. */
  readonly savedSecondsPerQuery: number;
  readonly trainingSeconds: number;
  /** Present when `pricePerSecond` was given. */
  readonly price?: BreakEvenPrice;
  /** The arithmetic, line by line, with this case's numbers. */
  readonly explain: string;
}

const FIELDS = ['fewShotTokensPerQuery', 'fineTunedTokensPerQuery', 'secondsPerToken', 'trainingSeconds', 'pricePerSecond'] as const;

/** After how many queries fine-tuning is cheaper than few-shot prompting, in compute time. Pure. */
export function breakEven(options: BreakEvenOptions): BreakEven {
  checkOptions(options);
  const { fewShotTokensPerQuery: few, fineTunedTokensPerQuery: tuned, secondsPerToken, trainingSeconds } = options;
  const savedTokensPerQuery = few - tuned;
  const promptingSecondsPerQuery = few * secondsPerToken;
  const fineTunedSecondsPerQuery = tuned * secondsPerToken;
  const savedSecondsPerQuery = savedTokensPerQuery * secondsPerToken;
  const price = options.pricePerSecond === undefined ? undefined : priceOf(options.pricePerSecond, trainingSeconds, savedSecondsPerQuery);
  const common = { savedTokensPerQuery, promptingSecondsPerQuery, fineTunedSecondsPerQuery, savedSecondsPerQuery, trainingSeconds, ...(price ? { price } : {}) };

  const lines = [
    `Prompting reads ${n(few)} tokens per query; the fine-tuned model reads ${n(tuned)}.`,
    `At ${n(secondsPerToken)} s per token (measured), a query costs ${n(promptingSecondsPerQuery)} s prompted ` +
      `and ${n(fineTunedSecondsPerQuery)} s fine-tuned.`,
  ];
  if (savedTokensPerQuery <= 0) {
    lines.push(
      `The fine-tuned prompt (${n(tuned)} tokens) is not shorter than the few-shot prompt (${n(few)} tokens), so no query ` +
        `is cheaper after fine-tuning and the ${n(trainingSeconds)} s of training are never paid back: fine-tuning never ` +
        'breaks even on compute. (It can still be worth it for quality or a reliable format.)',
    );
    return { breaksEven: false, queries: Infinity, equalCostQueries: Infinity, ...common, explain: lines.join('\n') };
  }

  const equalCostQueries = trainingSeconds / savedSecondsPerQuery;
  const queries = firstCheaperQuery(equalCostQueries, (count) => trainingSeconds + count * fineTunedSecondsPerQuery < count * promptingSecondsPerQuery);
  lines.push(
    `Each query saves ${n(savedTokensPerQuery)} tokens × ${n(secondsPerToken)} s = ${n(savedSecondsPerQuery)} s.`,
    `Training took ${n(trainingSeconds)} s, so the totals are equal after ${n(trainingSeconds)} s ÷ ${n(savedSecondsPerQuery)} s = ` +
      `${n(equalCostQueries)} queries, and fine-tuning is cheaper from query ${queries} on.`,
  );
  if (price) {
    lines.push(
      `At ${n(price.pricePerSecond)} per second, training costs ${n(price.trainingCost)} and each query saves ${n(price.savedCostPerQuery)}. ` +
        'A price per second scales both sides alike, so the break-even count does not change.',
    );
  }
  return { breaksEven: true, queries, equalCostQueries, ...common, explain: lines.join('\n') };
}

/**
 * The first whole number of queries after which fine-tuning has cost less in total than
 * prompting, from measured seconds: training once, then `tunedSecondsPerQuery` a query,
 * against `promptedSecondsPerQuery` a query and no training. Infinity when a fine-tuned query
 * costs as much as a prompted one or more: the totals never cross.
 */
export function breakEvenQueries(trainingSeconds: number, promptedSecondsPerQuery: number, tunedSecondsPerQuery: number): number {
  for (const [name, value] of [
    ['trainingSeconds', trainingSeconds],
    ['promptedSecondsPerQuery', promptedSecondsPerQuery],
    ['tunedSecondsPerQuery', tunedSecondsPerQuery],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CostModelError(`breakEvenQueries: '${name}' must be a finite number of seconds ≥ 0, got ${describeValue(value)}.`);
    }
  }
  const saved = promptedSecondsPerQuery - tunedSecondsPerQuery;
  if (!(saved > 0)) return Infinity;
  return firstCheaperQuery(trainingSeconds / saved, (count) => trainingSeconds + count * tunedSecondsPerQuery < count * promptedSecondsPerQuery);
}

/**
 * Seconds a training run spent training: the sum of its step times. Evaluation and
 * checkpoint saving are left out, because a deployed fine-tune need not repeat them.
 * Takes a `TrainResult` (from `train`), or anything with its `steps`.
 */
export function totalTrainingSeconds(result: { readonly steps: readonly { readonly stepMs: number }[] }): number {
  if (!result || !Array.isArray(result.steps) || result.steps.length === 0) {
    throw new CostModelError(
      'The training result has no steps, so there is no training time to measure. Pass the result of a train() run that took at least one step.',
    );
  }
  let milliseconds = 0;
  result.steps.forEach((step, i) => {
    if (!(Number.isFinite(step.stepMs) && step.stepMs >= 0)) {
      throw new CostModelError(`Step ${i} of the training result has stepMs = ${step.stepMs}; a measured step time is a finite number ≥ 0.`);
    }
    milliseconds += step.stepMs;
  });
  return milliseconds / 1000;
}

/** The smallest whole n ≥ 1 with `cheaper(n)`, starting from the real-valued crossing point (rounding can put it one off). */
function firstCheaperQuery(equalCostQueries: number, cheaper: (count: number) => boolean): number {
  let count = Math.max(1, Math.floor(equalCostQueries) + 1);
  if (count > Number.MAX_SAFE_INTEGER) return count; // past exact whole numbers: the estimate is as good as it gets
  for (let step = 0; step < 2 && count > 1 && cheaper(count - 1); step++) count -= 1;
  for (let step = 0; step < 2 && !cheaper(count); step++) count += 1;
  return count;
}

function priceOf(pricePerSecond: number, trainingSeconds: number, savedSecondsPerQuery: number): BreakEvenPrice {
  return { pricePerSecond, trainingCost: trainingSeconds * pricePerSecond, savedCostPerQuery: savedSecondsPerQuery * pricePerSecond };
}

/** A number for the explanation: up to 4 significant digits, whole numbers as they are. */
function n(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return String(Number(value.toPrecision(4)));
}

function checkOptions(options: BreakEvenOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new CostModelError(
      `breakEven needs { fewShotTokensPerQuery, fineTunedTokensPerQuery, secondsPerToken, trainingSeconds }, got ${describeValue(options)}.`,
    );
  }
  const unknown = Object.keys(options).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new CostModelError(`breakEven: unknown option(s) ${unknown.join(', ')}. Known: ${FIELDS.join(', ')}.`);
  }
  const atLeastZero = (field: (typeof FIELDS)[number], what: string): void => {
    const value = options[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CostModelError(`breakEven: '${field}' must be a finite number ≥ 0 (${what}), got ${describeValue(value)}.`);
    }
  };
  atLeastZero('fewShotTokensPerQuery', 'prompt tokens per query when prompting');
  atLeastZero('fineTunedTokensPerQuery', 'prompt tokens per query after fine-tuning');
  atLeastZero('trainingSeconds', 'measured with totalTrainingSeconds(trainResult)');
  atLeastZero('secondsPerToken', 'measured with measureInferenceCost(…).secondsPerPromptToken');
  if (options.secondsPerToken === 0) {
    throw new CostModelError(
      "breakEven: 'secondsPerToken' is 0, but reading a token always takes some time: a 0 means the measurement " +
        'failed. Measure it with measureInferenceCost(…).secondsPerPromptToken.',
    );
  }
  if (options.pricePerSecond !== undefined) atLeastZero('pricePerSecond', 'what a second of compute costs');
}
