/**
 * A tiny GPT and its character tokenizer, built from the synthetic corpus: what the training,
 * generation and CLI tests share. Everything is seeded, so every test sees the same model.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSyntheticCorpus, splitTrainVal } from '../../src/data';
import { GPT, type GPTConfig, resolveConfig } from '../../src/model';
import { CharTokenizer } from '../../src/tokenizer';

export interface TinySetup {
  readonly text: string;
  readonly tokenizer: CharTokenizer;
  readonly config: GPTConfig;
  readonly train: Int32Array;
  readonly val: Int32Array;
}

/** Sentences of the synthetic grammar ("The cat sat on the mat.\n…"), seeded. */
export function syntheticText(sentences = 300, seed = 1): string {
  return generateSyntheticCorpus({ sentences, seed });
}

/** The synthetic corpus, a character tokenizer over it, the tiny preset's config and a 90/10 split. */
export function tinySetup(options: { sentences?: number; seed?: number; config?: Partial<GPTConfig> } = {}): TinySetup {
  const text = syntheticText(options.sentences, options.seed);
  const tokenizer = CharTokenizer.fromText(text);
  const config = resolveConfig('tiny', { ...options.config, vocabSize: tokenizer.vocabSize });
  const { train, val } = splitTrainVal(tokenizer.encode(text), { valFraction: 0.1 });
  return { text, tokenizer, config, train, val };
}

/** A fresh model of the setup's config with seeded weights. */
export function tinyModel(setup: TinySetup, seed = 7): GPT {
  return new GPT(setup.config, { seed });
}

/** A new empty folder under the system's temp folder. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `llm-lab-${prefix}-`));
}

/** Every parameter's values, by name (to compare two models). */
export function weightsOf(model: GPT): Map<string, Float32Array> {
  return new Map([...model.params].map(([name, p]) => [name, Float32Array.from(p.dataSync())]));
}

/** The largest absolute difference between two same-shaped sets of weights. */
export function maxWeightDifference(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): number {
  let worst = 0;
  for (const [name, values] of a) {
    const other = b.get(name);
    if (!other || other.length !== values.length) return Infinity;
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i]! - other[i]!));
  }
  if (a.size !== b.size) return Infinity;
  return worst;
}
