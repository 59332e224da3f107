/**
 * QLoRA (Dettmers et al., 2023): LoRA on a base model whose weights are stored in 4 bits.
 *
 * The frozen base is most of the memory of fine-tuning. QLoRA stores its linear weights
 * quantized (NF4, blockwise) and dequantizes each one on the fly when the forward pass needs
 * it; the float copy lives only during that pass (and its backward). The LoRA adapters on
 * top stay in full precision, and they are the only thing that trains.
 *
 *   y = x·dequantize(W_q) + b + scaling · x·A·B
 *
 * `quantizeModel` does the first part, `addLora` the second, in either order.
 */
import * as tf from '../tf';
import { type GPT, countParameters } from '../model';
import { type LinearLayerInfo, type LinearTarget, listLinearLayers, selectLinearLayers } from './linear-layers';
import { type LoraAdapters, LoraError } from './lora';
import {
  DEFAULT_BLOCK_SIZE,
  type QuantizationErrorReport,
  type QuantizedTensor,
  bytesPerForm,
  dequantize,
  quantize,
  quantizationError,
  quantizedBytes,
} from './quantize';

export interface QuantizeModelOptions {
  /** 4: NF4 (QLoRA's format); 8: int8 absmax. */
  readonly bits: 4 | 8;
  /** Values per absmax scale. @default 64 */
  readonly blockSize?: number;
  /** Which linear layers to quantize. @default ['all'] */
  readonly targets?: readonly LinearTarget[];
}

/** Raised when a model cannot be quantized (or restored) as asked. */
export class QuantizeModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantizeModelError';
  }
}

/** Which QuantizedModel holds which model's weights (for `weightMemory`). */
const quantizedModels = new WeakMap<GPT, QuantizedModel>();

/**
 * Stores the model's linear weights quantized: each float variable is quantized, freed, and
 * replaced by a hook that dequantizes it during every forward pass.
 */
export function quantizeModel(model: GPT, options: QuantizeModelOptions): QuantizedModel {
  return new QuantizedModel(model, options);
}

export class QuantizedModel {
  readonly model: GPT;
  readonly bits: 4 | 8;
  readonly blockSize: number;
  /** The quantized layers, in model order. */
  readonly layers: readonly LinearLayerInfo[];
  /** How far each layer's dequantized weight is from the float weight it replaced. */
  readonly errors: ReadonlyMap<string, QuantizationErrorReport>;
  private readonly weights = new Map<string, QuantizedTensor>();
  private detachHooks: (() => void)[] = [];

  /** Use `quantizeModel`. */
  constructor(model: GPT, options: QuantizeModelOptions) {
    const { bits } = options;
    if (bits !== 4 && bits !== 8) throw new QuantizeModelError(`quantizeModel: bits must be 4 (NF4) or 8 (int8), got ${JSON.stringify(bits)}.`);
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(blockSize) || blockSize <= 0) {
      throw new QuantizeModelError(`quantizeModel: blockSize must be a positive integer (64 is usual), got ${blockSize}.`);
    }
    if (quantizedModels.has(model)) {
      throw new QuantizeModelError('This model is already quantized; call restoreFloatWeights() on its QuantizedModel first.');
    }
    this.model = model;
    this.bits = bits;
    this.blockSize = blockSize;
    this.layers = selectLinearLayers(model, options.targets ?? ['all']);
    const errors = new Map<string, QuantizationErrorReport>();
    for (const layer of this.layers) {
      const variable = model.releaseParameter(`${layer.name}.weight`);
      const values = variable.dataSync() as Float32Array; // (in, out), row-major
      const q = quantize(values, { bits, blockSize, shape: [layer.inFeatures, layer.outFeatures] });
      errors.set(layer.name, quantizationError(values, q));
      variable.dispose(); // the float copy is gone: that is the memory QLoRA saves
      this.weights.set(layer.name, q);
    }
    this.errors = errors;
    this.attachHooks();
    quantizedModels.set(model, this);
  }

  /** A layer's quantized weight. */
  weight(layer: string): QuantizedTensor {
    const q = this.weights.get(layer);
    if (!q) throw new QuantizeModelError(`'${layer}' is not quantized. Quantized layers: ${this.layers.map((l) => l.name).join(', ')}.`);
    return q;
  }

  /** Bytes the quantized weights hold (codes and scales). */
  get bytes(): number {
    let total = 0;
    for (const q of this.weights.values()) total += quantizedBytes(q).total;
    return total;
  }

  /**
   * Merges LoRA adapters into the quantized base: W_q ← quantize(dequantize(W_q) + scaling·A·B),
   * then detaches them. One way only: the merged weight must be rounded to the 16 (or 255)
   * levels again, which loses part of what the adapters learned. Returns how much the
   * logits on `tokens` (B, T) moved because of that rounding.
   */
  mergeLora(adapters: LoraAdapters, tokens: tf.Tensor2D): RequantizedMergeChange {
    if (adapters.model !== this.model) throw new LoraError('These adapters belong to a different model.');
    if (adapters.status !== 'attached') {
      throw new LoraError(`Cannot merge LoRA adapters that are ${adapters.status}; merge needs attached, unmerged adapters.`);
    }
    const before = this.model.forward(tokens); // base + adapters, exactly: (B, T, V)
    const merged = new Map<string, { q: QuantizedTensor; wanted: Float32Array }>();
    const floatDeltas = new Map<string, tf.Tensor2D>();
    try {
      for (const name of adapters.adaptedNames()) {
        const delta = adapters.deltaWeight(name); // (in, out), or (V, C) for the token embedding
        const q = this.weights.get(name);
        if (!q) {
          floatDeltas.set(name, delta); // a float weight (the embedding is never quantized): merged exactly below
          continue;
        }
        const deltaValues = delta.dataSync();
        delta.dispose();
        const wanted = dequantize(q);
        for (let i = 0; i < wanted.length; i++) wanted[i]! += deltaValues[i]!;
        if (!wanted.every(Number.isFinite)) {
          throw new LoraError(`Cannot merge: W + scaling·A·B has NaN or infinite values in ${name}; nothing was changed.`);
        }
        merged.set(name, { q: quantize(wanted, { bits: this.bits, blockSize: this.blockSize, shape: q.shape }), wanted });
      }
      let maxAbsWeightChange = 0;
      for (const [name, { q, wanted }] of merged) {
        maxAbsWeightChange = Math.max(maxAbsWeightChange, quantizationError(wanted, q).maxAbs);
        this.weights.set(name, q);
      }
      for (const [name, delta] of floatDeltas) {
        const weight = this.model.params.get(`${name}.weight`)!;
        tf.tidy(() => weight.assign(tf.add(weight, delta)));
      }
      adapters.detach();
      const after = this.model.forward(tokens);
      const change = tf.tidy(() => tf.abs(tf.sub(after, before)));
      const [maxAbs, meanAbs] = tf.tidy(() => [tf.max(change).dataSync()[0]!, tf.mean(change).dataSync()[0]!]);
      tf.dispose([after, change]);
      return { maxAbsLogitChange: maxAbs, meanAbsLogitChange: meanAbs, maxAbsWeightChange };
    } finally {
      tf.dispose([before, ...floatDeltas.values()]);
    }
  }

  /**
   * Gives the model float variables again, holding the dequantized values (the original
   * weights are gone: quantization is lossy), and takes the quantized weights out.
   */
  restoreFloatWeights(): void {
    for (const detach of this.detachHooks) detach();
    this.detachHooks = [];
    for (const layer of this.layers) {
      const values = tf.tensor2d(dequantize(this.weight(layer.name)), [layer.inFeatures, layer.outFeatures]);
      this.model.restoreParameter(`${layer.name}.weight`, tf.variable(values, true, `${layer.name}.weight#restored${uniqueId()}`));
      values.dispose();
    }
    this.weights.clear();
    quantizedModels.delete(this.model);
  }

  private attachHooks(): void {
    this.detachHooks = this.layers.map((layer) =>
      this.model.attachLinearHook(layer.name, {
        name: 'quantized',
        // A fresh (in, out) float tensor per forward pass, freed with the pass's other
        // intermediates; between passes only the codes and scales remain.
        weight: () => tf.tensor2d(dequantize(this.weight(layer.name)), [layer.inFeatures, layer.outFeatures]),
      }),
    );
  }
}

/** What merging LoRA into a quantized base changed. */
export interface RequantizedMergeChange {
  /** The largest |logit after − logit before| over the tokens given. */
  readonly maxAbsLogitChange: number;
  /** The mean |logit after − logit before|. */
  readonly meanAbsLogitChange: number;
  /** The largest difference between the re-quantized merged weight and the exact W + scaling·A·B. */
  readonly maxAbsWeightChange: number;
}

/** Bytes in each form of storage. */
export interface FormBytes {
  readonly float32: number;
  readonly int8: number;
  readonly nf4: number;
}

export interface LayerMemory extends FormBytes {
  readonly name: string;
  /** in·out: the numbers in the weight matrix (the bias stays float32 and counts as "other"). */
  readonly weights: number;
  /** How the weight is stored now. */
  readonly form: 'float32' | 'int8' | 'nf4';
  /** Bytes it holds now. */
  readonly held: number;
}

export interface WeightMemoryReport {
  /** The block size the int8 and nf4 columns assume. */
  readonly blockSize: number;
  readonly layers: readonly LayerMemory[];
  /** All linear weights, in each form. */
  readonly linear: FormBytes;
  /** Everything else (embeddings, layer norms, biases): float32 in every form. */
  readonly other: number;
  /** The whole model with its linear weights in each form: linear + other. */
  readonly model: FormBytes;
  /** What the model holds now: its float variables plus its quantized weights. */
  readonly held: number;
}

/**
 * How many bytes the model's weights take as float32, and would take (or take) quantized:
 * int8 is about a quarter of float32 and NF4 about an eighth, plus 4 bytes of scale per block.
 */
export function weightMemory(model: GPT, options: { readonly blockSize?: number } = {}): WeightMemoryReport {
  const quantized = quantizedModels.get(model);
  const blockSize = options.blockSize ?? quantized?.blockSize ?? DEFAULT_BLOCK_SIZE;
  const layers = listLinearLayers(model).map((layer): LayerMemory => {
    const weights = layer.inFeatures * layer.outFeatures;
    const forms = bytesPerForm(weights, blockSize);
    const q = quantized?.layers.some((l) => l.name === layer.name) ? quantized.weight(layer.name) : undefined;
    const form = !q ? 'float32' : q.format;
    return { name: layer.name, weights, ...forms, form, held: q ? quantizedBytes(q).total : forms.float32 };
  });
  const sum = (pick: (l: LayerMemory) => number): number => layers.reduce((n, l) => n + pick(l), 0);
  const linear: FormBytes = { float32: sum((l) => l.float32), int8: sum((l) => l.int8), nf4: sum((l) => l.nf4) };
  const other = 4 * (countParameters(model.config) - sum((l) => l.weights));
  return {
    blockSize,
    layers,
    linear,
    other,
    model: { float32: linear.float32 + other, int8: linear.int8 + other, nf4: linear.nf4 + other },
    held: sum((l) => l.held) + other,
  };
}

let idCounter = 0;
function uniqueId(): number {
  idCounter += 1;
  return idCounter;
}
