/**
 * Exercise 9.1 — the decision rule.
 *
 * `situation` describes a task: repeated, structuredOutput, domainKnowledge and costSensitive
 * are always there (true or false); adHoc and latencySensitive may be left out (false);
 * labelledExamples may be left out (unknown). Read the rules in order and return the first that
 * applies, as { recommendation, rule }:
 *   1 ad-hoc-task                 adHoc                              → 'prompting'
 *   2 single-task                 not repeated (and not adHoc)       → 'prompting'
 *   3 too-few-examples            labelledExamples given and < 100   → 'prompting'
 *   4 repeated-structured-output  structuredOutput                   → 'fine-tuning'
 *   5 domain-knowledge            domainKnowledge                    → 'fine-tuning'
 *   6 cost-at-volume              costSensitive                      → 'fine-tuning'
 *   7 latency-at-volume           latencySensitive                   → 'fine-tuning'
 *   8 prompting-by-default        always                             → 'prompting'
 */
export function promptOrFineTune(situation: {
  repeated: boolean;
  structuredOutput: boolean;
  domainKnowledge: boolean;
  costSensitive: boolean;
  adHoc?: boolean;
  latencySensitive?: boolean;
  labelledExamples?: number;
}): { recommendation: 'prompting' | 'fine-tuning'; rule: string } {
  throw new Error('Exercise 9.1: replace this line with your decision rule');
}
