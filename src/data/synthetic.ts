/**
 * The synthetic corpus: sentences drawn from a grammar (`simpleEnglishGrammar` unless told
 * otherwise), so that the true probability of every next token is known.
 */
import { SeededRandom } from '../util/random';
import {
  SentenceGrammar,
  sentenceText,
  simpleEnglishGrammar,
  slotTable,
  validateGrammar,
} from './grammar';

/** Options of `generateSyntheticCorpus`. */
export interface SyntheticCorpusOptions {
  /** How many sentences to draw. */
  readonly sentences: number;
  /** Seed of the draws: the same seed (and grammar) gives the same text, byte for byte. */
  readonly seed: number;
  /**
   * The grammar to draw from.
   * @default simpleEnglishGrammar
   */
  readonly grammar?: SentenceGrammar;
}

/**
 * Draws `sentences` independent sentences and writes each on its own line.
 *
 * The format, exactly: every sentence is its words joined by single spaces, then ".", then
 * "\n" — the last sentence too, so the text ends with a newline and nothing else is in it:
 *
 *     The cat sat on the mat.\nA dog slept under the rug.\n…
 *
 * Each word is drawn slot by slot from the table its slot uses, which gives every sentence
 * the probability `enumerateSentences` lists for it. Sentences do not depend on each other,
 * so after a newline the next sentence starts afresh.
 */
export function generateSyntheticCorpus(options: SyntheticCorpusOptions): string {
  const { sentences, seed, grammar = simpleEnglishGrammar } = options;
  if (!Number.isInteger(sentences) || sentences <= 0) {
    throw new RangeError(
      `generateSyntheticCorpus: sentences must be a positive integer, got ${sentences}.`,
    );
  }
  validateGrammar(grammar);
  const rng = new SeededRandom(seed);
  const lines: string[] = [];
  for (let i = 0; i < sentences; i++) lines.push(sampleSentence(grammar, rng) + '\n');
  return lines.join('');
}

/** Draws one sentence (without its newline), one word per slot, left to right. */
export function sampleSentence(grammar: SentenceGrammar, rng: SeededRandom): string {
  validateGrammar(grammar);
  const chosen = new Map<string, string>();
  const words: string[] = [];
  for (const slot of grammar.slots) {
    const table = Object.entries(slotTable(slot, chosen));
    const [word] = table[rng.pick(table.map(([, probability]) => probability))]!;
    chosen.set(slot.name, word);
    words.push(word);
  }
  return sentenceText(words);
}
