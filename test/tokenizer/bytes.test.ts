import { formatBytes, textToBytes } from '../../src/tokenizer/bytes';
import { pretokenize } from '../../src/tokenizer';

describe('pretokenize', () => {
  it.each([
    ['Hello, world!', ['Hello', ',', ' world', '!']],
    ["don't stop", ['don', "'t", ' stop']],
    ['in 1984 there', ['in', ' 1984', ' there']],
    // The last whitespace before a word is split off, even a newline, as in GPT-2.
    ['a   b\n\nc', ['a', '  ', ' b', '\n', '\n', 'c']],
    ['end\n\n', ['end', '\n\n']],
    ['café 日本語', ['café', ' 日本語']],
    ['', []],
  ])('splits %j like GPT-2', (text, pieces) => {
    expect(pretokenize(text)).toEqual(pieces);
  });
});

describe('formatBytes', () => {
  it.each([
    [[0x41, 0x20], 'A '],
    [[...textToBytes('😀')], '😀'],
    [[0xe2, 0x80], '<0xE2><0x80>'],
    [[0x20, 0xe2, 0x80, 0x99], ' ’'],
    [[0x99, 0x41], '<0x99>A'],
    [[0xc0, 0x80], '<0xC0><0x80>'], // an overlong encoding, never valid UTF-8
  ])('shows %j as %j', (bytes, shown) => {
    expect(formatBytes(Uint8Array.from(bytes))).toBe(shown);
  });
});
