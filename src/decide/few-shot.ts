/**
 * What a prompt costs in tokens: a few-shot prompt (instruction, worked examples, then the
 * query) against the zero-shot prompt a fine-tuned model needs (the query alone, because the
 * instruction and the examples are now in its weights).
 *
 * The counts come from tokenizing the assembled prompt with the model's own tokenizer, not
 * from a words-to-tokens rule of thumb: a character tokenizer and GPT-2's give very
 * different numbers for the same text.
 */
import type { Tokenizer } from '../tokenizer';
import { CostModelError, describeValue } from './errors';

/** One worked example of the task: an input and the answer we want for it. */
export interface FewShotExample {
  readonly input: string;
  readonly output: string;
}

export interface FewShotPromptParts {
  /** What to do, in words ("Classify the sentence as positive or negative."). May be empty. */
  readonly instruction: string;
  /** Worked examples shown before the query; none makes a zero-shot prompt with an instruction. */
  readonly examples: readonly FewShotExample[];
  /** The input to answer. */
  readonly query: string;
}

export interface PromptTokenCounts {
  /** The few-shot prompt exactly as tokenized. */
  readonly fewShotPrompt: string;
  /** The prompt a fine-tuned model gets: the query in the same template, nothing else. */
  readonly zeroShotPrompt: string;
  /** Tokens of the few-shot prompt: what each query reads when prompting. */
  readonly fewShotTokens: number;
  /** Tokens of the zero-shot prompt: what each query reads after fine-tuning. */
  readonly zeroShotTokens: number;
  /** fewShotTokens − zeroShotTokens: the tokens fine-tuning saves on every query. */
  readonly savedTokensPerQuery: number;
}

/**
 * The few-shot prompt, one block per example, the query last with its answer left open:
 *
 *   Classify the sentence.
 *
 *   Input: I loved it
 *   Output: positive
 *
 *   Input: Dull and slow
 *   Output:
 */
export function assembleFewShotPrompt(parts: FewShotPromptParts): string {
  checkParts(parts);
  const blocks = [
    ...(parts.instruction === '' ? [] : [parts.instruction]),
    ...parts.examples.map((example) => `Input: ${example.input}\nOutput: ${example.output}`),
    queryBlock(parts.query),
  ];
  return blocks.join('\n\n');
}

/** The prompt a fine-tuned model needs: the query in the same template, no instruction, no examples. */
export function zeroShotPrompt(query: string): string {
  if (typeof query !== 'string' || query === '') {
    throw new CostModelError(`The query must be non-empty text (the input to answer), got ${describeValue(query)}.`);
  }
  return queryBlock(query);
}

/** Counts the tokens of a real few-shot prompt and of the zero-shot prompt, with the model's tokenizer. */
export function fewShotPromptTokens(tokenizer: Tokenizer, parts: FewShotPromptParts): PromptTokenCounts {
  const fewShotPrompt = assembleFewShotPrompt(parts);
  const zeroShot = zeroShotPrompt(parts.query);
  const fewShotTokens = tokenizer.encode(fewShotPrompt).length;
  const zeroShotTokens = tokenizer.encode(zeroShot).length;
  return { fewShotPrompt, zeroShotPrompt: zeroShot, fewShotTokens, zeroShotTokens, savedTokensPerQuery: fewShotTokens - zeroShotTokens };
}

function queryBlock(query: string): string {
  return `Input: ${query}\nOutput:`;
}

function checkParts(parts: FewShotPromptParts): void {
  if (typeof parts !== 'object' || parts === null) {
    throw new CostModelError(`A few-shot prompt needs { instruction, examples, query }, got ${describeValue(parts)}.`);
  }
  if (typeof parts.instruction !== 'string') {
    throw new CostModelError(`'instruction' must be text (use '' for none), got ${describeValue(parts.instruction)}.`);
  }
  if (!Array.isArray(parts.examples)) {
    throw new CostModelError(`'examples' must be a list of { input, output } (use [] for none), got ${describeValue(parts.examples)}.`);
  }
  parts.examples.forEach((example: unknown, i) => {
    const e = example as Partial<FewShotExample> | null;
    if (typeof e !== 'object' || e === null || typeof e.input !== 'string' || typeof e.output !== 'string') {
      throw new CostModelError(`examples[${i}] must be { input: string, output: string }, got ${describeValue(example)}.`);
    }
  });
  zeroShotPrompt(parts.query); // checks the query
}
