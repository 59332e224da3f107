/**
 * Prompting or fine-tuning? The decision table that answers it for a situation, and a cost
 * model built from numbers measured on this machine: what a few-shot prompt costs in
 * tokens, what a token costs in seconds, and after how many queries a fine-tuning run has
 * paid for itself.
 *
 *   formatDecision(decide({ repeated: true, structuredOutput: true, domainKnowledge: false, costSensitive: true, labelledExamples: 500 }))
 *
 *   const cost = measureInferenceCost({ model, tokenizer, prompt, newTokens: 8 });
 *   const counts = fewShotPromptTokens(tokenizer, { instruction, examples, query });
 *   breakEven({
 *     fewShotTokensPerQuery: counts.fewShotTokens,
 *     fineTunedTokensPerQuery: counts.zeroShotTokens,
 *     secondsPerToken: cost.secondsPerPromptToken,
 *     trainingSeconds: totalTrainingSeconds(trainResult),
 *   }).explain
 */
export { DECISION_RULES, DECISION_THRESHOLDS } from './rules';
export type { DecisionRule, DecisionRuleId, FineTuningMethod, Recommendation, RecommendationRuleId } from './rules';
export { SITUATION_FIELDS, validateSituation } from './situation';
export type { ResolvedSituation, Situation } from './situation';
export { decide, decidingRule } from './decide';
export type { Decision, DecisionReason } from './decide';
export { METHOD_NAMES, formatDecision } from './format';
export { assembleFewShotPrompt, fewShotPromptTokens, zeroShotPrompt } from './few-shot';
export type { FewShotExample, FewShotPromptParts, PromptTokenCounts } from './few-shot';
export { measureInferenceCost } from './inference-cost';
export type { InferenceCost, MeasureInferenceCostOptions } from './inference-cost';
export { breakEven, breakEvenQueries, totalTrainingSeconds } from './break-even';
export type { BreakEven, BreakEvenOptions, BreakEvenPrice } from './break-even';
export { CostModelError, SituationError } from './errors';
