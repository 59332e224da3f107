import {
  BpeTokenizer,
  CharTokenizer,
  Gpt2Tokenizer,
  TokenizerJSONError,
  tokenizerFromJSON,
} from '../../src/tokenizer';

describe('tokenizerFromJSON', () => {
  it.each([
    ['char', CharTokenizer.fromText('to be or not to be')],
    [
      'bpe',
      BpeTokenizer.train('to be or not to be, to be', {
        vocabSize: 270,
        specialTokens: ['<|endoftext|>'],
      }),
    ],
    ['gpt2', new Gpt2Tokenizer()],
  ])('rebuilds a saved %s tokenizer', (kind, tokenizer) => {
    const saved = JSON.parse(JSON.stringify(tokenizer.toJSON()));
    const loaded = tokenizerFromJSON(saved);
    expect(loaded.kind).toBe(kind);
    expect(loaded.vocabSize).toBe(tokenizer.vocabSize);
    expect(loaded.encode('not to be')).toEqual(tokenizer.encode('not to be'));
    expect(loaded.toJSON()).toEqual(saved);
  });

  it.each([
    ['not an object', 'bpe', /must be a JSON object/],
    ['null', null, /must be a JSON object.*got null/],
    ['an array', [], /must be a JSON object.*got an array/],
    ['no kind', {}, /Unknown tokenizer kind nothing.*"char", "bpe", "gpt2"/],
    ['an unknown kind', { kind: 'sentencepiece' }, /Unknown tokenizer kind "sentencepiece"/],
    ['char without characters', { kind: 'char' }, /needs "characters".*missing/],
    ['char with a two-letter entry', { kind: 'char', characters: ['a', 'bc'] }, /single character/],
    ['char with a duplicate', { kind: 'char', characters: ['a', 'a'] }, /twice/],
    ['bpe without merges', { kind: 'bpe' }, /needs "merges"/],
    ['bpe with a malformed merge', { kind: 'bpe', merges: [[1, 2, 3]] }, /needs "merges"/],
    [
      'bpe with a merge of a future token',
      { kind: 'bpe', merges: [[97, 300]] },
      /merge 0 joins token 300, which does not exist yet/,
    ],
    ['bpe with a repeated merge', { kind: 'bpe', merges: [[97, 98], [97, 98]] }, /already joins/],
    [
      'bpe with bad special tokens',
      { kind: 'bpe', merges: [], specialTokens: 'eot' },
      /"specialTokens" must be an array/,
    ],
  ])('explains what is wrong with %s', (_, json, message) => {
    expect(() => tokenizerFromJSON(json)).toThrow(TokenizerJSONError);
    expect(() => tokenizerFromJSON(json)).toThrow(message);
  });
});
