/**
 * Trainable tokens: learned embedding rows for a few tokens, on top of a frozen embedding
 * (PEFT calls it `trainable_token_indices`).
 *
 * The chat markers (`<|user|>`, `<|assistant|>`, `<|end|>`) are in the base model's
 * vocabulary but never occur in its corpus: their embedding rows were only ever pushed
 * around by weight decay and by the softmax's "not this token" gradient, never taught a
 * meaning. Full fine-tuning trains them with everything else. LoRA cannot —
 * it changes linear layers, not the embedding — so a LoRA model must predict `<|end|>`
 * through a random row of the tied output head, and read `<|assistant|>` as noise. Training
 * just those rows costs k·C numbers (4 × 128 here) and fixes both.
 *
 *   W_effective = W_frozen + S·Δ      S (V, k): one-hot, row of token i → column i
 *                                     Δ (k, C): the learned change, zero at the start
 *
 * The sum is built in the forward pass, so gradients reach Δ and nothing else.
 */
import * as tf from '../tf';
import { type GPT, encodeSafetensors, readSafetensorsFile, tensorsToArrays } from '../model';

/** The file holding Δ and the token ids, beside the adapters. */
export const TRAINABLE_TOKENS_FILE = 'trainable_tokens.safetensors';
const DELTA_NAME = 'transformer.wte.trainable_tokens';
const IDS_NAME = 'transformer.wte.trainable_token_ids';

let counter = 0;

export class TrainableTokens {
  readonly model: GPT;
  /** The token ids whose rows train. */
  readonly tokenIds: readonly number[];
  /** Δ (k, C) by name: what the optimizer trains. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly selector: tf.Tensor2D;
  private detachHook: (() => void) | undefined;

  /** Use `addTrainableTokens`. */
  constructor(model: GPT, tokenIds: readonly number[], initial?: tf.Tensor2D) {
    const V = model.config.vocabSize;
    const bad = tokenIds.filter((id) => !Number.isInteger(id) || id < 0 || id >= V);
    if (tokenIds.length === 0 || bad.length > 0 || new Set(tokenIds).size !== tokenIds.length) {
      throw new RangeError(`Trainable tokens must be distinct token ids in [0, ${V}), at least one; got ${JSON.stringify(tokenIds)}.`);
    }
    this.model = model;
    this.tokenIds = [...tokenIds];
    const k = tokenIds.length;
    const C = model.config.nEmbd;
    counter += 1;
    const delta = tf.variable(initial ?? tf.zeros([k, C]), true, `${DELTA_NAME}#${counter}`);
    this.variables = new Map([[DELTA_NAME, delta]]);
    this.selector = tf.tidy(() => tf.oneHot(tf.tensor1d([...this.tokenIds], 'int32'), V).transpose() as tf.Tensor2D); // (V, k)
    this.detachHook = model.attachEmbeddingHook({
      name: 'trainable-tokens',
      delta: () => tf.matMul(this.selector, delta), // (V, C): Δ's rows at the chosen tokens, zeros elsewhere
    });
  }

  /** Trainable numbers: k·C. */
  get parameterCount(): number {
    return this.tokenIds.length * this.model.config.nEmbd;
  }

  /** Δ and the ids, as the bytes of `trainable_tokens.safetensors`. */
  toSafetensors(): Uint8Array {
    const arrays = tensorsToArrays(this.variables); // Δ, as float32
    arrays.set(IDS_NAME, { data: Int32Array.from(this.tokenIds), shape: [this.tokenIds.length], dtype: 'I32' });
    return encodeSafetensors(arrays);
  }

  /** Takes the rows off the model (it sees its frozen embedding again) and frees them. */
  dispose(): void {
    this.detachHook?.();
    this.detachHook = undefined;
    tf.dispose([this.selector, ...this.variables.values()]);
  }
}

/** Makes the embedding rows of `tokenIds` trainable on `model` (starting unchanged). */
export function addTrainableTokens(model: GPT, tokenIds: readonly number[]): TrainableTokens {
  return new TrainableTokens(model, tokenIds);
}

/** Reads `trainable_tokens.safetensors` and attaches the learned rows to `model`. */
export function loadTrainableTokens(model: GPT, file: string): TrainableTokens {
  const tensors = readSafetensorsFile(file);
  const delta = tensors.get(DELTA_NAME);
  const ids = tensors.get(IDS_NAME);
  if (!delta || !ids || delta.shape.length !== 2 || delta.shape[1] !== model.config.nEmbd) {
    throw new RangeError(`${file} does not hold trainable token rows for a model of width ${model.config.nEmbd} (${DELTA_NAME}, ${IDS_NAME}).`);
  }
  const initial = tf.tensor2d(Float32Array.from(delta.data), [delta.shape[0]!, delta.shape[1]!]);
  try {
    return new TrainableTokens(model, Array.from(ids.data), initial);
  } finally {
    initial.dispose();
  }
}
