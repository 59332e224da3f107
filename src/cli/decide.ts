/** `llm-lab decide`: prompting or fine-tuning for a described situation, and why. */
import type { Command } from 'commander';
import { type Situation, decide, formatDecision } from '../decide';
import { nonNegativeInt } from './args';

interface DecideFlags {
  repeated?: boolean;
  structured?: boolean;
  domain?: boolean;
  costSensitive?: boolean;
  adHoc?: boolean;
  labelledExamples?: number;
  latencySensitive?: boolean;
  private?: boolean;
  classification?: boolean;
  memoryLimited?: boolean;
  plentyOfCompute?: boolean;
  json?: boolean;
}

export function registerDecideCommand(program: Command): void {
  program
    .command('decide')
    .description('prompting or fine-tuning? describe the task with flags; prints the recommendation and its reasons')
    .option('--repeated', 'the same kind of task runs again and again')
    .option('--structured', 'every answer must follow one fixed format')
    .option('--domain', 'the task needs knowledge the base model lacks (a field, its vocabulary, its style)')
    .option('--cost-sensitive', 'what each query costs matters')
    .option('--ad-hoc', 'a one-off or exploratory task')
    .option('--labelled-examples <n>', 'how many labelled examples you have', nonNegativeInt)
    .option('--latency-sensitive', 'answers must come back fast')
    .option('--private', 'the data must stay under your control')
    .option('--classification', 'the answer is one label of a fixed set')
    .option('--memory-limited', 'training memory is tight (a laptop, a small GPU)')
    .option('--plenty-of-compute', 'memory and time to train every weight')
    .option('--json', 'print the decision as JSON')
    .action((opts: DecideFlags) => {
      const situation: Situation = {
        repeated: opts.repeated ?? false,
        structuredOutput: opts.structured ?? false,
        domainKnowledge: opts.domain ?? false,
        costSensitive: opts.costSensitive ?? false,
        adHoc: opts.adHoc ?? false,
        latencySensitive: opts.latencySensitive ?? false,
        dataPrivate: opts.private ?? false,
        classification: opts.classification ?? false,
        memoryLimited: opts.memoryLimited ?? false,
        plentyOfCompute: opts.plentyOfCompute ?? false,
        ...(opts.labelledExamples !== undefined ? { labelledExamples: opts.labelledExamples } : {}),
      };
      const decision = decide(situation);
      console.log(opts.json ? JSON.stringify(decision, null, 2) : formatDecision(decision));
    });
}
