/**
 * `extract-fields`: a task with one right answer, so fine-tuning can be measured exactly.
 * The input is a sentence about an order, worded in one of several ways; the output is its
 * fields in a fixed format:
 *
 *     instruction: Extract the order details.
 *     input:       On 2024-05-12, Maria bought 3 blue mugs.
 *     output:      name=Maria; item=mug; color=blue; qty=3; date=2024-05-12
 *
 * A base model continues such a prompt with more prose; after a few hundred examples of
 * instruction tuning it answers in the format, and `exactMatch` tells right from wrong.
 * Sentences are drawn from a seed; no sentence occurs twice, so the test split holds only
 * sentences the model never trained on (same templates and words, new combinations).
 */
import { SeededRandom } from '../util/random';
import { distinctItems, pickOne } from './shuffle';

/** The instruction of every record: the task is always the same, only the input changes. */
export const EXTRACT_INSTRUCTION = 'Extract the order details.';

/** The fields of an order, in the order the answer lists them. */
export interface OrderFields {
  readonly name: string;
  /** Singular, as in the answer: "mug". */
  readonly item: string;
  readonly color: string;
  readonly qty: number;
  /** ISO 8601, YYYY-MM-DD. */
  readonly date: string;
}

/** An order sentence and its answer. */
export interface ExtractionExample {
  readonly input: string;
  readonly output: string;
}

const NAMES = [
  'Maria', 'Omar', 'Yuki', 'Lena', 'Tariq', 'Sofia', 'Chen', 'Amara', 'Diego', 'Ingrid',
  'Kofi', 'Priya', 'Mateo', 'Hana', 'Liam', 'Zara', 'Nikolai', 'Aisha', 'Tomas', 'Mei',
  'Jonas', 'Fatima', 'Ravi', 'Elena', 'Kwame', 'Sven', 'Lucia', 'Hiro', 'Nadia', 'Pablo',
];

/** Items with their plurals (not every plural is the singular plus "s"). */
const ITEMS: readonly (readonly [singular: string, plural: string])[] = [
  ['mug', 'mugs'], ['lamp', 'lamps'], ['notebook', 'notebooks'], ['scarf', 'scarves'],
  ['backpack', 'backpacks'], ['pen', 'pens'], ['chair', 'chairs'], ['teapot', 'teapots'],
  ['blanket', 'blankets'], ['umbrella', 'umbrellas'], ['candle', 'candles'], ['bottle', 'bottles'],
  ['towel', 'towels'], ['box', 'boxes'], ['brush', 'brushes'],
];

const COLORS = ['blue', 'red', 'green', 'black', 'white', 'yellow', 'grey', 'orange', 'purple', 'pink'];

/** The ways an order is worded. `{items}` is singular or plural to agree with `{qty}`. */
const SENTENCE_TEMPLATES = [
  '{name} ordered {qty} {color} {items} on {date}.',
  'On {date}, {name} bought {qty} {color} {items}.',
  '{name} placed an order for {qty} {color} {items} on {date}.',
  '{qty} {color} {items} {was} ordered by {name} on {date}.',
  'Order of {date}: {name} wants {qty} {color} {items}.',
  '{name} asked for {qty} {color} {items}; the order date is {date}.',
];

/** The answer format: `name=Maria; item=mug; color=blue; qty=3; date=2024-05-12`. */
export function formatOrderFields(fields: OrderFields): string {
  return `name=${fields.name}; item=${fields.item}; color=${fields.color}; qty=${fields.qty}; date=${fields.date}`;
}

/**
 * The fields of an answer in the format above, by name (`{ name: 'Maria', qty: '3', … }`),
 * to give partial credit field by field. Parts without an `=` are left out; a model's
 * answer is not trusted to be well formed.
 */
export function parseFieldList(answer: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of answer.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  return fields;
}

/** The default sizes of the two splits. */
export const EXTRACT_TRAIN_SIZE = 400;
export const EXTRACT_TEST_SIZE = 100;

/**
 * Distinct order sentences with their answers, drawn from `seed`: the first `train` for
 * training, the next `test` held out. No sentence is in both.
 */
export function generateExtractionDataset(
  seed: number,
  counts: { readonly train: number; readonly test: number } = { train: EXTRACT_TRAIN_SIZE, test: EXTRACT_TEST_SIZE },
): { readonly train: ExtractionExample[]; readonly test: ExtractionExample[] } {
  const examples = generateExtractionExamples(counts.train + counts.test, seed);
  return { train: examples.slice(0, counts.train), test: examples.slice(counts.train) };
}

/** `count` distinct order sentences with their answers, drawn from `seed`. */
function generateExtractionExamples(count: number, seed: number): ExtractionExample[] {
  const rng = new SeededRandom(seed);
  return distinctItems(count, (example) => example.input, () => randomOrder(rng));
}

/**
 * One order sentence and its answer, drawn from `rng` (a template, a name, an item, a
 * colour, a quantity and a date). The base corpus uses the sentences as plain text.
 */
export function randomOrder(rng: SeededRandom): ExtractionExample {
  const fields = randomOrderFields(rng);
  const sentence = orderSentence(fields, rng.int(SENTENCE_TEMPLATES.length));
  return { input: sentence, output: formatOrderFields(fields) };
}

/** The fields of a random order: an item, a name, a colour, a quantity and a date. */
export function randomOrderFields(rng: SeededRandom): OrderFields {
  const [singular] = pickOne(ITEMS, rng);
  return {
    name: pickOne(NAMES, rng),
    item: singular,
    color: pickOne(COLORS, rng),
    qty: 1 + rng.int(12),
    date: randomDate(rng),
  };
}

/** An order in words, with the `template`-th wording (0 … 5). */
export function orderSentence(fields: OrderFields, template: number): string {
  const [singular, plural] = ITEMS.find(([one]) => one === fields.item) ?? [fields.item, `${fields.item}s`];
  return SENTENCE_TEMPLATES[template % SENTENCE_TEMPLATES.length]!
    .replace('{name}', fields.name)
    .replace('{qty}', String(fields.qty))
    .replace('{color}', fields.color)
    .replace('{items}', fields.qty === 1 ? singular : plural)
    .replace('{was}', fields.qty === 1 ? 'was' : 'were')
    .replace('{date}', fields.date);
}

/** How many wordings an order has. */
export const ORDER_WORDINGS = SENTENCE_TEMPLATES.length;

/** A day in 2024 or 2025, as YYYY-MM-DD. */
function randomDate(rng: SeededRandom): string {
  const year = 2024 + rng.int(2);
  const month = 1 + rng.int(12);
  // Days in the month: day 0 of the next month is the last day of this one.
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = 1 + rng.int(days);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
