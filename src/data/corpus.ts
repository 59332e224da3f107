/**
 * Text corpora: reading a text file, and cutting its tokens into a training part and a
 * validation part.
 *
 * Token ids are kept in `Int32Array`s. TensorFlow.js builds an `int32` tensor straight from
 * one, and 32 bits fit every vocabulary (a `Uint16Array` would halve the memory but stops at
 * 65,535 tokens; at a million tokens the difference is 2 MB, not worth a second code path).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CorpusFileError } from './errors';

/**
 * The absolute path of the Shakespeare corpus shipped in `data/` (see `data/README.md`).
 * It is found from this file's own folder, so it works from any working directory, both
 * from `src/data` and from the built `dist/data`.
 */
export const tinyShakespearePath: string = path.resolve(
  __dirname,
  '..',
  '..',
  'data',
  'tinyshakespeare.txt',
);

/**
 * Reads a UTF-8 text file and returns its text (a leading byte-order mark is dropped).
 *
 * Throws a `CorpusFileError` that names the file and says what to do when the file is
 * missing, is a folder, is empty, or is not UTF-8 text.
 */
export function readTextCorpus(filePath: string): string {
  const absolutePath = path.resolve(filePath);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absolutePath);
  } catch (error) {
    throw describeReadFailure(filePath, absolutePath, error);
  }

  if (bytes.length === 0) {
    throw new CorpusFileError(
      filePath,
      `readTextCorpus: '${absolutePath}' is empty (0 bytes). A corpus needs text to learn ` +
        'from: check that the file was written completely, or pick another file.',
    );
  }

  // A zero byte never occurs in text; it is the surest sign of a binary file (an image, a
  // zip, a saved model) passed by mistake. Such bytes are valid UTF-8, so check first.
  const zeroByte = bytes.indexOf(0);
  if (zeroByte !== -1) {
    throw new CorpusFileError(
      filePath,
      `readTextCorpus: '${absolutePath}' is not text: it has a zero byte at offset ` +
        `${zeroByte}, which text files never contain. Pass a plain-text (.txt) file.`,
    );
  }

  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    throw new CorpusFileError(
      filePath,
      `readTextCorpus: '${absolutePath}' is not UTF-8 text: the bytes at offset ${offset} ` +
        'are not a valid UTF-8 character. Convert the file to UTF-8 first ' +
        `(for a Latin-1 file: iconv -f latin1 -t utf-8 '${filePath}' > out.txt).`,
    );
  }
}

function describeReadFailure(
  filePath: string,
  absolutePath: string,
  error: unknown,
): CorpusFileError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new CorpusFileError(
      filePath,
      `readTextCorpus: there is no file '${absolutePath}'. The path '${filePath}' was ` +
        `resolved from the working directory ${process.cwd()}; check the spelling, or pass ` +
        'an absolute path (the bundled Shakespeare is at tinyShakespearePath).',
      { cause: error },
    );
  }
  if (code === 'EISDIR') {
    return new CorpusFileError(
      filePath,
      `readTextCorpus: '${absolutePath}' is a folder, not a text file. ` +
        'Pass the path of a file inside it.',
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new CorpusFileError(
    filePath,
    `readTextCorpus: could not read '${absolutePath}': ${reason}`,
    { cause: error },
  );
}

/**
 * Where the first invalid UTF-8 sequence starts. Decoding in streaming mode accepts a
 * character cut off at the end, so "the first k bytes decode" only gets harder as k grows:
 * a binary search finds the longest prefix that still decodes.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const decodes = (length: number, stream: boolean): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let good = 0; // the first `good` bytes decode
  let bad = bytes.length; // the first `bad` bytes do not (unless only the last character is cut)
  if (decodes(bad, true)) good = bad;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (decodes(middle, true)) good = middle;
    else bad = middle;
  }
  if (decodes(good, false)) return good;
  // The good prefix ends inside a character whose next byte is wrong: report its first byte.
  let start = good - 1;
  while (start > 0 && isContinuationByte(bytes[start]!)) start--;
  return start;
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0b1100_0000) === 0b1000_0000;
}

/** Options of `splitTrainVal`. */
export interface SplitOptions {
  /**
   * The fraction of the tokens, taken from the end, kept for validation; in (0, 1).
   * @default 0.1
   */
  readonly valFraction?: number;
}

/** Tokens cut in two: the model learns from `train` and is measured on `val`. */
export interface TrainValSplit {
  readonly train: Int32Array;
  readonly val: Int32Array;
}

/**
 * Splits a token sequence as nanoGPT does: the first `1 - valFraction` of the tokens for
 * training, the rest for validation, cut at one position (not shuffled, so validation is
 * text the model has never seen any part of).
 *
 * Both parts are views of one fresh copy of the tokens. Throws a `RangeError` when the
 * fraction is not in (0, 1), when a token is not a non-negative integer, or when either
 * part would be empty.
 */
export function splitTrainVal(
  tokens: ArrayLike<number>,
  options: SplitOptions = {},
): TrainValSplit {
  const { valFraction = 0.1 } = options;
  if (!(valFraction > 0 && valFraction < 1)) {
    throw new RangeError(
      `splitTrainVal: valFraction must be between 0 and 1 (exclusive), got ${valFraction}. ` +
        'The usual choice is 0.1: the last 10% of the tokens for validation.',
    );
  }
  const all = toTokenArray(tokens, 'splitTrainVal');
  const trainLength = Math.floor(all.length * (1 - valFraction));
  if (trainLength === 0 || trainLength === all.length) {
    throw new RangeError(
      `splitTrainVal: ${all.length} tokens with valFraction ${valFraction} leave ` +
        `${trainLength} for training and ${all.length - trainLength} for validation; ` +
        'both parts need at least one token. Use a longer text or another valFraction.',
    );
  }
  return { train: all.subarray(0, trainLength), val: all.subarray(trainLength) };
}

/**
 * Copies token ids into an `Int32Array`, checking that each is an integer in [0, 2^31):
 * a fraction or a negative number there means something upstream is not a token id.
 */
export function toTokenArray(tokens: ArrayLike<number>, caller = 'toTokenArray'): Int32Array {
  const result = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!Number.isInteger(token) || token < 0 || token > 0x7fffffff) {
      throw new RangeError(
        `${caller}: token ids must be non-negative integers, but position ${i} holds ` +
          `${token}. Pass the output of tokenizer.encode(text).`,
      );
    }
    result[i] = token;
  }
  return result;
}
