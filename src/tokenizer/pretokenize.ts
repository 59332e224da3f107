/**
 * Cutting text into pieces before byte-pair encoding sees it.
 *
 * BPE merges the most frequent neighbours. Run on raw text it would learn tokens like
 * "dog." or "e t" that glue parts of different words together, and spend its vocabulary on
 * every punctuation a word can end with. GPT-2 first splits text into words (with their
 * leading space), numbers, runs of punctuation and runs of whitespace, and merges only
 * inside a piece. We use the same pattern.
 */

/**
 * GPT-2's pre-tokenizer pattern, alternatives tried left to right:
 * - `'s|'t|'re|'ve|'m|'ll|'d`: English contractions, so "don't" → "don", "'t";
 * - ` ?\p{L}+`: a word (letters of any script), with the space before it;
 * - ` ?\p{N}+`: a number (digits of any script), with the space before it;
 * - ` ?[^\s\p{L}\p{N}]+`: a run of anything else (punctuation, symbols, emoji);
 * - `\s+(?!\S)`: whitespace, except the last space before a word (that space belongs to the
 *   word: "a   b" → "a", "  ", " b");
 * - `\s+`: whatever whitespace is left (at the end of the text).
 * Every character matches one alternative, so the pieces always join back to the text.
 */
const GPT2_SPLIT_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The pieces of `text` that BPE merges inside, in order: `"Hi, you"` → `["Hi", ",", " you"]`. */
export function pretokenize(text: string): string[] {
  return text.match(GPT2_SPLIT_PATTERN) ?? [];
}

/** A stretch of text: either ordinary text or exactly one special token. */
export interface TextSegment {
  readonly text: string;
  readonly isSpecial: boolean;
}

/**
 * Splits out special tokens (like `<|endoftext|>`), which are never byte-pair encoded: each
 * becomes one token of its own. Where two special tokens could match at the same place the
 * longer one wins. Empty stretches between them are left out.
 */
export function splitOnSpecialTokens(
  text: string,
  specialTokens: readonly string[],
): TextSegment[] {
  if (specialTokens.length === 0) return text === '' ? [] : [{ text, isSpecial: false }];
  const longestFirst = [...specialTokens].sort((a, b) => b.length - a.length);
  // A capturing group makes `split` keep the separators: odd positions are special tokens.
  const pattern = new RegExp(`(${longestFirst.map(escapeRegExp).join('|')})`);
  const segments: TextSegment[] = [];
  text.split(pattern).forEach((part, i) => {
    if (part !== '') segments.push({ text: part, isSpecial: i % 2 === 1 });
  });
  return segments;
}

function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
