import { CostModelError, assembleFewShotPrompt, fewShotPromptTokens, zeroShotPrompt, type FewShotExample } from '../../src/decide';
import { CharTokenizer, Gpt2Tokenizer, type Tokenizer } from '../../src/tokenizer';

const instruction = 'Say whether the review is positive or negative.';
const examples: FewShotExample[] = [
  { input: 'I loved every minute.', output: 'positive' },
  { input: 'Dull, slow and too long.', output: 'negative' },
  { input: 'A joy to watch.', output: 'positive' },
  { input: 'I walked out.', output: 'negative' },
];
const query = 'The best film this year.';

// A character tokenizer that knows every character of the prompts, and GPT-2's byte-pair tokenizer.
const allText = assembleFewShotPrompt({ instruction, examples, query });
const tokenizers: [string, Tokenizer][] = [
  ['char', CharTokenizer.fromText(allText)],
  ['gpt2', new Gpt2Tokenizer()],
];

describe('assembleFewShotPrompt', () => {
  it('puts the instruction, each worked example, then the open query', () => {
    expect(assembleFewShotPrompt({ instruction: 'Classify.', examples: examples.slice(0, 1), query: 'Great.' })).toBe(
      'Classify.\n\nInput: I loved every minute.\nOutput: positive\n\nInput: Great.\nOutput:',
    );
  });

  it('leaves out an empty instruction; with no examples it is the zero-shot prompt', () => {
    expect(assembleFewShotPrompt({ instruction: '', examples: [], query })).toBe(zeroShotPrompt(query));
    expect(zeroShotPrompt(query)).toBe(`Input: ${query}\nOutput:`);
  });

  it.each([
    ['no query', { instruction, examples, query: '' }, /query must be non-empty text/],
    ['an instruction that is not text', { instruction: 3, examples, query }, /'instruction' must be text/],
    ['examples that are not a list', { instruction, examples: 'none', query }, /'examples' must be a list/],
    ['an example without an output', { instruction, examples: [{ input: 'x' }], query }, /examples\[0\] must be \{ input: string, output: string \}/],
  ])('rejects %s', (_, parts, message) => {
    expect(() => assembleFewShotPrompt(parts as never)).toThrow(CostModelError);
    expect(() => assembleFewShotPrompt(parts as never)).toThrow(message);
  });
});

describe.each(tokenizers)('fewShotPromptTokens with the %s tokenizer', (_, tokenizer) => {
  it("equals the tokenizer's count of the assembled prompts", () => {
    const counts = fewShotPromptTokens(tokenizer, { instruction, examples, query });
    expect(counts.fewShotPrompt).toBe(assembleFewShotPrompt({ instruction, examples, query }));
    expect(counts.zeroShotPrompt).toBe(zeroShotPrompt(query));
    expect(counts.fewShotTokens).toBe(tokenizer.encode(counts.fewShotPrompt).length);
    expect(counts.zeroShotTokens).toBe(tokenizer.encode(counts.zeroShotPrompt).length);
    expect(counts.savedTokensPerQuery).toBe(counts.fewShotTokens - counts.zeroShotTokens);
  });

  it('grows with every example added, and the zero-shot prompt does not', () => {
    const counts = [0, 1, 2, 3, 4].map((k) => fewShotPromptTokens(tokenizer, { instruction, examples: examples.slice(0, k), query }));
    for (let k = 1; k < counts.length; k++) {
      expect(counts[k]!.fewShotTokens).toBeGreaterThan(counts[k - 1]!.fewShotTokens);
      expect(counts[k]!.zeroShotTokens).toBe(counts[0]!.zeroShotTokens);
    }
    // Even with no examples the instruction costs tokens a fine-tuned model does not read.
    expect(counts[0]!.savedTokensPerQuery).toBeGreaterThan(0);
  });
});

it('counts characters with a character tokenizer', () => {
  const counts = fewShotPromptTokens(tokenizers[0]![1], { instruction, examples, query });
  expect(counts.fewShotTokens).toBe([...counts.fewShotPrompt].length);
});
