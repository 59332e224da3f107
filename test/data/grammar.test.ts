import {
  GrammarError,
  SentenceGrammar,
  enumerateSentences,
  generateSyntheticCorpus,
  simpleEnglishGrammar,
  validateGrammar,
} from '../../src/data';

describe('the grammar', () => {
  const sentences = enumerateSentences();

  it('lists each sentence once, with probabilities that sum to 1', () => {
    expect(sentences).toHaveLength(272);
    expect(new Set(sentences.map((s) => s.text)).size).toBe(sentences.length);
    expect(sentences.reduce((sum, s) => sum + s.probability, 0)).toBeCloseTo(1, 12);
  });

  it('gives a sentence the product of its words’ probabilities', () => {
    const sentence = sentences.find((s) => s.text === 'The cat sat on the mat.');
    // The 0.7 × cat 0.4 × sat 0.5 × on 0.6 × the 1 × mat 0.4
    expect(sentence?.probability).toBeCloseTo(0.7 * 0.4 * 0.5 * 0.6 * 1 * 0.4, 15);
    expect(sentence?.words).toEqual(['The', 'cat', 'sat', 'on', 'the', 'mat']);
  });

  const base = simpleEnglishGrammar.slots;
  it.each<[string, SentenceGrammar, RegExp]>([
    ['no slots', { slots: [] }, /has no slots/],
    ['a table not summing to 1', { slots: [{ name: 'a', words: { x: 0.5, y: 0.4 } }] }, /slot 'a' sum to 0.9/],
    ['a zero probability', { slots: [{ name: 'a', words: { x: 1, y: 0 } }] }, /'y' in slot 'a' is 0/],
    ['a word with a space', { slots: [{ name: 'a', words: { 'x y': 1 } }] }, /has whitespace/],
    ['a repeated slot name', { slots: [base[0]!, base[0]!] }, /'determiner' is not/],
    ['a dependency on a later slot', { slots: [base[2]!, base[1]!] }, /'subject', which is not an earlier slot/],
    [
      'a missing table',
      { slots: [base[1]!, { name: 'verb', dependsOn: 'subject', wordsGiven: { cat: { sat: 1 } } }] },
      /no table for subject 'dog'/,
    ],
    [
      'a table for a word that never occurs',
      {
        slots: [
          { name: 's', words: { cat: 1 } },
          { name: 'v', dependsOn: 's', wordsGiven: { cat: { sat: 1 }, cta: { sat: 1 } } },
        ],
      },
      /table for s 'cta', a word that slot 's' never takes/,
    ],
  ])('rejects %s', (_what, grammar, message) => {
    expect(() => validateGrammar(grammar)).toThrow(GrammarError);
    expect(() => validateGrammar(grammar)).toThrow(message);
  });
});

describe('generateSyntheticCorpus', () => {
  it('writes one sentence per line, each followed by a newline, the same for the same seed', () => {
    const text = generateSyntheticCorpus({ sentences: 5, seed: 42 });
    expect(text).toBe(generateSyntheticCorpus({ sentences: 5, seed: 42 }));
    expect(text).not.toBe(generateSyntheticCorpus({ sentences: 5, seed: 43 }));
    expect(text.endsWith('.\n')).toBe(true);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(5);
    const known = new Set(enumerateSentences().map((s) => s.text));
    for (const line of lines) expect(known.has(line)).toBe(true);
  });

  it('draws sentences as often as their probabilities say', () => {
    const n = 20000;
    const counts = new Map<string, number>();
    for (const line of generateSyntheticCorpus({ sentences: n, seed: 1 }).split('\n')) {
      if (line !== '') counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    // A count is binomial(n, p): its frequency has standard deviation sqrt(p(1-p)/n). Allow
    // 5 of them, so that none of the 272 sentences fails by chance (about 1e-6 each where
    // the count is near normal, under 1e-4 for the rarest, expected only 2.4 times); for
    // "The cat sat on the mat." (p = 0.0336) that is ±0.0064.
    let seen = 0;
    for (const { text, probability } of enumerateSentences()) {
      const count = counts.get(text) ?? 0;
      seen += count;
      const tolerance = 5 * Math.sqrt((probability * (1 - probability)) / n);
      expect(Math.abs(count / n - probability)).toBeLessThanOrEqual(tolerance);
    }
    expect(seen).toBe(n); // and no line outside the grammar
  });

  it('rejects a sentence count that is not a positive integer', () => {
    expect(() => generateSyntheticCorpus({ sentences: 0, seed: 1 })).toThrow(/positive integer, got 0/);
  });
});
