/**
 * `sentiment`: short product reviews labelled `positive`, `negative` or `neutral`, for
 * classification (a classification head on a pretrained model, or an instruction-tuned
 * model asked for the label).
 *
 * Reviews are assembled from phrases written for this project. Most carry their sentiment
 * in plain words ("broke after a week"); some are built to need more than one word to read
 * right: a contrast ("The price is high, but the kettle is excellent.") or a negation
 * ("not bad at all"). Labels are balanced: each split has the same number of each. No
 * review occurs twice, so the test split holds only reviews the model never trained on.
 */
import { SeededRandom } from '../util/random';
import type { LabelledText } from './labelled-text';
import { distinctItems, pickOne, shuffleInPlace } from './shuffle';

/** The classes, in the order `readLabelledDataset` sorts them. */
export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

const PRODUCTS = [
  'kettle', 'speaker', 'backpack', 'desk lamp', 'blender', 'phone case', 'desk chair',
  'water bottle', 'umbrella', 'keyboard', 'rain jacket', 'toaster', 'coffee grinder', 'tent',
];
const ASPECTS = ['price', 'design', 'delivery', 'packaging', 'size', 'colour', 'build quality', 'manual'];
const OPENERS = ['I bought this {product} last month.', 'This is my second {product}.', 'Got this {product} as a gift.', 'We use the {product} every day.', ''];

/** How the product itself is described, by sentiment. `{product}` is filled in. */
const VERDICTS: Readonly<Record<SentimentLabel, readonly string[]>> = {
  positive: [
    'The {product} works perfectly.', 'I love this {product}.', 'The {product} is worth every penny.',
    'The {product} exceeded my expectations.', 'The {product} is sturdy and well made.',
    'Honestly, the {product} is not bad at all.', 'I would happily buy this {product} again.',
  ],
  negative: [
    'The {product} broke after a week.', 'The {product} is a waste of money.',
    'The {product} fell apart after two days.', 'The {product} feels flimsy and cheap.',
    'I regret buying this {product}.', 'The {product} is not worth the money.',
    'I would not recommend this {product} to anyone.',
  ],
  neutral: [
    'The {product} does what it says.', 'The {product} is okay for what it is.',
    'The {product} is neither great nor terrible.', 'The {product} is about average.',
    'The {product} works as described, nothing special.', 'The {product} is fine, I suppose.',
    'I have no strong feelings about the {product}.',
  ],
};

/** A remark on one aspect, by sentiment: `{aspect}` is filled in. */
const REMARKS: Readonly<Record<SentimentLabel, readonly string[]>> = {
  positive: ['The {aspect} is great.', 'Really happy with the {aspect}.', 'The {aspect} is excellent.'],
  negative: ['The {aspect} is poor.', 'Very unhappy with the {aspect}.', 'The {aspect} is a letdown.'],
  neutral: ['The {aspect} is as expected.', 'The {aspect} is fine.', 'Nothing to say about the {aspect}.'],
};

/** A contrast: a remark of the other sentiment first, then the verdict that decides the label. */
const CONTRASTS: Readonly<Record<'positive' | 'negative', readonly string[]>> = {
  positive: ['The {aspect} is not great, but overall the {product} is excellent.', 'The {aspect} could be better, yet I really like the {product}.'],
  negative: ['The {aspect} is nice, but the {product} broke within a month.', 'The {aspect} looks good, but the {product} itself is useless.'],
};

/** The default sizes of the two splits. */
export const SENTIMENT_TRAIN_SIZE = 600;
export const SENTIMENT_TEST_SIZE = 150;

/**
 * Distinct reviews drawn from `seed`, split in two: a third of each split is each label,
 * and no review is in both. Each split is shuffled. The counts must be multiples of 3.
 */
export function generateSentimentDataset(
  seed: number,
  counts: { readonly train: number; readonly test: number } = { train: SENTIMENT_TRAIN_SIZE, test: SENTIMENT_TEST_SIZE },
): { readonly train: LabelledText[]; readonly test: LabelledText[] } {
  const perLabel = { train: counts.train / SENTIMENT_LABELS.length, test: counts.test / SENTIMENT_LABELS.length };
  if (!Number.isInteger(perLabel.train) || !Number.isInteger(perLabel.test) || perLabel.train < 1 || perLabel.test < 1) {
    throw new RangeError(
      `generateSentimentDataset: the split sizes must be positive multiples of ${SENTIMENT_LABELS.length} ` +
        `(the same number of each label), got train ${counts.train} and test ${counts.test}.`,
    );
  }
  const rng = new SeededRandom(seed);
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  for (const label of SENTIMENT_LABELS) {
    // Drawn together and then cut, so that no review can be in both splits.
    const reviews = distinctItems(perLabel.train + perLabel.test, (text) => text, () => review(label, rng));
    train.push(...reviews.slice(0, perLabel.train).map((text) => ({ text, label })));
    test.push(...reviews.slice(perLabel.train).map((text) => ({ text, label })));
  }
  return { train: shuffleInPlace(train, rng), test: shuffleInPlace(test, rng) };
}

/** One review with the given sentiment, drawn from `rng` (the base corpus uses them as plain text). */
export function review(label: SentimentLabel, rng: SeededRandom): string {
  const product = pickOne(PRODUCTS, rng);
  const aspect = pickOne(ASPECTS, rng);
  const fill = (template: string): string => template.replaceAll('{product}', product).replaceAll('{aspect}', aspect);
  const opener = fill(pickOne(OPENERS, rng));
  // One review in five (not for neutral) is a contrast, which a bag of words reads wrong.
  const body =
    label !== 'neutral' && rng.int(5) === 0
      ? fill(pickOne(CONTRASTS[label], rng))
      : `${fill(pickOne(VERDICTS[label], rng))} ${fill(pickOne(REMARKS[label], rng))}`;
  return opener === '' ? body : `${opener} ${body}`;
}
