import { CharTokenizer, UnknownCharacterError } from '../../src/tokenizer';

describe('CharTokenizer', () => {
  it('builds the sorted distinct characters, as nanoGPT shakespeare_char does', () => {
    const tokenizer = CharTokenizer.fromText('hello world\n');
    expect(tokenizer.characters).toEqual(['\n', ' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tokenizer.vocabSize).toBe(9);
    expect(tokenizer.tokenToString(0)).toBe('\n');
  });

  it('counts code points, not UTF-16 units, and sorts by code point', () => {
    // 😀 is two UTF-16 units; U+FF01 sorts before it by code point but after it by units.
    const tokenizer = CharTokenizer.fromText('😀！a😀');
    expect(tokenizer.characters).toEqual(['a', '！', '😀']);
  });

  it.each([
    ['plain text', 'to be or not to be'],
    ['newlines and tabs', 'a\tb\n\nc'],
    ['emoji and accents', 'café 😀 naïve'],
    ['the empty string', ''],
  ])('round-trips %s', (_, text) => {
    const tokenizer = CharTokenizer.fromText(text || 'x');
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it('names the unknown character and where it is', () => {
    const tokenizer = CharTokenizer.fromText('abc ');
    const encodeUnknown = () => tokenizer.encode('ab 😀 é');
    expect(encodeUnknown).toThrow(UnknownCharacterError);
    expect(encodeUnknown).toThrow(/"😀" \(U\+1F600\) at index 3/);
    expect(encodeUnknown).toThrow(/CharTokenizer\.fromText\(\) from a corpus that contains/);
    let caught: unknown;
    try {
      encodeUnknown();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ character: '😀', index: 3 });
  });

  it.each([
    ['a negative id', -1],
    ['an id past the vocabulary', 3],
    ['a fraction', 0.5],
  ])('refuses to decode %s', (_, id) => {
    expect(() => CharTokenizer.fromText('abc').decode([id])).toThrow(/not a token id.*\[0, 3\)/);
  });

  it('refuses an empty corpus and duplicate characters', () => {
    expect(() => CharTokenizer.fromText('')).toThrow(/text is empty/);
    expect(() => new CharTokenizer(['a', 'a'])).toThrow(/twice/);
    expect(() => new CharTokenizer(['ab'])).toThrow(/single character/);
  });

  it('saves its characters and loads them back', () => {
    const tokenizer = CharTokenizer.fromText('the quick brown fox 🦊');
    const json = JSON.parse(JSON.stringify(tokenizer.toJSON()));
    expect(json).toEqual({ kind: 'char', characters: [...tokenizer.characters] });
    const loaded = CharTokenizer.fromJSON(json);
    expect(loaded.encode('fox 🦊')).toEqual(tokenizer.encode('fox 🦊'));
  });
});
