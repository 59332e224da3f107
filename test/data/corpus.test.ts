import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  CorpusFileError,
  readTextCorpus,
  splitTrainVal,
  tinyShakespearePath,
} from '../../src/data';

describe('readTextCorpus', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-corpus-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, bytes: Uint8Array | string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it('reads UTF-8 text, dropping a byte-order mark', () => {
    expect(readTextCorpus(write('plain.txt', 'To be, or not to be.\nÆ ☃\n'))).toBe(
      'To be, or not to be.\nÆ ☃\n',
    );
    expect(readTextCorpus(write('bom.txt', '\uFEFFhello'))).toBe('hello');
  });

  it('names the path and the working directory when the file is missing', () => {
    const missing = path.join(dir, 'nope.txt');
    expect(() => readTextCorpus(missing)).toThrow(CorpusFileError);
    expect(() => readTextCorpus(missing)).toThrow(missing);
    expect(() => readTextCorpus(missing)).toThrow(process.cwd());
  });

  it.each([
    ['an empty file', () => write('empty.txt', ''), /is empty \(0 bytes\)/],
    ['a folder', () => dir, /is a folder/],
    [
      'Latin-1 bytes',
      () => write('latin1.txt', Buffer.from('caf\xe9 au lait', 'latin1')),
      /not UTF-8 text: the bytes at offset 3 /,
    ],
    [
      'a cut-off last character',
      () => write('cut.txt', Buffer.from([0x61, 0x62, 0xe2, 0x98])),
      /offset 2 /,
    ],
    [
      'a binary file',
      () => write('binary.bin', new Uint8Array([0x50, 0x4b, 0x00, 0x01])),
      /zero byte at offset 2/,
    ],
  ])('rejects %s, saying why', (_what, makePath, message) => {
    const file = makePath();
    expect(() => readTextCorpus(file)).toThrow(CorpusFileError);
    expect(() => readTextCorpus(file)).toThrow(message);
  });

  it('finds the bundled Shakespeare, byte-identical to its source', () => {
    const bytes = fs.readFileSync(tinyShakespearePath);
    expect(createHash('md5').update(bytes).digest('hex')).toBe('6fb458f1232090904fb40fe944165e91');
    expect(readTextCorpus(tinyShakespearePath)).toHaveLength(1115394);
  });
});

describe('splitTrainVal', () => {
  it.each([
    // tokens, valFraction, train, val
    [10, undefined, 9, 1],
    [10, 0.5, 5, 5],
    [3, 0.4, 1, 2],
    [1115394, 0.1, 1003854, 111540], // tinyshakespeare with a character tokenizer, as nanoGPT
  ])('splits %i tokens with valFraction %s into %i + %i', (length, valFraction, trainLength, valLength) => {
    const tokens = Int32Array.from({ length }, (_, i) => i % 65);
    const { train, val } = splitTrainVal(tokens, valFraction === undefined ? {} : { valFraction });
    expect(train).toBeInstanceOf(Int32Array);
    expect([train.length, val.length]).toEqual([trainLength, valLength]);
    // first part, then last part, nothing lost or reordered
    const joined = new Int32Array(length);
    joined.set(train);
    joined.set(val, train.length);
    expect(Buffer.from(joined.buffer).equals(Buffer.from(tokens.buffer))).toBe(true);
  });

  it('copies, so that changing the input later does not change the split', () => {
    const tokens = [1, 2, 3, 4];
    const { train } = splitTrainVal(tokens, { valFraction: 0.5 });
    tokens[0] = 99;
    expect([...train]).toEqual([1, 2]);
  });

  it.each([
    [[1, 2, 3], 0, /valFraction must be between 0 and 1/],
    [[1, 2, 3], 1, /valFraction must be between 0 and 1/],
    [[1, 2, 3], -0.2, /valFraction must be between 0 and 1/],
    [[1, 2, 3], Number.NaN, /valFraction must be between 0 and 1/],
    [[1], 0.1, /leave 0 for training and 1 for validation/],
    [[1, 2, 3], 1e-17, /leave 3 for training and 0 for validation/], // 1 - 1e-17 rounds to 1
    [[1, 2.5, 3], 0.5, /position 1 holds 2.5/],
    [[1, -1, 3], 0.5, /position 1 holds -1/],
  ])('rejects %j with valFraction %s', (tokens, valFraction, message) => {
    expect(() => splitTrainVal(tokens, { valFraction })).toThrow(RangeError);
    expect(() => splitTrainVal(tokens, { valFraction })).toThrow(message);
  });
});
