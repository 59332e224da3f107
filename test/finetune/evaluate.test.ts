/** Scoring answers, few-shot prompts, perplexity and the classification head. */
import * as tf from '../../src/tf';
import { useBackend } from '../../src/backend';
import { generateBaseCorpus } from '../../src/data';
import {
  CHAT_MARKERS,
  SequenceClassifier,
  classificationReport,
  fewShotPrompt,
  perplexity,
  scoreAnswer,
  splitRequest,
  trainClassifier,
  wordF1,
} from '../../src/finetune';
import { GPT, resolveConfig } from '../../src/model';
import { CharTokenizer } from '../../src/tokenizer';
import { tinyModel, tinySetup, weightsOf, maxWeightDifference } from '../helpers/tiny-gpt';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('wordF1', () => {
  it.each([
    ['NLP is a field of AI.', 'NLP is a field of AI.', 1],
    ['nlp IS a field of ai', 'NLP is a field of AI.', 1],
    ['', 'NLP is a field of AI.', 0],
    ['a field', 'NLP is a field of AI.', (2 * 1 * (2 / 6)) / (1 + 2 / 6)],
    ['the the the', 'the cat', (2 * (1 / 3) * (1 / 2)) / (1 / 3 + 1 / 2)], // repeated words count once per match
    ['dog', 'cat', 0],
  ])('wordF1(%j, %j) = %d', (prediction, reference, expected) => {
    expect(wordF1(prediction, reference)).toBeCloseTo(expected, 10);
  });
});

describe('scoreAnswer', () => {
  const reference = 'name=Maria; item=mug; color=blue; qty=3; date=2024-05-12';
  it.each([
    [reference, true, 1],
    ['name=Maria; item=mug; color=red; qty=3; date=2024-05-12', false, 0.8],
    ['qty=3; name=Maria', false, 0.4],
    ['Maria bought 3 blue mugs', false, 0],
  ])('%j: exact %s, fields %d', (answer, exact, fields) => {
    const score = scoreAnswer(answer, reference);
    expect(score.exact).toBe(exact);
    expect(score.fields).toBeCloseTo(fields, 10);
  });
});

describe('fewShotPrompt', () => {
  it('writes worked examples as plain text and leaves the last output open', () => {
    const examples = [
      { messages: [{ role: 'user' as const, content: 'What is NLP?' }, { role: 'assistant' as const, content: 'NLP is a field of AI.' }] },
    ];
    const request = splitRequest({ messages: [{ role: 'user', content: 'What is a token?' }, { role: 'assistant', content: 'A token is…' }] }).request;
    const prompt = fewShotPrompt(examples, request);
    expect(prompt).toBe('Input: What is NLP?\nOutput: NLP is a field of AI.\n\nInput: What is a token?\nOutput:');
    expect(prompt).not.toContain(CHAT_MARKERS.user); // a base model has never seen the template
  });
});

describe('perplexity', () => {
  it('is exp of the mean loss over the windows', () => {
    const setup = tinySetup();
    const model = tinyModel(setup);
    const T = setup.config.blockSize;
    const tokens = setup.val.subarray(0, 3 * T + 1);
    const loss = tf.tidy(() => {
      const inputs = tf.tensor2d(tokens.subarray(0, 3 * T), [3, T], 'int32');
      const targets = tf.tensor2d(tokens.subarray(1, 3 * T + 1), [3, T], 'int32');
      return model.loss(inputs, targets).dataSync()[0]!;
    });
    expect(perplexity(model, tokens, { batchSize: 2 })).toBeCloseTo(Math.exp(loss), 4);
  });

  it('of an untrained model is near the vocabulary size (it knows nothing)', () => {
    const setup = tinySetup();
    const ppl = perplexity(tinyModel(setup), setup.val);
    expect(ppl).toBeGreaterThan(0.7 * setup.tokenizer.vocabSize);
    expect(ppl).toBeLessThan(1.5 * setup.tokenizer.vocabSize);
  });
});

describe('classificationReport', () => {
  it('counts accuracy, per-class precision and recall, macro F1 and the confusion matrix', () => {
    const report = classificationReport(['neg', 'pos'], ['neg', 'neg', 'pos', 'pos'], ['neg', 'pos', 'pos', 'pos']);
    expect(report.accuracy).toBe(0.75);
    expect(report.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(report.perClass[0]).toMatchObject({ precision: 1, recall: 0.5 });
    expect(report.perClass[1]).toMatchObject({ precision: 2 / 3, recall: 1 });
    expect(report.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 10);
  });

  it('rejects a label it does not know', () => {
    expect(() => classificationReport(['a', 'b'], ['a'], ['c'])).toThrow(/'c' is not one of a, b/);
  });
});

describe('SequenceClassifier', () => {
  // The label is in the last word, which the last token's hidden state sees most directly.
  const texts = ['it was good', 'so nice', 'it was bad', 'so awful'];
  const data = Array.from({ length: 40 }, (_, i) => ({ text: `${'and '.repeat(i % 3)}${texts[i % 4]!}`, label: i % 4 < 2 ? 'pos' : 'neg' }));
  const tokenizer = CharTokenizer.fromText(data.map((d) => d.text).join(''));
  const config = resolveConfig('tiny', { vocabSize: tokenizer.vocabSize, blockSize: 32 });

  it('with a frozen body, trains only the head, and learns a separable task', async () => {
    const model = new GPT(config, { seed: 1 });
    const before = weightsOf(model);
    const classifier = new SequenceClassifier(model, ['neg', 'pos'], { seed: 2 });
    const { losses, trainableParameters } = await trainClassifier({ classifier, tokenizer, train: data, iters: 60, batchSize: 8, lr: 1e-2 });
    expect(trainableParameters).toBe(32 * 2 + 2);
    expect(maxWeightDifference(before, weightsOf(model))).toBe(0);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
    const predicted = classifier.predict(tokenizer, data.map((d) => d.text));
    expect(classificationReport(classifier.labels, data.map((d) => d.label), predicted).accuracy).toBeGreaterThanOrEqual(0.9);
    classifier.dispose();
  });

  it('says which training label it does not know', async () => {
    const classifier = new SequenceClassifier(new GPT(config, { seed: 1 }), ['neg', 'pos']);
    await expect(trainClassifier({ classifier, tokenizer, train: [{ text: 'good', label: 'meh' }], iters: 1 })).rejects.toThrow(
      /label 'meh', which is not one of the classifier's: neg, pos/,
    );
  });
});

describe('generateBaseCorpus', () => {
  const text = generateBaseCorpus({ paragraphs: 400, seed: 3 });
  it('never answers a request: no chat markers, no field lists', () => {
    for (const marker of Object.values(CHAT_MARKERS)) expect(text).not.toContain(marker);
    expect(text).not.toMatch(/\bname=|qty=/);
  });

  it('holds the four kinds of text, and is the same for the same seed', () => {
    expect(text).toMatch(/(The|A) (cat|dog) sat on the/);
    expect(text).toMatch(/NLP is a field of AI/);
    expect(text).toMatch(/ordered \d+ \w+ \w+ on 20\d\d-\d\d-\d\d\./);
    expect(generateBaseCorpus({ paragraphs: 400, seed: 3 })).toBe(text);
  });
});
