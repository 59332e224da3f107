/**
 * The base corpus: the plain text the course's base model is pretrained on.
 *
 * A base model learns the language of its corpus and nothing else. This one is drawn from
 * the same worlds the fine-tuning datasets live in, written as ordinary prose:
 *
 * - glossary notes: the definitions of the seen AI terms, a few to a paragraph
 *   ("Tokenization is splitting text into tokens that a model can read.");
 * - toy sentences from the grammar with known next-token odds ("The cat sat on the mat.");
 * - pages of an order book, each order told twice ("On 2024-05-12, Maria bought 3 blue
 *   mugs. Confirmed: Maria ordered 3 blue mugs on 2024-05-12.");
 * - product reviews ("I bought this kettle last month. It broke after a week.");
 * - lines of a training log ("Run 12: lr=0.001; batch=16; layers=4; loss=1.92."), so that
 *   `key=value; …` is familiar text (a model cannot copy into a format whose symbols it has
 *   never read: their embeddings would still be random).
 *
 * What it leaves out matters as much. No questions followed by answers, no chat markers, no
 * orders written as field lists, no labels: the base model knows what NLP is and how orders
 * are worded, but has never seen a request answered. Asked "What is NLP?" it continues the
 * text; instruction tuning is what teaches it to answer. The terms the QA test holds out
 * (`heldOut` in the glossary) are left out here too, so no model trained on this corpus can
 * know them.
 */
import { SeededRandom } from '../util/random';
import { ORDER_WORDINGS, type OrderFields, orderSentence, randomOrderFields } from './extract-fields';
import { AI_GLOSSARY } from './qa-terms';
import { SENTIMENT_LABELS, review } from './sentiment';
import { pickOne } from './shuffle';
import { sampleSentence } from './synthetic';
import { simpleEnglishGrammar } from './grammar';

/** Options of `generateBaseCorpus`. */
export interface BaseCorpusOptions {
  /** Paragraphs to draw. @default 3000 */
  readonly paragraphs?: number;
  /** The same seed gives the same text, byte for byte. @default 1234 */
  readonly seed?: number;
}

/** The default number of paragraphs: about 520 kB of text. */
export const BASE_CORPUS_PARAGRAPHS = 3000;

const NOTE_OPENERS = ['', '', 'From the course glossary.', 'Notes on language models.', 'A few terms worth knowing.', 'Key ideas of this chapter.'];
const ORDER_OPENERS = ['', 'From the order book of a small shop.', 'Orders this week.', 'The shop kept a log of its orders.'];

/**
 * Draws the base corpus: `paragraphs` paragraphs of the four kinds above, separated by blank
 * lines, ending with a newline.
 */
export function generateBaseCorpus(options: BaseCorpusOptions = {}): string {
  const { paragraphs = BASE_CORPUS_PARAGRAPHS, seed = 1234 } = options;
  if (!Number.isInteger(paragraphs) || paragraphs <= 0) {
    throw new RangeError(`generateBaseCorpus: paragraphs must be a positive integer, got ${paragraphs}.`);
  }
  const rng = new SeededRandom(seed);
  const seenTerms = AI_GLOSSARY.filter((term) => term.heldOut !== true);
  const kinds: readonly (() => string)[] = [
    () => joinOpener(pickOne(NOTE_OPENERS, rng), repeat(2 + rng.int(3), () => pickOne(seenTerms, rng).definition)),
    () => repeat(3 + rng.int(4), () => sampleSentence(simpleEnglishGrammar, rng)).join('\n'),
    () => joinOpener(pickOne(ORDER_OPENERS, rng), repeat(2 + rng.int(3), () => orderTwice(rng))),
    () => review(pickOne(SENTIMENT_LABELS, rng), rng),
    () => repeat(2 + rng.int(3), () => trainingLogLine(rng)).join('\n'),
  ];
  // Glossary notes and the toy grammar a little more often: they are what the lessons probe.
  const odds = [0.28, 0.22, 0.22, 0.18, 0.1];
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) out.push(kinds[rng.pick(odds)]!());
  return out.join('\n\n') + '\n';
}

const LOG_FIELDS: readonly (readonly [key: string, values: readonly string[]])[] = [
  ['lr', ['0.001', '0.0003', '0.003', '0.0006']],
  ['batch', ['8', '12', '16', '32']],
  ['layers', ['2', '4', '6']],
  ['heads', ['2', '4', '6']],
  ['dropout', ['0', '0.1', '0.2']],
  ['steps', ['500', '1000', '2000', '5000']],
  ['loss', ['1.92', '2.05', '1.47', '0.93', '3.10', '1.21']],
  ['date', ['2024-03-02', '2024-11-19', '2025-01-27', '2025-06-08']],
];

/** A line of a training log: `Run 12: lr=0.001; batch=16; loss=1.92.` (some of the fields, in order). */
function trainingLogLine(rng: SeededRandom): string {
  const fields = LOG_FIELDS.filter(() => rng.next() < 0.6).map(([key, values]) => `${key}=${pickOne(values, rng)}`);
  if (fields.length === 0) fields.push(`lr=${pickOne(LOG_FIELDS[0]![1], rng)}`);
  return `Run ${1 + rng.int(60)}: ${fields.join('; ')}.`;
}

/** Where a field's value sits in a text: characters [start, end). */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** The copied fields of an order: the ones a model cannot guess and must read. */
export const COPIED_FIELDS = ['name', 'qty', 'date'] as const;
export type CopiedField = (typeof COPIED_FIELDS)[number];

/** An order told twice, with where each telling states each copied field. */
export interface OrderToldTwice {
  readonly text: string;
  readonly fields: OrderFields;
  /** Spans of name, qty and date in the first telling, then in the second. */
  readonly tellings: readonly [Readonly<Record<CopiedField, TextSpan>>, Readonly<Record<CopiedField, TextSpan>>];
}

/**
 * An order, then the same order confirmed in other words. Real text repeats what it has
 * said (names, numbers, dates): predicting the repeat teaches the model to copy from its
 * context, which answering "name=…; qty=…" from an order sentence needs. The spans let a
 * probe (`copyingProbe`) compare the model's loss on the first telling, which it can only
 * guess, with the second, which it can copy.
 */
export function orderToldTwice(rng: SeededRandom): OrderToldTwice {
  const fields = randomOrderFields(rng);
  const first = rng.int(ORDER_WORDINGS);
  const second = (first + 1 + rng.int(ORDER_WORDINGS - 1)) % ORDER_WORDINGS;
  const firstSentence = orderSentence(fields, first);
  const lead = `${firstSentence} ${pickOne(CONFIRMATIONS, rng)} `;
  const secondSentence = orderSentence(fields, second);
  return {
    text: lead + secondSentence,
    fields,
    tellings: [fieldSpans(firstSentence, fields, 0), fieldSpans(secondSentence, fields, lead.length)],
  };
}

/** Where name, qty and date sit in one order sentence, shifted by `offset`. */
function fieldSpans(sentence: string, fields: OrderFields, offset: number): Record<CopiedField, TextSpan> {
  const at = (needle: string, skip = 0): TextSpan => {
    const start = sentence.indexOf(needle);
    if (start === -1) throw new Error(`orderToldTwice: "${needle}" is not in "${sentence}".`);
    return { start: offset + start, end: offset + start + needle.length - skip };
  };
  return {
    name: at(fields.name),
    // The quantity is always followed by the colour ("3 blue"), which tells it from the date's digits.
    qty: at(`${fields.qty} ${fields.color}`, fields.color.length + 1),
    date: at(fields.date),
  };
}

function orderTwice(rng: SeededRandom): string {
  return orderToldTwice(rng).text;
}

const CONFIRMATIONS = ['Confirmed:', 'In the log:', 'That is,', 'Checked:'];

function repeat(count: number, draw: () => string): string[] {
  return Array.from({ length: count }, draw);
}

function joinOpener(opener: string, sentences: readonly string[]): string {
  return [opener, ...sentences].filter((s) => s !== '').join(' ');
}
