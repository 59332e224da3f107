/**
 * Instruction tuning, end to end: a pretrained model, a list of conversations, and one of
 * three ways of changing the model.
 *
 * - `full`: every weight trains. The best a small dataset can do, and the most memory: the
 *   optimizer keeps two more numbers per weight.
 * - `lora`: the base is frozen; small adapters A·B on chosen linear layers train (a percent
 *   or two of the parameters).
 * - `qlora`: as `lora`, with the frozen base's linear weights stored in 4 (or 8) bits and
 *   dequantized on the fly.
 *
 * All three run the same training loop (`train`) on the same batches: the chat template,
 * with the loss on the answer tokens only (`maskPrompt`). What differs is the list of
 * variables the optimizer updates, and what is saved.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Conversation } from '../data';
import { type GPT, countParameters } from '../model';
import type { Tokenizer } from '../tokenizer';
import { type TrainOptions, type TrainResult, train } from '../train';
import { adapterFiles } from './adapter-files';
import { writeFinetuneInfo, type FinetuneMethod } from './finetuned-checkpoint';
import { encodeForTraining, type EncodedExample } from './instruct';
import { exampleBatches } from './instruction-batches';
import { type LoraAdapters, addLora } from './lora';
import type { LoraConfig } from './lora-config';
import { type QuantizedModel, type WeightMemoryReport, quantizeModel, weightMemory } from './qlora';

/** LoRA's settings when none are given: rank 8, alpha 16, on attention and MLP. */
export const DEFAULT_LORA: LoraConfig = { rank: 8, alpha: 16, dropout: 0, targets: ['attn', 'mlp'] };

export interface FinetuneOptions
  extends Omit<TrainOptions, 'model' | 'train' | 'val' | 'trainable' | 'checkpointFiles' | 'checkpointDir' | 'tokenizer' | 'resume' | 'stopAfter'> {
  /** The pretrained model; `full` changes its weights in place, `lora`/`qlora` add to it. */
  readonly model: GPT;
  readonly tokenizer: Tokenizer;
  readonly method: FinetuneMethod;
  /** Conversations to learn from (each ends with the assistant's answer). */
  readonly train: readonly Conversation[];
  /** Held-out conversations for the validation loss. @default none */
  readonly val?: readonly Conversation[];
  /** LoRA's rank, alpha, dropout and targets (`lora`, `qlora`). @default DEFAULT_LORA */
  readonly lora?: LoraConfig;
  /** Bits of the quantized base (`qlora`): 4 is NF4, 8 is int8. @default 4 */
  readonly bits?: 4 | 8;
  /** Count only the answer tokens in the loss. @default true */
  readonly maskPrompt?: boolean;
  /**
   * Positions per training row: the longest encoded conversation, at most the model's
   * blockSize (shorter rows are less work than padding every example to the full context).
   * @default the longest example
   */
  readonly rowLength?: number;
  /**
   * Save the result here: the whole model (`full`) or the adapters (`lora`, `qlora`), with
   * `finetune.json` saying how to load it. Written as training goes. @default not saved
   */
  readonly out?: string;
  /** The base checkpoint's folder, recorded in `finetune.json` so adapters can find it. */
  readonly baseCheckpoint?: string;
}

export interface FinetuneResult {
  readonly method: FinetuneMethod;
  readonly model: GPT;
  /** The adapters (`lora`, `qlora`), attached to `model`. */
  readonly adapters?: LoraAdapters;
  /** The quantized base (`qlora`). */
  readonly quantized?: QuantizedModel;
  readonly training: TrainResult;
  /** Numbers the optimizer updated. */
  readonly trainableParameters: number;
  /** trainable / (model + adapters) × 100. */
  readonly trainablePercent: number;
  /** Bytes of the model's weights, as stored during training. */
  readonly memory: WeightMemoryReport;
  /** Conversations longer than a row, whose end was cut off. */
  readonly truncatedExamples: number;
  /** Positions per training row. */
  readonly rowLength: number;
}

/** Fine-tunes `model` on conversations with the chosen method. */
export async function finetune(options: FinetuneOptions): Promise<FinetuneResult> {
  const { model, tokenizer, method } = options;
  if (method !== 'full' && method !== 'lora' && method !== 'qlora') {
    throw new RangeError(`finetune: method must be 'full', 'lora' or 'qlora', got ${JSON.stringify(method)}.`);
  }
  if (options.train.length === 0) throw new RangeError('finetune: there are no training conversations.');
  const rowLength = options.rowLength ?? longestExample(options.train, tokenizer, model.config.blockSize);
  const encode = (conversations: readonly Conversation[]): EncodedExample[] =>
    conversations.map((c) => encodeForTraining(c, tokenizer, { blockSize: rowLength, maskPrompt: options.maskPrompt ?? true }));
  const trainExamples = encode(options.train);
  const valExamples = options.val && options.val.length > 0 ? encode(options.val) : undefined;

  let quantized: QuantizedModel | undefined;
  let adapters: LoraAdapters | undefined;
  if (method === 'qlora') quantized = quantizeModel(model, { bits: options.bits ?? 4 });
  if (method !== 'full') adapters = addLora(model, options.lora ?? DEFAULT_LORA, { seed: options.seed ?? 1337 });
  const trainable = adapters?.variables ?? model.params;
  const trainableParameters = [...trainable.values()].reduce((n, v) => n + v.size, 0);
  const total = countParameters(model.config) + (adapters ? trainableParameters : 0);

  if (options.out) {
    fs.mkdirSync(options.out, { recursive: true });
    writeFinetuneInfo(options.out, {
      method,
      base: options.baseCheckpoint ? path.relative(path.resolve(options.out), path.resolve(options.baseCheckpoint)) : undefined,
      bits: quantized?.bits,
      rowLength,
      maskPrompt: options.maskPrompt ?? true,
    });
  }
  const training = await train({
    ...options,
    model,
    tokenizer,
    train: exampleBatches(trainExamples),
    val: valExamples ? exampleBatches(valExamples) : undefined,
    trainable,
    checkpointDir: options.out,
    checkpointFiles: adapters ? () => adapterFiles(adapters) : undefined,
  });
  return {
    method,
    model,
    adapters,
    quantized,
    training,
    trainableParameters,
    trainablePercent: (100 * trainableParameters) / total,
    memory: weightMemory(model),
    truncatedExamples: trainExamples.filter((e) => e.truncated).length,
    rowLength,
  };
}

/** Tokens in the longest conversation (inputs: one fewer), capped at blockSize. */
function longestExample(conversations: readonly Conversation[], tokenizer: Tokenizer, blockSize: number): number {
  let longest = 1;
  for (const c of conversations) {
    longest = Math.max(longest, encodeForTraining(c, tokenizer, { blockSize, maskPrompt: false }).length);
  }
  return Math.min(blockSize, longest);
}
