/**
 * The course's own fine-tuning datasets, generated from a seed by the code beside this file
 * and committed in `data/` (see `data/README.md`), each with a training and a test split:
 *
 *   qa-terms        questions about AI terms and their definitions   chat-style JSONL
 *   extract-fields  order sentences → "name=…; item=…; …"           Alpaca-style JSONL
 *   domain          synthetic contract clauses                      plain text
 *   sentiment       product reviews labelled by sentiment            {"text", "label"} JSONL
 *
 * The files are generated, not hand-edited: to change a dataset, change its generator and
 * run `writeCourseDatasets()` (a test checks that the committed files are exactly what the
 * generators produce, so the two cannot drift apart).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { generateDomainCorpus } from './domain-corpus';
import { EXTRACT_INSTRUCTION, generateExtractionDataset } from './extract-fields';
import { formatJsonl } from './jsonl';
import { generateQaTerms } from './qa-terms';
import { generateSentimentDataset } from './sentiment';

/** The seed the committed files were generated with. */
export const COURSE_DATASET_SEED = 1234;

/** The course datasets, by name. */
export const COURSE_DATASETS = ['qa-terms', 'extract-fields', 'domain', 'sentiment'] as const;
export type CourseDatasetName = (typeof COURSE_DATASETS)[number];

/** The part of a dataset: the model learns from `train` and is measured on `test`. */
export type DatasetSplit = 'train' | 'test';

/**
 * The absolute path of the project's `data/` folder, found from this file's own folder so
 * it works from any working directory, from `src/data` and from the built `dist/data`.
 */
export const courseDataDirectory: string = path.resolve(__dirname, '..', '..', 'data');

/** `qa-terms.train.jsonl`, `domain.test.txt`, …: the domain corpus is plain text. */
export function courseDatasetFileName(name: CourseDatasetName, split: DatasetSplit): string {
  if (!(COURSE_DATASETS as readonly string[]).includes(name)) {
    throw new RangeError(`There is no course dataset '${name}'; the course datasets are ${COURSE_DATASETS.join(', ')}.`);
  }
  if (split !== 'train' && split !== 'test') {
    throw new RangeError(`A course dataset has the splits 'train' and 'test', not '${split}'.`);
  }
  return `${name}.${split}.${name === 'domain' ? 'txt' : 'jsonl'}`;
}

/**
 * Where a course dataset's split is: `courseDatasetPath('qa-terms', 'train')` is the file to
 * pass to `readInstructionDataset`; the domain corpus is read with `readTextCorpus`.
 */
export function courseDatasetPath(name: CourseDatasetName, split: DatasetSplit): string {
  return path.join(courseDataDirectory, courseDatasetFileName(name, split));
}

/** The checkpoints the course ships in `data/checkpoints/` (data/README.md says how each was made). */
export type CourseCheckpointName = 'base' | 'qa-terms-lora' | 'extract-fields-lora';

/**
 * Where a shipped checkpoint is: `base` (the pretrained model the fine-tuning lessons start
 * from) and tuned adapters on top of it (`loadFinetuned` loads them with their base).
 */
export function courseCheckpointPath(name: CourseCheckpointName): string {
  return path.join(courseDataDirectory, 'checkpoints', name);
}

/** The plain text the base checkpoint was pretrained on (`generateBaseCorpus()`, seed 1234). */
export const baseCorpusPath: string = path.join(courseDataDirectory, 'base-corpus.txt');

/**
 * Every course dataset file, generated from `seed`: file name → contents. The same seed
 * always gives the same files, byte for byte.
 */
export function generateCourseDatasets(seed: number = COURSE_DATASET_SEED): Map<string, string> {
  const files = new Map<string, string>();
  const add = (name: CourseDatasetName, split: DatasetSplit, contents: string): void => {
    files.set(courseDatasetFileName(name, split), contents);
  };

  const qa = generateQaTerms(seed);
  for (const split of ['train', 'test'] as const) {
    add('qa-terms', split, formatJsonl(qa[split].map(({ question, answer }) => ({
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: answer },
      ],
    }))));
  }

  const extraction = generateExtractionDataset(seed);
  for (const split of ['train', 'test'] as const) {
    add('extract-fields', split, formatJsonl(extraction[split].map(({ input, output }) => ({
      instruction: EXTRACT_INSTRUCTION,
      input,
      output,
    }))));
  }

  const domain = generateDomainCorpus(seed);
  add('domain', 'train', domain.train);
  add('domain', 'test', domain.test);

  const sentiment = generateSentimentDataset(seed);
  for (const split of ['train', 'test'] as const) {
    add('sentiment', split, formatJsonl(sentiment[split].map(({ text, label }) => ({ text, label }))));
  }
  return files;
}

/**
 * Generates every course dataset and writes it into `directory` (the project's `data/` by
 * default); returns the paths written. After a build, from the project folder:
 *
 *     node -e "require('./dist/data').writeCourseDatasets()"
 */
export function writeCourseDatasets(directory: string = courseDataDirectory, seed: number = COURSE_DATASET_SEED): string[] {
  fs.mkdirSync(directory, { recursive: true });
  const written: string[] = [];
  for (const [fileName, contents] of generateCourseDatasets(seed)) {
    const filePath = path.join(directory, fileName);
    fs.writeFileSync(filePath, contents, 'utf8');
    written.push(filePath);
  }
  return written;
}
