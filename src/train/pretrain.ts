/**
 * Pretraining from a text file, end to end: read the corpus, build the tokenizer, split
 * train/validation, build the model, train with checkpoints. This is what
 * `llm-lab pretrain` runs; notebooks call the same function.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextCorpus, splitTrainVal } from '../data';
import { GPT, type GPTConfig, type GPTPresetName, loadCheckpoint, resolveConfig } from '../model';
import { BpeTokenizer, CharTokenizer, Gpt2Tokenizer, type Tokenizer } from '../tokenizer';
import { type TrainCallbacks, type TrainOptions, type TrainResult, TRAINER_FILES, train } from './trainer';

export type TokenizerChoice = 'char' | 'bpe' | 'gpt2';

export interface PretrainOptions
  extends Omit<TrainOptions, 'model' | 'train' | 'val' | 'checkpointDir' | 'tokenizer' | 'callbacks'> {
  /** Path of a UTF-8 text file. */
  readonly corpus: string;
  /** Which tokenizer to build. @default 'char' */
  readonly tokenizer?: TokenizerChoice;
  /** Vocabulary size of a trained BPE tokenizer. @default 512 */
  readonly bpeVocabSize?: number;
  /**
   * Strings a BPE tokenizer keeps whole, one token each, never produced by ordinary text —
   * for a base model that will be instruction-tuned, the chat markers (`CHAT_SPECIAL_TOKENS`).
   * They get a place in the vocabulary now; fine-tuning teaches what they mean. @default none
   */
  readonly specialTokens?: readonly string[];
  /** Model size. @default 'baby' */
  readonly preset?: GPTPresetName;
  /** Changes to the preset (blockSize, nLayer, …). */
  readonly modelOverrides?: Partial<Omit<GPTConfig, 'vocabSize'>>;
  /** Fraction of the corpus (its end) held out for validation. @default 0.1 */
  readonly valFraction?: number;
  /** The checkpoint folder. */
  readonly out: string;
  readonly callbacks?: TrainCallbacks;
}

export interface PretrainResult {
  readonly model: GPT;
  readonly tokenizer: Tokenizer;
  readonly result: TrainResult;
}

/** Builds the tokenizer a corpus asks for. */
export function buildTokenizer(kind: TokenizerChoice, text: string, bpeVocabSize = 512, specialTokens: readonly string[] = []): Tokenizer {
  if (specialTokens.length > 0 && kind !== 'bpe') {
    throw new RangeError(`Special tokens need the bpe tokenizer (got '${kind}'): only a trained BPE vocabulary can reserve them.`);
  }
  switch (kind) {
    case 'char':
      return CharTokenizer.fromText(text);
    case 'bpe':
      return BpeTokenizer.train(text, { vocabSize: bpeVocabSize, specialTokens });
    case 'gpt2':
      return new Gpt2Tokenizer();
    default:
      throw new RangeError(`Unknown tokenizer '${String(kind)}'. Choose char, bpe or gpt2.`);
  }
}

/**
 * Pretrains a GPT on a text file. With `resume: true` and a checkpoint in `out` that
 * training wrote, it continues from there (same model, tokenizer and optimizer state).
 */
export async function pretrain(options: PretrainOptions): Promise<PretrainResult> {
  const text = readTextCorpus(options.corpus);
  const resuming = options.resume === true;
  if (resuming && !fs.existsSync(path.join(options.out, TRAINER_FILES.state))) {
    throw new Error(`Cannot resume: ${options.out} holds no training checkpoint (no ${TRAINER_FILES.state}). Drop --resume to start afresh.`);
  }
  let model: GPT;
  let tokenizer: Tokenizer;
  if (resuming) {
    ({ model, tokenizer } = loadCheckpoint(options.out));
  } else {
    tokenizer = buildTokenizer(options.tokenizer ?? 'char', text, options.bpeVocabSize, options.specialTokens);
    const config = resolveConfig(options.preset ?? 'baby', { ...options.modelOverrides, vocabSize: tokenizer.vocabSize });
    model = new GPT(config, { seed: options.seed ?? 1337 });
  }
  const { train: trainTokens, val } = splitTrainVal(tokenizer.encode(text), { valFraction: options.valFraction ?? 0.1 });
  const result = await train({
    ...options,
    model,
    tokenizer,
    train: trainTokens,
    val,
    checkpointDir: options.out,
  });
  return { model, tokenizer, result };
}
