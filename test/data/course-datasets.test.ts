import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AI_GLOSSARY,
  COURSE_DATASETS,
  COURSE_DATASET_SEED,
  type Conversation,
  EXTRACT_INSTRUCTION,
  QA_HELD_OUT_TEMPLATES,
  QA_TRAIN_TEMPLATES,
  askAbout,
  courseDataDirectory,
  courseDatasetFileName,
  courseDatasetPath,
  formatOrderFields,
  generateCourseDatasets,
  parseFieldList,
  readInstructionDataset,
  readLabelledDataset,
  readTextCorpus,
} from '../../src/data';
import { exactMatch } from '../../src/finetune';

const generated = generateCourseDatasets();

function question(conversation: Conversation): string {
  return conversation.messages.find((m) => m.role === 'user')!.content;
}
function answer(conversation: Conversation): string {
  return conversation.messages.find((m) => m.role === 'assistant')!.content;
}
/** The agreements of a domain corpus text, without their numbered headings. */
function agreementBodies(text: string): string[] {
  return text.trimEnd().split('\n\n').map((agreement) => agreement.slice(agreement.indexOf('\n') + 1));
}

describe('the committed course datasets', () => {
  it('are exactly what the generators produce from the course seed (regenerate with writeCourseDatasets)', () => {
    expect(generated.size).toBe(COURSE_DATASETS.length * 2);
    for (const [fileName, contents] of generated) {
      const committed = fs.readFileSync(path.join(courseDataDirectory, fileName), 'utf8');
      // Not toBe(contents): a mismatch would print two 200 KB strings.
      expect({ fileName, upToDate: committed === contents }).toEqual({ fileName, upToDate: true });
    }
  });

  it('are listed in data/README.md with their seed', () => {
    const readme = fs.readFileSync(path.join(courseDataDirectory, 'README.md'), 'utf8');
    for (const fileName of generated.keys()) expect(readme).toContain(`\`${fileName}\``);
    expect(readme).toContain(`seed ${COURSE_DATASET_SEED}`);
  });

  it('are deterministic per seed', () => {
    const again = generateCourseDatasets(COURSE_DATASET_SEED);
    const other = generateCourseDatasets(COURSE_DATASET_SEED + 1);
    for (const [fileName, contents] of generated) {
      expect(again.get(fileName) === contents).toBe(true);
      expect(other.get(fileName) === contents).toBe(false);
    }
  });

  it('are found by name and split', () => {
    expect(courseDatasetFileName('qa-terms', 'train')).toBe('qa-terms.train.jsonl');
    expect(courseDatasetFileName('domain', 'test')).toBe('domain.test.txt');
    expect(fs.existsSync(courseDatasetPath('sentiment', 'test'))).toBe(true);
    expect(() => courseDatasetFileName('qa' as 'qa-terms', 'train')).toThrow(/no course dataset 'qa'.*qa-terms, extract-fields, domain, sentiment/);
    expect(() => courseDatasetFileName('qa-terms', 'val' as 'test')).toThrow(/splits 'train' and 'test', not 'val'/);
  });
});

describe('qa-terms', () => {
  const train = readInstructionDataset(courseDatasetPath('qa-terms', 'train'));
  const test = readInstructionDataset(courseDatasetPath('qa-terms', 'test'));
  const seen = AI_GLOSSARY.filter((term) => !term.heldOut);
  const unseen = AI_GLOSSARY.filter((term) => term.heldOut);

  it('asks about at least 40 seen terms, six wordings each, and holds out six terms', () => {
    expect(seen.length).toBeGreaterThanOrEqual(40);
    expect(unseen).toHaveLength(6);
    expect(train).toHaveLength(seen.length * QA_TRAIN_TEMPLATES.length);
    expect(test).toHaveLength(seen.length * QA_HELD_OUT_TEMPLATES.length + unseen.length * (1 + QA_HELD_OUT_TEMPLATES.length));
    expect(new Set(AI_GLOSSARY.map((term) => term.name)).size).toBe(AI_GLOSSARY.length);
  });

  it('answers in the style "Q: What is NLP? A: NLP is …"', () => {
    const nlp = train.find((c) => question(c) === 'What is NLP?');
    expect(answer(nlp!)).toBe('NLP is a field of AI that processes human language.');
    for (const term of AI_GLOSSARY) {
      expect(term.definition.startsWith(term.phrase.charAt(0).toUpperCase() + term.phrase.slice(1) + ' is ')).toBe(true);
    }
  });

  it('never asks a test question in training, nor with a held-out wording', () => {
    const trainQuestions = new Set(train.map(question));
    expect(test.filter((c) => trainQuestions.has(question(c)))).toEqual([]);
    const heldOutWordings = AI_GLOSSARY.flatMap((term) => QA_HELD_OUT_TEMPLATES.map((t) => askAbout(t, term)));
    expect(heldOutWordings.filter((q) => trainQuestions.has(q))).toEqual([]);
  });

  it('tests seen terms with new wordings, and unseen terms the training set never mentions', () => {
    const trainAnswers = new Set(train.map(answer));
    for (const term of seen) {
      expect(trainAnswers.has(term.definition)).toBe(true);
      const asked = test.filter((c) => answer(c) === term.definition).map(question);
      expect(asked.sort()).toEqual(QA_HELD_OUT_TEMPLATES.map((t) => askAbout(t, term)).sort());
    }
    const trainText = train.map((c) => `${question(c)} ${answer(c)}`).join('\n');
    for (const term of unseen) {
      expect(trainAnswers.has(term.definition)).toBe(false);
      expect(trainText.includes(term.name)).toBe(false);
      expect(test.filter((c) => answer(c) === term.definition)).toHaveLength(1 + QA_HELD_OUT_TEMPLATES.length);
    }
  });
});

describe('extract-fields', () => {
  const train = readInstructionDataset(courseDatasetPath('extract-fields', 'train'));
  const test = readInstructionDataset(courseDatasetPath('extract-fields', 'test'));
  const sentence = (c: Conversation): string => question(c).slice(`${EXTRACT_INSTRUCTION}\n\n`.length);

  it('has 400 training and 100 held-out sentences, none in both', () => {
    expect(train).toHaveLength(400);
    expect(test).toHaveLength(100);
    const trainSentences = new Set(train.map(sentence));
    expect(trainSentences.size).toBe(400);
    expect(test.filter((c) => trainSentences.has(sentence(c)))).toEqual([]);
  });

  it('answers in the fixed format, with fields taken from the sentence', () => {
    for (const c of [...train, ...test]) {
      expect(question(c).startsWith(`${EXTRACT_INSTRUCTION}\n\n`)).toBe(true);
      const output = answer(c);
      expect(output).toMatch(/^name=[A-Z][a-z]+; item=[a-z]+; color=[a-z]+; qty=\d{1,2}; date=\d{4}-\d{2}-\d{2}$/);
      const fields = parseFieldList(output);
      const input = sentence(c);
      for (const key of ['name', 'color', 'date']) expect(input).toContain(fields.get(key));
      // The item is singular in the answer; the sentence may have its plural ("scarf", "scarves").
      expect(input).toContain(fields.get('item')!.slice(0, -1));
      expect(input).toMatch(new RegExp(`(^|\\s)${fields.get('qty')} `));
    }
  });

  it('can be checked with exactMatch: the answer round-trips, a wrong field does not match', () => {
    const output = answer(test[0]!);
    const fields = parseFieldList(output);
    const rebuilt = formatOrderFields({
      name: fields.get('name')!,
      item: fields.get('item')!,
      color: fields.get('color')!,
      qty: Number(fields.get('qty')),
      date: fields.get('date')!,
    });
    expect(exactMatch(` ${rebuilt}\n`, output)).toBe(true);
    expect(exactMatch(output.replace(/qty=\d+/, 'qty=99'), output)).toBe(false);
  });
});

describe('domain', () => {
  const train = readTextCorpus(courseDatasetPath('domain', 'train'));
  const test = readTextCorpus(courseDatasetPath('domain', 'test'));

  it('is a few hundred KB of agreements, 150 to train on and 25 held out', () => {
    expect(Buffer.byteLength(train) + Buffer.byteLength(test)).toBeLessThan(300_000);
    expect(agreementBodies(train)).toHaveLength(150);
    expect(agreementBodies(test)).toHaveLength(25);
    expect(test).toMatch(/^[A-Z ]+ NO\. 151\n1\. This Agreement /);
  });

  it('holds out agreements that are not in the training part', () => {
    const trainBodies = new Set(agreementBodies(train));
    expect(agreementBodies(test).filter((body) => trainBodies.has(body))).toEqual([]);
  });
});

describe('sentiment', () => {
  const train = readLabelledDataset(courseDatasetPath('sentiment', 'train'));
  const test = readLabelledDataset(courseDatasetPath('sentiment', 'test'));

  it('has three balanced labels in each split', () => {
    for (const [split, size] of [[train, 600], [test, 150]] as const) {
      expect(split.labels).toEqual(['negative', 'neutral', 'positive']);
      expect(split.examples).toHaveLength(size);
      for (const label of split.labels) {
        expect(split.examples.filter((e) => e.label === label)).toHaveLength(size / 3);
      }
    }
  });

  it('never repeats a review, within or across the splits', () => {
    const all = [...train.examples, ...test.examples].map((e) => e.text);
    expect(new Set(all).size).toBe(all.length);
  });
});
