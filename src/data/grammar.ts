/**
 * A tiny probabilistic grammar of English sentences, such as "The cat sat on the mat.".
 *
 * Real text has no known next-token probabilities, so a model's loss on it can only be
 * compared with other models. Text drawn from this grammar does: every sentence has an
 * exact probability, so for any prefix we know the true distribution of what comes next, the
 * lowest loss any model could reach, and how far a trained model is from it.
 *
 * A sentence fills a fixed list of slots left to right, one word per slot, and ends with a
 * full stop: "The" "cat" "sat" "on" "the" "mat" + ".". Each slot draws its word from a table
 * of probabilities; the table may depend on the word chosen in one earlier slot (the place
 * depends on who is sitting: a cat sits on the mat, a bird on the fence). That makes the
 * grammar a chain of small dice, finite, and enumerable: every sentence with its probability.
 */
import { GrammarError } from './errors';

/** Words and their probabilities, summing to 1: `{ mat: 0.4, floor: 0.3, … }`. */
export type WordProbabilities = Readonly<Record<string, number>>;

/** A slot whose word does not depend on the rest of the sentence. */
export interface IndependentSlot {
  readonly name: string;
  readonly words: WordProbabilities;
}

/** A slot whose word table is chosen by the word of an earlier slot. */
export interface DependentSlot {
  readonly name: string;
  /** The name of the earlier slot whose word picks the table. */
  readonly dependsOn: string;
  /** One table per word the earlier slot can take: `{ cat: { mat: 0.4, … }, dog: … }`. */
  readonly wordsGiven: Readonly<Record<string, WordProbabilities>>;
}

export type GrammarSlot = IndependentSlot | DependentSlot;

/**
 * Slots filled left to right; a sentence is their words joined by spaces, then ".".
 * Treat a grammar as fixed once used: it is checked, and its sentences listed, once per
 * grammar object.
 */
export interface SentenceGrammar {
  readonly slots: readonly GrammarSlot[];
}

/** One sentence of a grammar and its exact probability. */
export interface SentenceProbability {
  /** The sentence as it appears in the corpus, full stop included, newline not included. */
  readonly text: string;
  /** Its words, one per slot (no full stop). */
  readonly words: readonly string[];
  readonly probability: number;
}

/** The character that ends every sentence. */
export const SENTENCE_END = '.';

/**
 * The grammar the lessons use: `(The|A) subject verb preposition the place.`
 *
 * The verb depends on the subject (only birds sing, only mice hide), the preposition on the
 * verb, and the place on the subject, four words back: a model that only looks at the last
 * word or two cannot know whether "on the" ends with "mat" or "fence".
 */
export const simpleEnglishGrammar: SentenceGrammar = {
  slots: [
    { name: 'determiner', words: { The: 0.7, A: 0.3 } },
    { name: 'subject', words: { cat: 0.4, dog: 0.3, bird: 0.2, mouse: 0.1 } },
    {
      name: 'verb',
      dependsOn: 'subject',
      wordsGiven: {
        cat: { sat: 0.5, slept: 0.3, lay: 0.2 },
        dog: { sat: 0.4, slept: 0.3, lay: 0.2, stood: 0.1 },
        bird: { sat: 0.5, sang: 0.3, slept: 0.2 },
        mouse: { hid: 0.5, sat: 0.3, slept: 0.2 },
      },
    },
    {
      name: 'preposition',
      dependsOn: 'verb',
      wordsGiven: {
        sat: { on: 0.6, under: 0.2, near: 0.2 },
        slept: { on: 0.5, under: 0.3, near: 0.2 },
        lay: { on: 0.7, near: 0.3 },
        stood: { near: 0.6, on: 0.4 },
        sang: { on: 0.5, near: 0.5 },
        hid: { under: 0.6, behind: 0.4 },
      },
    },
    { name: 'article', words: { the: 1 } },
    {
      name: 'place',
      dependsOn: 'subject',
      wordsGiven: {
        cat: { mat: 0.4, floor: 0.3, couch: 0.2, bed: 0.1 },
        dog: { floor: 0.4, rug: 0.3, mat: 0.2, porch: 0.1 },
        bird: { fence: 0.4, roof: 0.3, branch: 0.2, window: 0.1 },
        mouse: { bed: 0.4, couch: 0.3, table: 0.2, floor: 0.1 },
      },
    },
  ],
};

/** How far a table's probabilities may sum from 1 (rounding in hand-written decimals). */
const SUM_TOLERANCE = 1e-9;

const validated = new WeakSet<SentenceGrammar>();

/**
 * Checks a grammar's rules and throws a `GrammarError` naming the slot at fault: at least
 * one slot; unique slot names; words non-empty without whitespace; probabilities positive
 * and summing to 1 in each table; `dependsOn` names an earlier slot, with exactly one table
 * per word that slot can take.
 */
export function validateGrammar(grammar: SentenceGrammar): void {
  if (validated.has(grammar)) return;
  if (grammar.slots.length === 0) {
    throw new GrammarError('The grammar has no slots: a sentence needs at least one word.');
  }
  // The words each slot seen so far can take, to check the tables of later slots.
  const wordsOfSlot = new Map<string, Set<string>>();
  for (const slot of grammar.slots) {
    if (slot.name === '' || wordsOfSlot.has(slot.name)) {
      throw new GrammarError(`Slot names must be unique and non-empty; '${slot.name}' is not.`);
    }
    const words = new Set<string>();
    if ('words' in slot) {
      checkTable(slot.words, `slot '${slot.name}'`, words);
    } else {
      const parentWords = wordsOfSlot.get(slot.dependsOn);
      if (parentWords === undefined) {
        throw new GrammarError(
          `Slot '${slot.name}' depends on '${slot.dependsOn}', which is not an earlier slot. ` +
            'A slot can only depend on a slot to its left.',
        );
      }
      for (const parentWord of parentWords) {
        const table = ownTable(slot, parentWord);
        if (table === undefined) {
          throw new GrammarError(
            `Slot '${slot.name}' has no table for ${slot.dependsOn} '${parentWord}'; ` +
              `add wordsGiven['${parentWord}'].`,
          );
        }
        checkTable(table, `slot '${slot.name}' given ${slot.dependsOn} '${parentWord}'`, words);
      }
      for (const key of Object.keys(slot.wordsGiven)) {
        if (!parentWords.has(key)) {
          throw new GrammarError(
            `Slot '${slot.name}' has a table for ${slot.dependsOn} '${key}', a word that ` +
              `slot '${slot.dependsOn}' never takes (a typo?).`,
          );
        }
      }
    }
    wordsOfSlot.set(slot.name, words);
  }
  validated.add(grammar);
}

function checkTable(table: WordProbabilities, where: string, words: Set<string>): void {
  const entries = Object.entries(table);
  if (entries.length === 0) throw new GrammarError(`The table of ${where} has no words.`);
  let sum = 0;
  for (const [word, probability] of entries) {
    if (word === '' || /\s/.test(word)) {
      throw new GrammarError(
        `The word '${word}' in ${where} is empty or has whitespace; a slot holds one word.`,
      );
    }
    if (!(Number.isFinite(probability) && probability > 0)) {
      throw new GrammarError(
        `The probability of '${word}' in ${where} is ${probability}; it must be positive ` +
          '(leave a word out rather than give it 0).',
      );
    }
    sum += probability;
    words.add(word);
  }
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new GrammarError(`The probabilities of ${where} sum to ${sum}, not 1.`);
  }
}

/** The word table a slot uses, given the words already chosen for earlier slots. */
export function slotTable(
  slot: GrammarSlot,
  chosen: ReadonlyMap<string, string>,
): WordProbabilities {
  if ('words' in slot) return slot.words;
  const parentWord = chosen.get(slot.dependsOn);
  const table = parentWord === undefined ? undefined : ownTable(slot, parentWord);
  if (table === undefined) {
    throw new GrammarError(
      `Slot '${slot.name}' has no table for ${slot.dependsOn} '${parentWord}'.`,
    );
  }
  return table;
}

/** The table for one word, ignoring what objects inherit (a word may be "constructor"). */
function ownTable(slot: DependentSlot, parentWord: string): WordProbabilities | undefined {
  return Object.hasOwn(slot.wordsGiven, parentWord) ? slot.wordsGiven[parentWord] : undefined;
}

/** Writes a sentence from its words, exactly as it appears in the corpus (no newline). */
export function sentenceText(words: readonly string[]): string {
  return words.join(' ') + SENTENCE_END;
}

const enumerated = new WeakMap<SentenceGrammar, readonly SentenceProbability[]>();

/**
 * Every sentence the grammar can produce, with its exact probability: the product of the
 * probabilities of its words, each from the table its slot used. The probabilities sum to 1.
 * Sentences come in the order of the tables (first word of the first slot first, and so on).
 * No two share a text: words hold no spaces, so a sentence's text gives back its words.
 */
export function enumerateSentences(
  grammar: SentenceGrammar = simpleEnglishGrammar,
): readonly SentenceProbability[] {
  const cached = enumerated.get(grammar);
  if (cached !== undefined) return cached;
  validateGrammar(grammar);

  const sentences: SentenceProbability[] = [];
  const words: string[] = [];
  const chosen = new Map<string, string>();
  const fill = (slotIndex: number, probability: number): void => {
    const slot = grammar.slots[slotIndex];
    if (slot === undefined) {
      sentences.push({ text: sentenceText(words), words: [...words], probability });
      return;
    }
    for (const [word, wordProbability] of Object.entries(slotTable(slot, chosen))) {
      words.push(word);
      chosen.set(slot.name, word);
      fill(slotIndex + 1, probability * wordProbability);
      words.pop();
    }
    chosen.delete(slot.name);
  };
  fill(0, 1);

  enumerated.set(grammar, sentences);
  return sentences;
}
