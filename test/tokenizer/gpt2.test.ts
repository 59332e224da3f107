import { decode as r50kDecode, encode as r50kEncode } from 'gpt-tokenizer/cjs/encoding/r50k_base';
import { GPT2_END_OF_TEXT_ID, Gpt2Tokenizer } from '../../src/tokenizer';

const gpt2 = new Gpt2Tokenizer();

describe('Gpt2Tokenizer', () => {
  it('has GPT-2 vocabulary size and known ids', () => {
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    expect(gpt2.tokenToString(15496)).toBe('Hello');
    expect(gpt2.tokenToString(995)).toBe(' world');
  });

  it.each([
    'The quick brown fox jumps over the lazy dog.',
    "ROMEO:\nBut, soft! what light through yonder window breaks?\n",
    "  leading spaces, numbers 12345 and don't-contractions",
    '日本語のテキスト 😀 café',
    '',
  ])('matches gpt-tokenizer on %j and round-trips', (text) => {
    const ids = gpt2.encode(text);
    expect(ids).toEqual(r50kEncode(text));
    expect(gpt2.decode(ids)).toBe(text);
    expect(r50kDecode(ids)).toBe(text);
  });

  it('encodes <|endoftext|> as the one special token 50256, anywhere in the text', () => {
    expect(gpt2.encode('<|endoftext|>')).toEqual([GPT2_END_OF_TEXT_ID]);
    expect(gpt2.encode('a<|endoftext|>b')).toEqual([64, GPT2_END_OF_TEXT_ID, 65]);
    expect(gpt2.decode([64, GPT2_END_OF_TEXT_ID, 65])).toBe('a<|endoftext|>b');
    expect(gpt2.tokenToString(GPT2_END_OF_TEXT_ID)).toBe('<|endoftext|>');
  });

  it('shows tokens that hold part of a character as bytes', () => {
    // "’" (U+2019, bytes E2 80 99) is two GPT-2 tokens: E2 80, then 99.
    const ids = gpt2.encode('’');
    expect(ids.map((id) => gpt2.tokenToString(id))).toEqual(['<0xE2><0x80>', '<0x99>']);
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => gpt2.decode([50257])).toThrow(/not a token id.*\[0, 50257\)/);
  });

  it('saves as just its kind', () => {
    expect(gpt2.toJSON()).toEqual({ kind: 'gpt2' });
  });
});
