/**
 * The exact next-token distribution of the synthetic grammar, for any tokenizer.
 *
 * The grammar gives probabilities to whole sentences. What a language model predicts is one
 * token given the tokens before it. To get from one to the other: take every sentence
 * (with its newline) whose tokens start with the tokens written so far in this sentence,
 * and add its probability to whichever token comes next in it. Normalised, that is
 * P(next token | tokens so far), the distribution a perfect model would output.
 */
import type { Tokenizer } from '../tokenizer/types';
import { PrefixNotInGrammarError } from './errors';
import {
  SENTENCE_END,
  SentenceGrammar,
  enumerateSentences,
  simpleEnglishGrammar,
} from './grammar';
import { entropy } from './divergence';

/** One possible next token and its probability. */
export interface NextTokenProbability {
  readonly token: number;
  /** `tokenizer.tokenToString(token)`, for tables. */
  readonly text: string;
  readonly probability: number;
}

/** Next-token probabilities, most likely first; only tokens with probability > 0 appear. */
export type NextTokenDistribution = readonly NextTokenProbability[];

/** Options of `trueNextTokenDistribution`. */
export interface TrueDistributionOptions {
  /**
   * The text so far. Only the part after its last newline counts (sentences are drawn
   * independently, so earlier ones say nothing about the next token); "" or a text ending in
   * a newline asks for the first token of a sentence.
   */
  readonly prefix: string;
  readonly tokenizer: Tokenizer;
  /** @default simpleEnglishGrammar */
  readonly grammar?: SentenceGrammar;
}

/**
 * The exact distribution of the next token after `prefix` under the grammar.
 *
 * Each sentence is tokenized on its own, newline included, and kept when its tokens start
 * with the tokens of the sentence prefix. That is what a model trained on the corpus sees
 * when the corpus is tokenized the same way, which holds when no token spans a newline.
 *
 * A caveat on tokenizers that merge characters (byte-pair encoding): the tokens of a prefix
 * need not be the first tokens of the sentences that continue it. GPT-2-style BPE puts the
 * space in front of a word (" mat"), so "The cat sat on the" is exact (next: " mat",
 * " floor", …) but "The cat sat on the " ends in a lone " " token that no sentence contains,
 * and "The cat sat on the m" ends in " m" where sentences have " mat": both throw. With a
 * character tokenizer every prefix is exact. End prefixes at a token boundary.
 *
 * Throws a `PrefixNotInGrammarError` when no sentence starts with the prefix, or when none
 * of those that do starts with the prefix's tokens.
 */
export function trueNextTokenDistribution(options: TrueDistributionOptions): NextTokenDistribution {
  const { prefix, tokenizer, grammar = simpleEnglishGrammar } = options;
  const sentencePrefix = prefix.slice(prefix.lastIndexOf('\n') + 1);
  // Comparing text first is only a shortcut: a sentence whose tokens start with the
  // prefix's tokens also starts with the prefix's text.
  const candidates = enumerateSentences(grammar).filter((sentence) =>
    (sentence.text + '\n').startsWith(sentencePrefix),
  );
  if (candidates.length === 0) {
    throw new PrefixNotInGrammarError(
      sentencePrefix,
      `No sentence of the grammar starts with '${sentencePrefix}', so it has no next-token ` +
        `distribution. Sentences look like '${enumerateSentences(grammar)[0]?.text}': check ` +
        'spelling, capitals and spaces (only the text after the last newline counts).',
    );
  }

  const prefixTokens = tokenizer.encode(sentencePrefix);
  const mass = new Map<number, number>();
  for (const sentence of candidates) {
    const tokens = tokenizer.encode(sentence.text + '\n');
    if (!startsWith(tokens, prefixTokens)) continue;
    const next = tokens[prefixTokens.length];
    if (next === undefined) continue;
    mass.set(next, (mass.get(next) ?? 0) + sentence.probability);
  }
  if (mass.size === 0) {
    throw new PrefixNotInGrammarError(
      sentencePrefix,
      `Sentences of the grammar start with '${sentencePrefix}', but this tokenizer splits ` +
        'each of them differently from the prefix alone (a token of the sentence spans the ' +
        'end of the prefix). End the prefix where a token ends: for GPT-2-style byte-pair ' +
        "encoding, before a word's leading space " +
        "('The cat sat on the', not 'The cat sat on the ').",
    );
  }
  return normalise(mass, tokenizer);
}

function startsWith(tokens: readonly number[], prefix: readonly number[]): boolean {
  if (tokens.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (tokens[i] !== prefix[i]) return false;
  return true;
}

function normalise(mass: ReadonlyMap<number, number>, tokenizer: Tokenizer): NextTokenDistribution {
  let total = 0;
  for (const probability of mass.values()) total += probability;
  return [...mass]
    .map(([token, probability]) => ({
      token,
      text: tokenizer.tokenToString(token),
      probability: probability / total,
    }))
    .sort((a, b) => b.probability - a.probability || a.token - b.token);
}

/**
 * The entropy (in nats) of the true next-token distribution after `prefix`: the lowest
 * expected loss any model can have on the next token here. A model at this loss is perfect;
 * the rest of a trained model's loss is what it has not learned yet.
 */
export function nextTokenEntropy(options: TrueDistributionOptions): number {
  return entropy(trueNextTokenDistribution(options));
}

/** One possible next word and its probability. */
export interface NextWordProbability {
  readonly word: string;
  readonly probability: number;
}

/**
 * The distribution of the next word after the words of `prefix` (split at whitespace, the
 * way a person reads): "The cat sat on the" → mat 0.4, floor 0.3, couch 0.2, bed 0.1. After
 * the last word of a sentence the next "word" is the full stop, ".". Most likely first.
 *
 * Throws a `PrefixNotInGrammarError` when no sentence starts with these words.
 */
export function nextWordDistribution(
  prefix: string,
  grammar: SentenceGrammar = simpleEnglishGrammar,
): readonly NextWordProbability[] {
  const prefixWords = prefix.split(/\s+/).filter((word) => word !== '');
  const mass = new Map<string, number>();
  for (const sentence of enumerateSentences(grammar)) {
    if (!prefixWords.every((word, i) => sentence.words[i] === word)) continue;
    const next = sentence.words[prefixWords.length] ?? SENTENCE_END;
    mass.set(next, (mass.get(next) ?? 0) + sentence.probability);
  }
  if (mass.size === 0) {
    throw new PrefixNotInGrammarError(
      prefix,
      `No sentence of the grammar starts with the words '${prefixWords.join(' ')}'. Words ` +
        "are matched exactly (capitals count, no full stop): e.g. 'The cat sat on the'.",
    );
  }
  let total = 0;
  for (const probability of mass.values()) total += probability;
  return [...mass]
    .map(([word, probability]) => ({ word, probability: probability / total }))
    .sort((a, b) => b.probability - a.probability || (a.word < b.word ? -1 : 1));
}

/** Options of `bestPossibleLoss`. */
export interface BestLossOptions {
  readonly tokenizer: Tokenizer;
  /** @default simpleEnglishGrammar */
  readonly grammar?: SentenceGrammar;
}

/**
 * The lowest average loss per token (nats) any model can reach on a long corpus from the
 * grammar: the entropy of a sentence divided by the expected number of tokens in a sentence
 * (newline included). Summed over a sentence, a perfect model's losses are
 * -ln P(sentence), whatever the tokenizer, because the tokens spell the sentence.
 *
 * This assumes the model sees the whole sentence so far; a window that starts in the middle
 * of a sentence hides its first words, so a real model measured on `blockSize` windows
 * stays a little above this.
 */
export function bestPossibleLoss(options: BestLossOptions): number {
  const { tokenizer, grammar = simpleEnglishGrammar } = options;
  let sentenceEntropy = 0;
  let expectedTokens = 0;
  for (const sentence of enumerateSentences(grammar)) {
    sentenceEntropy -= sentence.probability * Math.log(sentence.probability);
    expectedTokens += sentence.probability * tokenizer.encode(sentence.text + '\n').length;
  }
  return sentenceEntropy / expectedTokens;
}
