/** Lesson 09's exercises: the decision rule, and the break-even of fine-tuning against prompting. The public cases; hidden ones live with the instructor. */
import type { ExerciseSpec } from '../spec';

const task = { repeated: true, structuredOutput: false, domainKnowledge: false, costSensitive: false };

const decisionRule: ExerciseSpec = {
  id: '9.1',
  title: 'the decision rule',
  points: 10,
  file: '09-prompting-or-fine-tuning/decision-rule.ts',
  exports: ['promptOrFineTune'],
  cases: [
    { name: 'a one-off task', args: [{ ...task, repeated: false, adHoc: true, costSensitive: true }], expected: { recommendation: 'prompting', rule: 'ad-hoc-task' }, hint: 'Rule 1 comes first: an ad-hoc task is prompted, however cost-sensitive.' },
    { name: 'a task that does not repeat', args: [{ ...task, repeated: false, structuredOutput: true }], expected: { recommendation: 'prompting', rule: 'single-task' }, hint: 'Not repeated and not ad hoc: rule 2, before the structured output of rule 4 is looked at.' },
    {
      name: 'too few examples to train on',
      args: [{ ...task, structuredOutput: true, labelledExamples: 99 }],
      expected: { recommendation: 'prompting', rule: 'too-few-examples' },
      hint: 'labelledExamples < 100 (rule 3) decides before rule 4; 99 is fewer than 100.',
    },
    {
      name: 'the extract-fields task',
      args: [{ ...task, structuredOutput: true, costSensitive: true, labelledExamples: 400 }],
      expected: { recommendation: 'fine-tuning', rule: 'repeated-structured-output' },
      hint: 'Repeated, with a fixed output format: rule 4 decides before cost (rule 6) is looked at.',
    },
    { name: 'unknown example count is not too few', args: [{ ...task, domainKnowledge: true }], expected: { recommendation: 'fine-tuning', rule: 'domain-knowledge' }, hint: 'labelledExamples left out means unknown: rule 3 does not apply.' },
    { name: 'latency at volume', args: [{ ...task, latencySensitive: true, labelledExamples: 100 }], expected: { recommendation: 'fine-tuning', rule: 'latency-at-volume' }, hint: '100 examples is not fewer than 100; only latencySensitive applies (rule 7).' },
    { name: 'nothing to gain', args: [task], expected: { recommendation: 'prompting', rule: 'prompting-by-default' }, hint: 'No rule from 1 to 7 applies: rule 8, prompting by default.' },
  ],
};

const breakEven: ExerciseSpec = {
  id: '9.2',
  title: 'the break-even',
  points: 10,
  file: '09-prompting-or-fine-tuning/break-even.ts',
  exports: ['breakEvenQueries'],
  cases: [
    { args: [600, 2.5, 0.5], expected: 301, hint: '2 s saved a query: after 300 queries the totals are equal (600 + 150 = 750); fine-tuning is cheaper from query 301.' },
    { name: 'a crossing between two whole queries', args: [150, 13, 1], expected: 13, hint: '12 s saved a query: equal at 12.5 queries, so 13 is the first whole query that is cheaper.' },
    { name: 'free training', args: [0, 2, 1], expected: 1, hint: 'No training cost: the first query is already cheaper. n starts at 1.' },
    { name: 'a tuned query that costs the same', args: [10, 1, 1], expected: Infinity, hint: 'Nothing saved per query: the totals never cross.' },
    { name: 'a tuned query that costs more', args: [10, 1, 1.5], expected: Infinity, hint: 'Each query costs more after fine-tuning: never.' },
    { args: [-5, 1, 0.5], throws: 'RangeError', hint: 'A negative time was not measured.' },
  ],
};

export const LESSON_09_EXERCISES: readonly ExerciseSpec[] = [decisionRule, breakEven];
