import { useBackend } from '../../src/backend';
import { klDivergence, trueNextTokenDistribution } from '../../src/data';
import {
  filterProbabilities,
  generate,
  generateText,
  nextTokenDistribution,
  nextTokenProbabilities,
  topTokens,
} from '../../src/generate';
import type { GPT } from '../../src/model';
import { train } from '../../src/train';
import { type TinySetup, tinyModel, tinySetup } from '../helpers/tiny-gpt';

let setup: TinySetup;
let untrained: GPT;
let trained: GPT;
let prompt: number[];

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup();
  untrained = tinyModel(setup);
  trained = tinyModel(setup);
  // Enough steps to learn that a place follows "on the " (about 5 s with WebAssembly).
  await train({ model: trained, train: setup.train, iters: 200, batchSize: 8, lr: 1e-2, evalInterval: 1000, evalIters: 1, seed: 1 });
  prompt = setup.tokenizer.encode('The dog ');
});

afterAll(() => {
  untrained.dispose();
  trained.dispose();
});

const sum = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);
const max = (values: ArrayLike<number>): number => Math.max(...Array.from(values));

describe('nextTokenProbabilities', () => {
  it.each([0.5, 1, 2])('is a distribution over the vocabulary at temperature %p', (temperature) => {
    const probs = nextTokenProbabilities(trained, prompt, temperature);
    expect(probs).toHaveLength(setup.tokenizer.vocabSize);
    expect(Array.from(probs).every((p) => p >= 0)).toBe(true);
    expect(sum(probs)).toBeCloseTo(1, 5);
  });

  it('sharpens below temperature 1 and flattens above it', () => {
    const peaks = [0.25, 0.5, 1, 2, 4].map((t) => max(nextTokenProbabilities(trained, prompt, t)));
    for (let i = 1; i < peaks.length; i++) expect(peaks[i]!).toBeLessThan(peaks[i - 1]!);
  });

  it('divides the logits by the temperature: log-odds between tokens scale by 1/T', () => {
    const atOne = nextTokenProbabilities(trained, prompt, 1);
    const atHalf = nextTokenProbabilities(trained, prompt, 0.5);
    const [best, ...others] = topTokens(atOne, 6);
    for (const other of others) {
      const logOdds = Math.log(atOne[best!]! / atOne[other]!);
      expect(Math.log(atHalf[best!]! / atHalf[other]!)).toBeCloseTo(2 * logOdds, 3);
    }
  });

  it('looks only at the last blockSize tokens of a longer prompt', () => {
    const long = setup.tokenizer.encode(setup.text.slice(0, 40));
    expect(long.length).toBeGreaterThan(setup.config.blockSize);
    expect(nextTokenProbabilities(trained, long)).toEqual(nextTokenProbabilities(trained, long.slice(-setup.config.blockSize)));
  });

  it.each([
    ['an empty prompt', [], 1, /The prompt is empty/],
    ['a token outside the vocabulary', [0, 999], 1, /Token id 999 is outside the model's vocabulary \[0, 25\)/],
    ['temperature 0', [0], 0, /temperature must be > 0, got 0 \(use greedy/],
  ])('rejects %s with a RangeError', (_, ids, temperature, message) => {
    expect(() => nextTokenProbabilities(trained, ids, temperature)).toThrow(RangeError);
    expect(() => nextTokenProbabilities(trained, ids, temperature)).toThrow(message);
  });

  it('puts the grammar\'s places after "The cat sat on the " once trained, far more than before training', () => {
    const text = 'The cat sat on the ';
    const truth = trueNextTokenDistribution({ prefix: text, tokenizer: setup.tokenizer });
    expect(truth.map((t) => t.text)).toEqual(['m', 'f', 'c', 'b']); // mat, floor, couch, bed
    const ids = setup.tokenizer.encode(text);
    const mass = (model: GPT) => {
      const probs = nextTokenProbabilities(model, ids);
      return sum(truth.map((t) => probs[t.token]!));
    };
    expect(mass(untrained)).toBeLessThan(0.25); // about 4 letters of 25
    expect(mass(trained)).toBeGreaterThan(0.45);
    expect(klDivergence(truth, nextTokenProbabilities(trained, ids))).toBeLessThan(
      0.5 * klDivergence(truth, nextTokenProbabilities(untrained, ids)),
    );
  });
});

describe('nextTokenDistribution', () => {
  it('lists the most likely tokens first, with their text and probability', () => {
    const rows = nextTokenDistribution(trained, setup.tokenizer, 'The dog ', { top: 5 });
    const probs = nextTokenProbabilities(trained, prompt);
    expect(rows.map((r) => r.token)).toEqual(topTokens(probs, 5));
    for (const row of rows) {
      expect(row.text).toBe(setup.tokenizer.tokenToString(row.token));
      expect(row.probability).toBe(probs[row.token]);
    }
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.probability).toBeLessThanOrEqual(rows[i - 1]!.probability);
  });
});

describe('filterProbabilities', () => {
  const probs = Float32Array.from([0.1, 0.4, 0.2, 0.3]);
  it.each([
    ['no filter', {}, [0.1, 0.4, 0.2, 0.3]],
    ['topK 1', { topK: 1 }, [0, 1, 0, 0]],
    ['topK 2', { topK: 2 }, [0, 4 / 7, 0, 3 / 7]],
    ['topK 3', { topK: 3 }, [0, 4 / 9, 2 / 9, 3 / 9]],
    ['topK larger than the vocabulary', { topK: 10 }, [0.1, 0.4, 0.2, 0.3]],
    ['topP 0.35: the top token alone reaches it', { topP: 0.35 }, [0, 1, 0, 0]],
    ['topP 0.5: needs the top two', { topP: 0.5 }, [0, 4 / 7, 0, 3 / 7]],
    ['topP 0.75: needs the top three', { topP: 0.75 }, [0, 4 / 9, 2 / 9, 3 / 9]],
    ['topP 1: keeps all', { topP: 1 }, [0.1, 0.4, 0.2, 0.3]],
    ['topK 3 and topP 0.5: the stricter wins', { topK: 3, topP: 0.5 }, [0, 4 / 7, 0, 3 / 7]],
    ['topK 1 and topP 0.9: the stricter wins', { topK: 1, topP: 0.9 }, [0, 1, 0, 0]],
  ])('%s', (_, options, expected) => {
    const filtered = filterProbabilities(probs, options);
    expect(filtered).toHaveLength(expected.length);
    expected.forEach((p, i) => expect(filtered[i]).toBeCloseTo(p, 6));
    expect(Array.from(probs)).toEqual(Array.from(Float32Array.from([0.1, 0.4, 0.2, 0.3]))); // input untouched
  });

  it('breaks ties by the lower token id', () => {
    expect(Array.from(filterProbabilities(Float32Array.from([0.25, 0.25, 0.25, 0.25]), { topK: 2 }))).toEqual([0.5, 0.5, 0, 0]);
  });

  it('renormalises weights that do not sum to 1', () => {
    expect(Array.from(filterProbabilities(Float32Array.from([2, 6, 2]), {}))).toEqual([0.2, 0.6, 0.2].map(Math.fround));
  });
});

describe('generate', () => {
  /** Greedy decoding by hand: append the most likely token, again and again. */
  function argmaxChain(model: GPT, ids: readonly number[], n: number): number[] {
    const context = [...ids];
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const [best] = topTokens(nextTokenProbabilities(model, context), 1);
      context.push(best!);
      out.push(best!);
    }
    return out;
  }

  it('greedy: is deterministic and equals chaining the argmax by hand', () => {
    const first = generate(trained, prompt, { maxNewTokens: 20, greedy: true });
    expect(first).toHaveLength(20);
    expect(generate(trained, prompt, { maxNewTokens: 20, greedy: true, seed: 99 })).toEqual(first);
    expect(first).toEqual(argmaxChain(trained, prompt, 20));
  });

  it('sampling: the same seed gives the same tokens, other seeds other tokens', () => {
    const sample = (seed: number) => generate(trained, prompt, { maxNewTokens: 20, seed });
    expect(sample(1)).toEqual(sample(1));
    expect(sample(2)).not.toEqual(sample(1));
    expect(sample(3)).not.toEqual(sample(1));
  });

  it.each([
    ['topK 1', { topK: 1 }],
    ['topK 1 at temperature 3', { topK: 1, temperature: 3 }],
    ['a tiny topP', { topP: 1e-6 }],
  ])('%s equals greedy', (_, options) => {
    const greedy = generate(untrained, prompt, { maxNewTokens: 12, greedy: true });
    expect(generate(untrained, prompt, { maxNewTokens: 12, seed: 4, ...options })).toEqual(greedy);
  });

  it('topK 3: every sampled token is among the three most likely at its step', () => {
    const context = [...prompt];
    generate(untrained, prompt, {
      maxNewTokens: 15,
      topK: 3,
      seed: 2,
      onToken: (token) => {
        expect(topTokens(nextTokenProbabilities(untrained, context), 3)).toContain(token);
        context.push(token);
      },
    });
    expect(context).toHaveLength(prompt.length + 15);
  });

  it('stops right after the stop token', () => {
    const greedy = generate(trained, prompt, { maxNewTokens: 20, greedy: true });
    const stopToken = greedy[5]!;
    const firstAt = greedy.indexOf(stopToken);
    expect(generate(trained, prompt, { maxNewTokens: 20, greedy: true, stopToken })).toEqual(greedy.slice(0, firstAt + 1));
  });

  it('continues a prompt longer than blockSize from its last blockSize tokens', () => {
    const long = setup.tokenizer.encode(setup.text.slice(0, 50));
    const cropped = long.slice(-setup.config.blockSize);
    expect(generate(trained, long, { maxNewTokens: 10, greedy: true })).toEqual(generate(trained, cropped, { maxNewTokens: 10, greedy: true }));
  });

  it('reports each token as it is chosen, and produces none for maxNewTokens 0', () => {
    const seen: number[] = [];
    const out = generate(trained, prompt, { maxNewTokens: 7, seed: 1, onToken: (t) => seen.push(t) });
    expect(seen).toEqual(out);
    expect(generate(trained, prompt, { maxNewTokens: 0 })).toEqual([]);
  });

  it('generateText decodes what generate produces, without the prompt', () => {
    const options = { maxNewTokens: 15, seed: 6 };
    expect(generateText(trained, setup.tokenizer, 'The dog ', options)).toBe(setup.tokenizer.decode(generate(trained, prompt, options)));
  });

  it.each([
    ['temperature 0', { temperature: 0 }, /temperature must be > 0, got 0\. For always the most likely token, use greedy/],
    ['a negative temperature', { temperature: -1 }, /temperature must be > 0, got -1/],
    ['topP 0', { topP: 0 }, /topP must be in \(0, 1\], got 0/],
    ['topP above 1', { topP: 1.5 }, /topP must be in \(0, 1\], got 1.5/],
    ['topK 0', { topK: 0 }, /topK must be a whole number ≥ 1, got 0/],
    ['a fractional topK', { topK: 2.5 }, /topK must be a whole number ≥ 1, got 2.5/],
    ['a negative maxNewTokens', { maxNewTokens: -1 }, /maxNewTokens must be a whole number ≥ 0, got -1/],
  ])('rejects %s with a RangeError that says what is allowed', (_, bad, message) => {
    const call = () => generate(trained, prompt, { maxNewTokens: 5, ...bad });
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
});
