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
  // BEGIN SOLUTION
  const s = situation;
  if (s.adHoc) return { recommendation: 'prompting', rule: 'ad-hoc-task' };
  if (!s.repeated) return { recommendation: 'prompting', rule: 'single-task' };
  if (s.labelledExamples !== undefined && s.labelledExamples < 100) return { recommendation: 'prompting', rule: 'too-few-examples' };
  if (s.structuredOutput) return { recommendation: 'fine-tuning', rule: 'repeated-structured-output' };
  if (s.domainKnowledge) return { recommendation: 'fine-tuning', rule: 'domain-knowledge' };
  if (s.costSensitive) return { recommendation: 'fine-tuning', rule: 'cost-at-volume' };
  if (s.latencySensitive) return { recommendation: 'fine-tuning', rule: 'latency-at-volume' };
  return { recommendation: 'prompting', rule: 'prompting-by-default' };
  // END SOLUTION
  throw new Error('Exercise 9.1: replace this line with your decision rule');
}
