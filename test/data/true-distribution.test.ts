import {
  PrefixNotInGrammarError,
  bestPossibleLoss,
  crossEntropy,
  entropy,
  enumerateSentences,
  generateSyntheticCorpus,
  klDivergence,
  nextTokenEntropy,
  nextWordDistribution,
  toProbabilityVector,
  trueNextTokenDistribution,
} from '../../src/data';
import { charTokenizerFor, wordTokenizerFor } from './test-tokenizers';

// Every sentence of the grammar once, so both tokenizers know every character and word.
const allText = enumerateSentences().map((s) => s.text + '\n').join('');
const chars = charTokenizerFor(allText);
const words = wordTokenizerFor(allText);

describe('trueNextTokenDistribution with a character tokenizer', () => {
  it.each<[string, Record<string, number>]>([
    ['The cat sat on the', { ' ': 1 }],
    // the place, given a cat: mat 0.4, floor 0.3, couch 0.2, bed 0.1
    ['The cat sat on the ', { m: 0.4, f: 0.3, c: 0.2, b: 0.1 }],
    ['The bird sang near the ', { f: 0.4, r: 0.3, b: 0.2, w: 0.1 }],
    // two words share a first letter: sat 0.5 + slept 0.3 → s 0.8; lay → l 0.2
    ['A cat ', { s: 0.8, l: 0.2 }],
    ['The cat s', { a: 0.5 / 0.8, l: 0.3 / 0.8 }],
    ['The cat sat on the mat', { '.': 1 }],
    ['The cat sat on the mat.', { '\n': 1 }],
    // a new sentence: its first letter, The 0.7 or A 0.3; earlier sentences do not matter
    ['', { T: 0.7, A: 0.3 }],
    ['The cat sat on the mat.\n', { T: 0.7, A: 0.3 }],
    ['A dog lay on the rug.\nThe cat sat on the ', { m: 0.4, f: 0.3, c: 0.2, b: 0.1 }],
  ])('after %j', (prefix, expected) => {
    const distribution = trueNextTokenDistribution({ prefix, tokenizer: chars });
    expect(distribution.map((d) => d.text)).toEqual(Object.keys(expected)); // most likely first
    for (const { text, probability } of distribution) expect(probability).toBeCloseTo(expected[text]!, 12);
    for (const { token, text } of distribution) expect(chars.decode([token])).toBe(text);
  });

  it.each(['The cow', 'the cat', 'The cat sat on the mat. ', 'The  cat'])(
    'says no sentence starts with %j',
    (prefix) => {
      const call = () => trueNextTokenDistribution({ prefix, tokenizer: chars });
      expect(call).toThrow(PrefixNotInGrammarError);
      expect(call).toThrow(`No sentence of the grammar starts with '${prefix}'`);
    },
  );

  it('multiplies back to each sentence’s probability (the chain rule)', () => {
    for (const sentence of enumerateSentences().slice(0, 40)) {
      const text = sentence.text + '\n';
      let logProbability = 0;
      for (let i = 0; i < text.length; i++) {
        const next = trueNextTokenDistribution({ prefix: text.slice(0, i), tokenizer: chars });
        logProbability += Math.log(next.find((d) => d.text === text[i])!.probability);
      }
      expect(logProbability).toBeCloseTo(Math.log(sentence.probability), 10);
    }
  });
});

describe('trueNextTokenDistribution with words as tokens (space in front, as GPT-2)', () => {
  it('gives the next word token at a word boundary', () => {
    const distribution = trueNextTokenDistribution({ prefix: 'The cat sat on the', tokenizer: words });
    expect(distribution.map((d) => [d.text, d.probability])).toEqual([
      [' mat', expect.closeTo(0.4, 12)],
      [' floor', expect.closeTo(0.3, 12)],
      [' couch', expect.closeTo(0.2, 12)],
      [' bed', expect.closeTo(0.1, 12)],
    ]);
  });

  it.each(['The cat sat on the ', 'The cat sat on the m'])(
    'explains that %j ends inside a token',
    (prefix) => {
      const call = () => trueNextTokenDistribution({ prefix, tokenizer: words });
      expect(call).toThrow(PrefixNotInGrammarError);
      expect(call).toThrow(/splits each of them differently from the prefix alone/);
    },
  );
});

describe('nextWordDistribution', () => {
  it.each<[string, [string, number][]]>([
    ['The cat sat on the', [['mat', 0.4], ['floor', 0.3], ['couch', 0.2], ['bed', 0.1]]],
    ['A dog slept under the', [['floor', 0.4], ['rug', 0.3], ['mat', 0.2], ['porch', 0.1]]],
    ['The mouse', [['hid', 0.5], ['sat', 0.3], ['slept', 0.2]]],
    ['', [['The', 0.7], ['A', 0.3]]],
    ['The cat sat on the mat', [['.', 1]]],
  ])('after %j', (prefix, expected) => {
    const distribution = nextWordDistribution(prefix);
    expect(distribution.map((d) => d.word)).toEqual(expected.map(([word]) => word));
    distribution.forEach((d, i) => expect(d.probability).toBeCloseTo(expected[i]![1], 12));
  });

  it('matches the token-level odds summed over each word', () => {
    // P(" mat" | …) from the word tokenizer equals P(mat | …) from the word view
    const tokens = trueNextTokenDistribution({ prefix: 'The bird sat on the', tokenizer: words });
    const wordsView = nextWordDistribution('The bird sat on the');
    expect(tokens.map((d) => d.text.trim())).toEqual(wordsView.map((d) => d.word));
    tokens.forEach((d, i) => expect(d.probability).toBeCloseTo(wordsView[i]!.probability, 12));
  });

  it('says no sentence starts with words outside the grammar', () => {
    expect(() => nextWordDistribution('The cat flew')).toThrow(PrefixNotInGrammarError);
  });
});

describe('entropy, crossEntropy and klDivergence', () => {
  const placeAfterCat = trueNextTokenDistribution({ prefix: 'The cat sat on the ', tokenizer: chars });
  const vocabSize = chars.vocabSize;
  const truth = toProbabilityVector(placeAfterCat, vocabSize);
  const uniform = new Float64Array(vocabSize).fill(1 / vocabSize);
  /** Moves a little probability from the most likely token to the second. */
  const nudged = Float64Array.from(truth);
  nudged[placeAfterCat[0]!.token]! -= 0.05;
  nudged[placeAfterCat[1]!.token]! += 0.05;

  it('gives the entropy of the place after a cat: the best possible loss there', () => {
    const expected = -[0.4, 0.3, 0.2, 0.1].reduce((sum, p) => sum + p * Math.log(p), 0); // 1.2799 nats
    expect(entropy(placeAfterCat)).toBeCloseTo(expected, 12);
    expect(nextTokenEntropy({ prefix: 'The cat sat on the ', tokenizer: chars })).toBeCloseTo(expected, 12);
    expect(nextTokenEntropy({ prefix: 'The cat sat on the', tokenizer: chars })).toBe(0);
  });

  it('is zero for the true distribution itself and positive for any other', () => {
    expect(klDivergence(placeAfterCat, truth)).toBe(0);
    expect(klDivergence(placeAfterCat, nudged)).toBeGreaterThan(0);
    expect(klDivergence(placeAfterCat, uniform)).toBeCloseTo(
      Math.log(vocabSize) - entropy(placeAfterCat),
      12,
    );
  });

  it.each([
    ['the truth', truth],
    ['a nudged model', nudged],
    ['a uniform model', uniform],
  ])('splits the cross-entropy of %s into entropy + KL', (_name, model) => {
    expect(crossEntropy(placeAfterCat, model)).toBeCloseTo(
      entropy(placeAfterCat) + klDivergence(placeAfterCat, model),
      12,
    );
  });

  it('takes a zero where the truth is positive as epsilon, or as infinitely wrong with epsilon 0', () => {
    const blind = Float64Array.from(truth);
    blind[placeAfterCat[3]!.token] = 0; // the model rules out "bed" (p = 0.1)
    blind[placeAfterCat[0]!.token]! += 0.1;
    const kl = klDivergence(placeAfterCat, blind);
    // bed: 0.1 ln(0.1 / 1e-12) ≈ 2.53 nats, mat: 0.4 ln(0.4 / 0.5) ≈ −0.09
    expect(kl).toBeCloseTo(0.1 * Math.log(0.1 / 1e-12) + 0.4 * Math.log(0.4 / 0.5), 9);
    expect(klDivergence(placeAfterCat, blind, { epsilon: 0 })).toBe(Infinity);
  });

  it.each([
    ['logits instead of probabilities', Float64Array.from(truth, (p) => p - 0.5), /not a probability.*softmax/],
    ['probabilities that do not sum to 1', Float64Array.from(truth, (p) => p / 2), /sum to 0.5, not 1/],
    ['a vocabulary too small', new Float64Array([1]), /covers only 1 tokens/],
  ])('rejects %s', (_what, model, message) => {
    expect(() => klDivergence(placeAfterCat, model)).toThrow(message);
  });
});

describe('bestPossibleLoss', () => {
  it('is the entropy of a sentence per token, as measured on a generated corpus', () => {
    const best = bestPossibleLoss({ tokenizer: chars });
    // The perfect model's loss on a corpus: −ln P(sentence) over all its characters.
    const probability = new Map(enumerateSentences().map((s) => [s.text, s.probability]));
    const lines = generateSyntheticCorpus({ sentences: 4000, seed: 9 }).split('\n').slice(0, -1);
    const loss = lines.reduce((sum, line) => sum - Math.log(probability.get(line)!), 0);
    const characters = lines.reduce((sum, line) => sum + line.length + 1, 0);
    // 5.1619 nats per sentence over 26.831 characters (newline included) on average
    expect(best).toBeCloseTo(5.161865 / 26.831, 5);
    // The measured ratio has a standard error of about 0.3% over 4000 sentences; allow 2%.
    expect(Math.abs(loss / characters - best) / best).toBeLessThan(0.02);
  });
});
