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
import { CHAT_MARKERS, encodeForTraining, type EncodedExample } from './instruct';
import { exampleBatches } from './instruction-batches';
import { type LoraAdapters, addLora } from './lora';
import type { LoraConfig } from './lora-config';
import { TRAINABLE_TOKENS_FILE, type TrainableTokens, addTrainableTokens } from './trainable-tokens';
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
  /**
   * Tokens whose embedding rows train too (`lora`, `qlora`; `full` trains every row anyway).
   * Each must be one token of the tokenizer. New tokens the base never read need this: LoRA
   * alone cannot teach the model what `<|end|>` means (see trainable-tokens.ts).
   * @default the chat markers, where the tokenizer has them as single tokens; none when the
   * LoRA config adapts the embedding (`embeddingRank`), whose change reaches every row
   */
  readonly trainTokens?: readonly string[];
  /** Bits of the quantized base (`qlora`): 4 is NF4, 8 is int8. @default 4 */
  readonly bits?: 4 | 8;
  /** Count only the answer tokens in the loss. @default true */
  readonly maskPrompt?: boolean;
  /**
   * `full` only: which of the model's weights train, by name; the others stay as the base
   * has them. E.g. `(name) => /\.(c_attn|c_proj|c_fc)\.weight$/.test(name)` trains every
   * linear layer at full rank and freezes the embeddings and layer norms (to ask whether what
   * an adapter lacks is rank, or the place it sits). @default every weight
   */
  readonly trainOnly?: (parameterName: string) => boolean;
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
  /** The embedding rows that trained beside the adapters (`lora`, `qlora`). */
  readonly trainableTokens?: TrainableTokens;
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
  let tokens: TrainableTokens | undefined;
  if (method !== 'full') {
    adapters = addLora(model, options.lora ?? DEFAULT_LORA, { seed: options.seed ?? 1337 });
    // An embedding adapter already reaches every row, the chat markers' included: by default
    // no separate marker rows then.
    const markersByDefault = adapters.config.embeddingRank === 0;
    const ids = options.trainTokens || markersByDefault ? tokenIdsOf(options.trainTokens, tokenizer) : [];
    if (ids.length > 0) tokens = addTrainableTokens(model, ids);
  }
  if (options.trainOnly && method !== 'full') {
    throw new RangeError(`finetune: trainOnly picks which of the model's own weights train, so it needs method 'full' (got '${method}': its adapters are what trains).`);
  }
  const trainable = adapters ? new Map([...adapters.variables, ...(tokens?.variables ?? [])]) : pickWeights(model, options.trainOnly);
  const trainableParameters = [...trainable.values()].reduce((n, v) => n + v.size, 0);

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
    checkpointFiles: adapters ? () => withTokens(adapterFiles(adapters), tokens) : undefined,
  });
  return {
    method,
    model,
    adapters,
    quantized,
    trainableTokens: tokens,
    training,
    trainableParameters,
    trainablePercent: trainableShare(trainableParameters, countParameters(model.config), method),
    memory: weightMemory(model),
    truncatedExamples: trainExamples.filter((e) => e.truncated).length,
    rowLength,
  };
}

/** The ids of the tokens to train: the given strings, or the chat markers the tokenizer has as single tokens. */
function tokenIdsOf(strings: readonly string[] | undefined, tokenizer: Tokenizer): number[] {
  if (strings) {
    return strings.map((text) => {
      const ids = tokenizer.encode(text);
      if (ids.length !== 1) {
        throw new RangeError(`finetune: trainTokens must each be one token; ${JSON.stringify(text)} is ${ids.length} tokens (${JSON.stringify(ids)}) in this tokenizer.`);
      }
      return ids[0]!;
    });
  }
  return Object.values(CHAT_MARKERS)
    .map((marker) => tokenizer.encode(marker))
    .filter((ids) => ids.length === 1)
    .map((ids) => ids[0]!);
}

function withTokens(files: Map<string, Uint8Array | string>, tokens: TrainableTokens | undefined): Map<string, Uint8Array | string> {
  if (tokens) files.set(TRAINABLE_TOKENS_FILE, tokens.toSafetensors());
  return files;
}

/**
 * The share of the adapted model that trains, in percent, as PEFT's
 * `print_trainable_parameters` reports it: adapters add parameters of their own, so LoRA and
 * QLoRA count them in the whole (base + adapters); full fine-tuning trains the base itself.
 */
export function trainableShare(trainable: number, baseParameters: number, method: FinetuneMethod): number {
  return (100 * trainable) / (baseParameters + (method === 'full' ? 0 : trainable));
}

/** The model's weights that `trainOnly` picks (all of them without it). */
function pickWeights(model: GPT, trainOnly: ((name: string) => boolean) | undefined): GPT['params'] {
  if (!trainOnly) return model.params;
  const picked = new Map([...model.params].filter(([name]) => trainOnly(name)));
  if (picked.size === 0) {
    throw new RangeError(`finetune: trainOnly picked none of the model's weights. Their names look like: ${[...model.params.keys()].slice(0, 4).join(', ')}, …`);
  }
  return picked;
}

/** Tokens in the longest conversation (inputs: one fewer), capped at blockSize. */
function longestExample(conversations: readonly Conversation[], tokenizer: Tokenizer, blockSize: number): number {
  let longest = 1;
  for (const c of conversations) {
    longest = Math.max(longest, encodeForTraining(c, tokenizer, { blockSize, maskPrompt: false }).length);
  }
  return Math.min(blockSize, longest);
}
