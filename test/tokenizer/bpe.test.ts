import { BpeTokenizer, pretokenize } from '../../src/tokenizer';

// A small corpus with repeated words, so that there is something worth merging.
const CORPUS = [
  'First Citizen: Before we proceed any further, hear me speak.',
  'All: Speak, speak.',
  'First Citizen: You are all resolved rather to die than to famish?',
  'All: Resolved. resolved.',
  'First Citizen: First, you know Caius Marcius is chief enemy to the people.',
].join('\n').repeat(3);

const trained = BpeTokenizer.train(CORPUS, { vocabSize: 320 });

describe('BpeTokenizer', () => {
  it('learns vocabSize − 256 merges', () => {
    expect(trained.vocabSize).toBe(320);
    expect(trained.merges).toHaveLength(64);
  });

  it.each([
    ['the training text', CORPUS],
    ['text it never saw', 'Zebras quietly juggle xylophones; 42 of them!'],
    ['newlines and runs of spaces', 'a\n\n  b   c\t\td \n'],
    ['emoji (four bytes each)', '😀👍🏽 family: 👨‍👩‍👧'],
    ['Chinese and Japanese', '你好，世界。日本語のテキスト'],
    ['combining marks', 'e\u0301 n\u0303 (decomposed)'],
    ['the empty string', ''],
  ])('round-trips %s', (_, text) => {
    expect(trained.decode(trained.encode(text))).toBe(text);
  });

  it('encodes the training text in fewer tokens than bytes', () => {
    const bytes = Buffer.byteLength(CORPUS, 'utf8');
    expect(trained.encode(CORPUS).length).toBeLessThan(bytes * 0.6);
  });

  it('never merges across pre-token boundaries', () => {
    for (const id of trained.encode(CORPUS)) {
      const token = trained.tokenToString(id);
      expect(pretokenize(token)).toEqual([token]);
    }
  });

  it('trains deterministically', () => {
    const again = BpeTokenizer.train(CORPUS, { vocabSize: 320 });
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(trained.toJSON()));
  });

  it('stops early when the corpus has no pairs left to merge', () => {
    const tokenizer = BpeTokenizer.train('ab ab', { vocabSize: 1000 });
    expect(tokenizer.merges).toEqual([[97, 98], [32, 256]]); // "ab", then " ab"
    expect(tokenizer.vocabSize).toBe(258);
  });

  it('saves and loads to identical encodings', () => {
    const loaded = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(trained.toJSON())));
    const text = 'First Citizen: speak, resolved 😀 unseen words';
    expect(loaded.vocabSize).toBe(trained.vocabSize);
    expect(loaded.encode(text)).toEqual(trained.encode(text));
  });

  describe('special tokens', () => {
    const specialTokens = ['<|endoftext|>', '<|user|>', '<|assistant|>'];
    const chat = BpeTokenizer.train(`${CORPUS}<|endoftext|>${CORPUS}`, {
      vocabSize: 300,
      specialTokens,
    });

    it('get the last ids and are encoded as one token each, anywhere', () => {
      expect(chat.vocabSize).toBe(300);
      const [endOfText, user, assistant] = [297, 298, 299];
      const ids = chat.encode('<|user|>Speak.<|assistant|>All: speak.<|endoftext|>');
      expect(ids[0]).toBe(user);
      expect(ids).toContain(assistant);
      expect(ids.at(-1)).toBe(endOfText);
      expect(chat.tokenToString(user)).toBe('<|user|>');
      expect(chat.decode(ids)).toBe('<|user|>Speak.<|assistant|>All: speak.<|endoftext|>');
    });

    it('are not learned from: no merge contains their text', () => {
      const learned = chat.merges.map((_, rank) => chat.tokenToString(256 + rank));
      expect(learned.filter((token) => token.includes('|'))).toEqual([]);
    });

    it('survive saving and loading', () => {
      const loaded = BpeTokenizer.fromJSON(chat.toJSON());
      expect(loaded.specialTokens).toEqual(specialTokens);
      expect(loaded.encode('a<|user|>b')).toEqual(chat.encode('a<|user|>b'));
    });
  });

  it('shows bytes that are part of a character as <0x..>', () => {
    const tokenizer = new BpeTokenizer([[0xe2, 0x80]]);
    expect(tokenizer.tokenToString(256)).toBe('<0xE2><0x80>');
    expect(tokenizer.tokenToString(0x41)).toBe('A');
    expect(tokenizer.decode(tokenizer.encode('’'))).toBe('’');
  });

  it.each([
    [{ vocabSize: 255 }, /from 256 \(256 byte tokens \+ 0 special tokens\).*got 255/],
    [{ vocabSize: 257, specialTokens: ['<a>', '<b>'] }, /from 258 .*got 257/],
    [{ vocabSize: 300.5 }, /must be an integer/],
    [{ vocabSize: 300, specialTokens: ['<a>', '<a>'] }, /listed twice/],
    [{ vocabSize: 300, specialTokens: [''] }, /non-empty strings/],
  ])('refuses bad training options %j', (options, message) => {
    expect(() => BpeTokenizer.train(CORPUS, options)).toThrow(message);
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => trained.decode([320])).toThrow(/320 is not a token id; ids are integers in \[0, 320\)/);
  });
});
