/**
 * Saved adapters: a folder apart from the base checkpoint, holding only what LoRA trained.
 *
 *   adapter_model.safetensors  every A (in, r) and B (r, out), named
 *                              `transformer.h.0.attn.c_attn.lora_A`, `….lora_B`; with an
 *                              embedding adapter also `transformer.wte.lora_A` (V, r'), `….lora_B`
 *   adapter_config.json        rank, alpha, dropout, targets, embeddingRank, the adapted layers, and the
 *                              config of the base model they were trained on
 *
 * A few hundred kilobytes instead of a whole model: many adapters can share one base.
 * (A and B are stored [in, r] and [r, out], the way this project stores every linear
 * weight; PEFT stores PyTorch's transposed [r, in] and [out, r].)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../tf';
import { type GPT, type GPTConfig, encodeSafetensors, readJson, readSafetensorsFile, tensorsToArrays, validateConfig, writeFilesAtomically } from '../model';
import { type LoraConfig, resolveLoraConfig } from './lora-config';
import { LoraAdapters } from './lora';

export const ADAPTER_FILES = {
  weights: 'adapter_model.safetensors',
  config: 'adapter_config.json',
} as const;

/** What `adapter_config.json` holds. */
export interface SavedAdapterConfig extends Required<LoraConfig> {
  readonly method: 'lora';
  /** The adapted layers, by name. */
  readonly layers: readonly string[];
  /** The config of the base model the adapters were trained on (they fit no other). */
  readonly baseConfig: GPTConfig;
}

/** Raised when a folder does not hold adapters that can be loaded onto this model. */
export class AdapterLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdapterLoadError';
  }
}

/** The adapter files by name, ready to write (also what `train()` saves as `checkpointFiles`). */
export function adapterFiles(adapters: LoraAdapters): Map<string, Uint8Array | string> {
  const { rank, alpha, dropout, targets, embeddingRank } = adapters.config;
  const config: SavedAdapterConfig = {
    method: 'lora',
    rank,
    alpha,
    dropout,
    targets,
    embeddingRank,
    layers: adapters.layers.map((l) => l.name),
    baseConfig: adapters.model.config,
  };
  return new Map<string, Uint8Array | string>([
    [ADAPTER_FILES.weights, encodeSafetensors(tensorsToArrays(adapters.variables), { format: 'pt' })],
    [ADAPTER_FILES.config, JSON.stringify(config, null, 2) + '\n'],
  ]);
}

/** Writes the adapters into a folder (created if needed), each file atomically. */
export function saveAdapters(adapters: LoraAdapters, dir: string): void {
  writeFilesAtomically(dir, adapterFiles(adapters));
}

/**
 * Reads adapters saved by `saveAdapters` (or by training) and attaches them to `model`,
 * which must have the config of the base they were trained on.
 */
export function loadAdapters(model: GPT, dir: string): LoraAdapters {
  const configFile = path.join(dir, ADAPTER_FILES.config);
  const weightsFile = path.join(dir, ADAPTER_FILES.weights);
  for (const file of [configFile, weightsFile]) {
    if (!fs.existsSync(file)) {
      throw new AdapterLoadError(
        `No adapters at '${dir}': ${path.basename(file)} is missing. An adapter folder holds ` +
          `${ADAPTER_FILES.config} and ${ADAPTER_FILES.weights}, written by saveAdapters() or by train() with checkpointFiles.`,
      );
    }
  }
  const saved = readJson(configFile) as Partial<SavedAdapterConfig>;
  if (typeof saved !== 'object' || saved === null || saved.method !== 'lora') {
    throw new AdapterLoadError(`${configFile} does not describe LoRA adapters (expected "method": "lora").`);
  }
  let baseConfig: GPTConfig;
  let config: LoraConfig;
  try {
    baseConfig = validateConfig(saved.baseConfig);
    config = resolveLoraConfig({ rank: saved.rank, alpha: saved.alpha, dropout: saved.dropout, targets: saved.targets, embeddingRank: saved.embeddingRank });
  } catch (error) {
    throw new AdapterLoadError(`${configFile}: ${(error as Error).message}`);
  }
  checkSameBase(baseConfig, model.config, dir);
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, a] of readSafetensorsFile(weightsFile)) tensors.set(name, tf.tensor(a.data, [...a.shape], 'float32'));
  try {
    return new LoraAdapters(model, config, { weights: tensors });
  } catch (error) {
    throw new AdapterLoadError(`${weightsFile}: ${(error as Error).message}`);
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/**
 * Adapters are a change to particular weight matrices: they fit only a base of the same
 * shape. (Dropout does not change any shape, so it may differ.)
 */
function checkSameBase(saved: GPTConfig, model: GPTConfig, dir: string): void {
  const fields = ['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd', 'bias'] as const;
  const differences = fields.filter((f) => saved[f] !== model[f]).map((f) => `${f} ${saved[f]} (adapters) vs ${model[f]} (this model)`);
  if (differences.length > 0) {
    throw new AdapterLoadError(
      `The adapters in '${dir}' were trained on a different base model: ${differences.join(', ')}. ` +
        'Load them onto the base checkpoint they were trained from.',
    );
  }
}
