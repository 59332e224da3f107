/**
 * Checkpoints: a folder that holds everything needed to use a model again.
 *
 *   config.json        the GPTConfig (rebuilds the model's shape)
 *   model.safetensors  the weights, named as in GPT-2
 *   tokenizer.json     the tokenizer (a model is useless without its exact token mapping)
 *
 * Training adds its own files (optimizer state, progress) through `extraFiles`. Every file
 * is written to a temporary name first and then renamed, so a crash mid-save never leaves
 * a half-written file where a good one was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../tf';
import { type Tokenizer, tokenizerFromJSON } from '../tokenizer';
import { type GPTConfig, GPTConfigError, validateConfig } from './config';
import { GPT, parameterSpecs } from './gpt';
import { type NamedArray, decodeSafetensors, encodeSafetensors } from './safetensors';

export const CHECKPOINT_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
} as const;

/** Raised when a checkpoint folder is missing, incomplete or corrupted. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

export interface SaveCheckpointOptions {
  readonly model: GPT;
  readonly tokenizer: Tokenizer;
  /** More files to write into the folder, by name (e.g. the optimizer state). */
  readonly extraFiles?: ReadonlyMap<string, Uint8Array | string>;
}

/** Writes a checkpoint folder (created if needed). */
export function saveCheckpoint(dir: string, options: SaveCheckpointOptions): void {
  const missing = parameterSpecs(options.model.config).filter((spec) => !options.model.params.has(spec.name));
  if (missing.length > 0) {
    throw new CheckpointError(
      `Cannot save a checkpoint of a model whose weights are not all floats: ${missing.length} ` +
        `(e.g. '${missing[0]!.name}') are held elsewhere, quantized. Save the adapters instead ` +
        '(saveAdapters), or restore the float weights first (restoreFloatWeights).',
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  const files = new Map<string, Uint8Array | string>([
    [CHECKPOINT_FILES.config, JSON.stringify(options.model.config, null, 2) + '\n'],
    [CHECKPOINT_FILES.weights, encodeSafetensors(tensorsToArrays(options.model.params), { format: 'pt' })],
    [CHECKPOINT_FILES.tokenizer, JSON.stringify(options.tokenizer.toJSON()) + '\n'],
    ...(options.extraFiles ?? new Map()),
  ]);
  writeFilesAtomically(dir, files);
}

export interface LoadedCheckpoint {
  readonly model: GPT;
  readonly tokenizer: Tokenizer;
  readonly config: GPTConfig;
  readonly dir: string;
}

/** Rebuilds a model and its tokenizer from a checkpoint folder alone. */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  if (!fs.existsSync(dir)) {
    throw new CheckpointError(`No checkpoint at '${dir}' (resolved: ${path.resolve(dir)}). Train one with \`llm-lab pretrain --out ${dir}\`.`);
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new CheckpointError(`'${dir}' is a file; a checkpoint is a folder holding ${Object.values(CHECKPOINT_FILES).join(', ')}.`);
  }
  const config = readConfig(dir);
  const tokenizer = readTokenizer(dir);
  if (tokenizer.vocabSize !== config.vocabSize) {
    throw new CheckpointError(
      `${path.join(dir, CHECKPOINT_FILES.tokenizer)} has ${tokenizer.vocabSize} tokens but the model's config says vocabSize ${config.vocabSize}: ` +
        'the two files come from different runs.',
    );
  }
  const weights = readWeights(dir);
  try {
    const model = new GPT(config, { weights: weights.tensors });
    return { model, tokenizer, config, dir };
  } catch (error) {
    throw new CheckpointError(`${path.join(dir, CHECKPOINT_FILES.weights)}: ${(error as Error).message}`);
  } finally {
    for (const t of weights.tensors.values()) t.dispose();
  }
}

/** Reads and validates `config.json` of a checkpoint. */
export function readConfig(dir: string): GPTConfig {
  const file = path.join(dir, CHECKPOINT_FILES.config);
  const json = readJson(file);
  try {
    return validateConfig(json);
  } catch (error) {
    if (error instanceof GPTConfigError) throw new CheckpointError(`${file}: ${error.message}`);
    throw error;
  }
}

function readTokenizer(dir: string): Tokenizer {
  const file = path.join(dir, CHECKPOINT_FILES.tokenizer);
  const json = readJson(file);
  try {
    return tokenizerFromJSON(json);
  } catch (error) {
    throw new CheckpointError(`${file}: ${(error as Error).message}`);
  }
}

function readWeights(dir: string): { tensors: Map<string, tf.Tensor> } {
  const file = path.join(dir, CHECKPOINT_FILES.weights);
  const arrays = readSafetensorsFile(file);
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, a] of arrays) tensors.set(name, tf.tensor(a.data, [...a.shape], a.dtype === 'F32' ? 'float32' : 'int32'));
  return { tensors };
}

/** Reads a safetensors file with errors that name it. */
export function readSafetensorsFile(file: string): Map<string, NamedArray> {
  if (!fs.existsSync(file)) {
    throw new CheckpointError(`Missing file ${file}. A checkpoint needs ${Object.values(CHECKPOINT_FILES).join(', ')}.`);
  }
  try {
    return decodeSafetensors(fs.readFileSync(file), file).tensors;
  } catch (error) {
    throw new CheckpointError((error as Error).message);
  }
}

/** Reads a JSON file with errors that name it. */
export function readJson(file: string): unknown {
  if (!fs.existsSync(file)) {
    throw new CheckpointError(`Missing file ${file}. A checkpoint needs ${Object.values(CHECKPOINT_FILES).join(', ')}.`);
  }
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(`${file} is not valid JSON (${(error as Error).message}); the file may be truncated or corrupted.`);
  }
}

/** Copies tensors out to named arrays (the form safetensors stores). */
export function tensorsToArrays(tensors: ReadonlyMap<string, tf.Tensor>): Map<string, NamedArray> {
  const arrays = new Map<string, NamedArray>();
  for (const [name, t] of tensors) {
    const data = t.dataSync();
    arrays.set(name, {
      dtype: t.dtype === 'int32' ? 'I32' : 'F32',
      shape: t.shape,
      data: t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data),
    });
  }
  return arrays;
}

/** Writes each file to a temporary name, then renames it into place. */
export function writeFilesAtomically(dir: string, files: ReadonlyMap<string, Uint8Array | string>): void {
  fs.mkdirSync(dir, { recursive: true });
  const temporary: [string, string][] = [];
  for (const [name, content] of files) {
    const target = path.join(dir, name);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, content);
    temporary.push([tmp, target]);
  }
  for (const [tmp, target] of temporary) fs.renameSync(tmp, target);
}
