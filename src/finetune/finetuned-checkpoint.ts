/**
 * A fine-tuned model on disk, and loading it back in one call.
 *
 * `finetune.json` says what the folder holds:
 *
 *   full          a whole checkpoint (config.json, model.safetensors, tokenizer.json)
 *   lora, qlora   adapters only (adapter_config.json, adapter_model.safetensors, and
 *                 trainable_tokens.safetensors when embedding rows trained too); the base
 *                 they were trained on is named by `base`, a path relative to this folder,
 *                 and `qlora` re-quantizes it with the same `bits` before adding them
 *
 * so that `loadFinetuned(dir)` rebuilds exactly the model that training produced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GPT, CHECKPOINT_FILES, loadCheckpoint, readJson } from '../model';
import type { Tokenizer } from '../tokenizer';
import { type LoraAdapters } from './lora';
import { loadAdapters } from './adapter-files';
import { type QuantizedModel, quantizeModel } from './qlora';
import { TRAINABLE_TOKENS_FILE, type TrainableTokens, loadTrainableTokens } from './trainable-tokens';

export type FinetuneMethod = 'full' | 'lora' | 'qlora';

export const FINETUNE_INFO_FILE = 'finetune.json';

/** What `finetune.json` holds. */
export interface FinetuneInfo {
  readonly method: FinetuneMethod;
  /** The base checkpoint, relative to the fine-tuned folder (needed by lora and qlora). */
  readonly base?: string;
  /** Bits of the quantized base (qlora). */
  readonly bits?: 4 | 8;
  /** Positions per training row. */
  readonly rowLength: number;
  /** Whether the loss counted only the answers. */
  readonly maskPrompt: boolean;
}

export interface FinetunedModel {
  readonly model: GPT;
  readonly tokenizer: Tokenizer;
  /** How it was fine-tuned; undefined for a plain (pretrained) checkpoint. */
  readonly info?: FinetuneInfo;
  readonly adapters?: LoraAdapters;
  readonly quantized?: QuantizedModel;
  /** Embedding rows trained beside the adapters. */
  readonly trainableTokens?: TrainableTokens;
}

/** Raised when a folder is neither a checkpoint nor a fine-tuned model that can be loaded. */
export class FinetunedLoadError extends Error {
  override readonly name = 'FinetunedLoadError';
}

export function writeFinetuneInfo(dir: string, info: FinetuneInfo): void {
  fs.writeFileSync(path.join(dir, FINETUNE_INFO_FILE), JSON.stringify(info, null, 2) + '\n');
}

/**
 * Loads any model folder: a pretrained checkpoint, a fully fine-tuned one, or adapters
 * (with their base, quantized again for qlora).
 */
export function loadFinetuned(dir: string): FinetunedModel {
  const infoFile = path.join(dir, FINETUNE_INFO_FILE);
  if (!fs.existsSync(infoFile)) return loadCheckpoint(dir); // a plain checkpoint
  const info = readJson(infoFile) as FinetuneInfo;
  if (info.method === 'full') return { ...loadCheckpoint(dir), info };
  if (info.method !== 'lora' && info.method !== 'qlora') {
    throw new FinetunedLoadError(`${infoFile}: unknown method ${JSON.stringify(info.method)} (expected full, lora or qlora).`);
  }
  if (typeof info.base !== 'string') {
    throw new FinetunedLoadError(`${infoFile} names no base checkpoint ("base"), and ${info.method} adapters cannot be used without the model they were trained on.`);
  }
  const base = path.resolve(dir, info.base);
  if (!fs.existsSync(path.join(base, CHECKPOINT_FILES.weights))) {
    throw new FinetunedLoadError(
      `The adapters in '${dir}' were trained on the base checkpoint '${base}', which is not there ` +
        '(moved or deleted?). Put it back, or edit "base" in finetune.json (a path relative to the adapters\' folder).',
    );
  }
  const { model, tokenizer } = loadCheckpoint(base);
  const quantized = info.method === 'qlora' ? quantizeModel(model, { bits: info.bits ?? 4 }) : undefined;
  const adapters = loadAdapters(model, dir);
  const tokensFile = path.join(dir, TRAINABLE_TOKENS_FILE);
  const trainableTokens = fs.existsSync(tokensFile) ? loadTrainableTokens(model, tokensFile) : undefined;
  return { model, tokenizer, info, adapters, quantized, trainableTokens };
}
