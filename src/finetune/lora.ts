/**
 * LoRA: low-rank adapters on a frozen model (Hu et al., 2021).
 *
 * For each target linear layer y = x·W + b, with W (in, out) frozen, LoRA adds two small
 * matrices A (in, r) and B (r, out) and computes
 *
 *   y = x·W + b + scaling · dropout(x)·A·B,      scaling = alpha / r
 *
 * A starts random and B starts at zero, so A·B = 0: the untouched adapter changes nothing,
 * and training starts exactly from the base model. Only A and B train: r·(in + out) numbers
 * per layer instead of in·out. Afterwards A·B can be merged into W (no cost at inference)
 * and taken out again.
 *
 * With `embeddingRank` > 0 the token embedding (V, C), which is also the tied output head,
 * gets the same kind of change: scaling · A·B with A (V, r') zero at first and B (r', C)
 * random (the other way round from the linear layers, as PEFT does for embeddings: the
 * factor on the vocabulary side starts at zero).
 *
 * The adapters plug into the model through `GPT.attachLinearHook` (and
 * `attachEmbeddingHook`); the base weights are
 * never copied. To train only the adapters, hand `adapters.variables` to `train()` as
 * `trainable`.
 */
import * as tf from '../tf';
import { type GPT, countParameters, linear } from '../model';
import type { LinearHook } from '../model/gpt';
import { SeededRandom } from '../util/random';
import { type LinearLayerInfo, selectLinearLayers } from './linear-layers';
import { type LoraConfig, type ResolvedLoraConfig, resolveLoraConfig } from './lora-config';

export interface AddLoraOptions {
  /** Seeds the random init of every A. @default 0 */
  readonly seed?: number;
  /**
   * Start from these values instead (saved adapters), by name: `<layer>.lora_A` (in, r) and
   * `<layer>.lora_B` (r, out) for every target layer. @default random A, zero B
   */
  readonly weights?: ReadonlyMap<string, tf.Tensor>;
}

/** Raised when adapters cannot be used as asked (merged twice, non-finite, wrong weights…). */
export class LoraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoraError';
  }
}

/** One layer's pair of factors: ΔW = scaling · A·B. */
export interface LoraFactors {
  /** (in, r): projects the layer's input down to r numbers. */
  readonly A: tf.Variable;
  /** (r, out): projects those r numbers up to the layer's output. */
  readonly B: tf.Variable;
}

/** The name of a layer's factor in `variables` and in saved adapters. */
export function loraVariableName(layer: string, factor: 'A' | 'B'): string {
  return `${layer}.lora_${factor}`;
}

/**
 * Attaches LoRA adapters to the target layers of `model` and returns them. The model's
 * logits do not change until the adapters train (B starts at zero).
 */
export function addLora(model: GPT, config: LoraConfig, options: AddLoraOptions = {}): LoraAdapters {
  return new LoraAdapters(model, config, options);
}

export type AdapterStatus = 'attached' | 'merged' | 'detached' | 'disposed';

let variableCounter = 0;

/** The name the token embedding's adapter goes by (its factors: `transformer.wte.lora_A`, `…lora_B`). */
export const EMBEDDING_LAYER = 'transformer.wte';

export class LoraAdapters {
  readonly model: GPT;
  readonly config: ResolvedLoraConfig;
  /** The adapted linear layers, in model order (the token embedding's adapter is apart: `embeddingRank`). */
  readonly layers: readonly LinearLayerInfo[];
  /** Every A and B by name (`transformer.h.0.attn.c_attn.lora_A`): what the optimizer trains. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly factorsByLayer = new Map<string, LoraFactors>();
  private detachHooks: (() => void)[] = [];
  private state: AdapterStatus = 'detached';

  /** Use `addLora` (fresh adapters) or `loadAdapters` (saved ones). */
  constructor(model: GPT, config: LoraConfig, options: AddLoraOptions = {}) {
    this.model = model;
    this.config = resolveLoraConfig(config);
    this.layers = selectLinearLayers(model, this.config.targets);
    const { rank } = this.config;
    for (const layer of this.layers) {
      if (rank > Math.min(layer.inFeatures, layer.outFeatures)) {
        throw new LoraError(
          `LoRA rank ${rank} is larger than ${layer.name}'s smaller side (${layer.inFeatures} → ${layer.outFeatures}): ` +
            `A·B could never have a rank above ${Math.min(layer.inFeatures, layer.outFeatures)}. LoRA's point is r much smaller than both; try rank 4 to 16.`,
        );
      }
    }
    const adapted = this.layers.filter((layer) => model.linearHooks(layer.name).some((h) => h.name === 'lora')).map((l) => l.name);
    if (this.config.embeddingRank > 0 && model.embeddingHookNames().includes('lora')) adapted.push(EMBEDDING_LAYER);
    const { vocabSize, nEmbd } = model.config;
    if (this.config.embeddingRank > Math.min(vocabSize, nEmbd)) {
      throw new LoraError(
        `LoRA embeddingRank ${this.config.embeddingRank} is larger than the token embedding's smaller side (${vocabSize} × ${nEmbd}); try 4 to 16.`,
      );
    }
    if (adapted.length > 0) {
      throw new LoraError(`${adapted.join(', ')} already carry LoRA adapters; detach or dispose those first.`);
    }
    if (options.weights) checkAdapterWeights(this.layers, rank, this.config.embeddingRank, model.config, options.weights);
    const rng = new SeededRandom(options.seed ?? 0);
    const variables = new Map<string, tf.Variable>();
    // A layer's two factors: the saved ones when given, else fresh from `initialA`/`initialB`.
    const addFactors = (layer: string, initialA: () => tf.Tensor, initialB: () => tf.Tensor) => {
      const [nameA, nameB] = [loraVariableName(layer, 'A'), loraVariableName(layer, 'B')];
      const [a, b] = [options.weights?.get(nameA) ?? initialA(), options.weights?.get(nameB) ?? initialB()];
      const factors = { A: newVariable(a, nameA), B: newVariable(b, nameB) };
      if (!options.weights) tf.dispose([a, b]);
      this.factorsByLayer.set(layer, factors);
      variables.set(nameA, factors.A);
      variables.set(nameB, factors.B);
    };
    for (const layer of this.layers) {
      const seed = rng.int(2 ** 31);
      addFactors(
        layer.name,
        () => kaimingUniform(layer.inFeatures, rank, seed),
        () => tf.zeros([rank, layer.outFeatures]),
      );
    }
    const embeddingRank = this.config.embeddingRank;
    if (embeddingRank > 0) {
      // A (V, r') zero, B (r', C) drawn as the embedding itself was (std 0.02)
      addFactors(
        EMBEDDING_LAYER,
        () => tf.zeros([vocabSize, embeddingRank]),
        () => tf.randomNormal([embeddingRank, nEmbd], 0, 0.02, 'float32', rng.int(2 ** 31)),
      );
    }
    this.variables = variables;
    this.attachHooks();
  }

  /** alpha / rank: what A·B is multiplied by. */
  get scaling(): number {
    return this.config.scaling;
  }

  /** The numbers that train: the sum over adapted layers of r·(in + out), and r'·(V + C) for the embedding. */
  get trainableParameterCount(): number {
    const { vocabSize, nEmbd } = this.model.config;
    const embedding = this.config.embeddingRank * (vocabSize + nEmbd);
    return this.layers.reduce((n, layer) => n + this.config.rank * (layer.inFeatures + layer.outFeatures), embedding);
  }

  /**
   * The share of all parameters that train, in percent: trainable / (base model + adapters)
   * × 100, as PEFT's `print_trainable_parameters` reports it.
   */
  get trainablePercent(): number {
    const trainable = this.trainableParameterCount;
    return (100 * trainable) / (countParameters(this.model.config) + trainable);
  }

  /**
   * Where the adapters stand: 'attached' (added in the forward pass), 'merged' (folded into
   * the base weights), 'detached' (off the model) or 'disposed'.
   */
  get status(): AdapterStatus {
    return this.state;
  }

  /** Whether A·B is currently folded into the base weights. */
  get merged(): boolean {
    return this.state === 'merged';
  }

  /** A layer's A and B (`EMBEDDING_LAYER` for the token embedding's). */
  factors(layer: string): LoraFactors {
    const factors = this.factorsByLayer.get(layer);
    if (!factors) throw new LoraError(`No adapter on '${layer}'. Adapted: ${this.adaptedNames().join(', ')}.`);
    return factors;
  }

  /** Every adapted weight by layer name: the linear layers, then `EMBEDDING_LAYER` if adapted. */
  adaptedNames(): string[] {
    return [...this.factorsByLayer.keys()];
  }

  /**
   * Folds the adapters into the base: W ← W + scaling·A·B for every adapted layer, after
   * which the adapters are bypassed (the forward costs what the base costs). All or nothing:
   * if any merged weight would be NaN or infinite, nothing changes and a LoraError says where.
   */
  merge(): void {
    this.expectState('attached', 'merge');
    const names = this.adaptedNames();
    const weights = names.map((name) => this.baseWeight(name)); // throws first if one is quantized
    const merged = new Map<string, tf.Tensor2D>();
    const broken: string[] = [];
    for (const [i, name] of names.entries()) {
      const weight = weights[i]!;
      const next = tf.tidy(() => tf.add(weight, this.deltaWeight(name)) as tf.Tensor2D); // (in, out), or (V, C)
      merged.set(name, next);
      if (!allFinite(next)) broken.push(name);
    }
    if (broken.length > 0) {
      tf.dispose([...merged.values()]);
      throw new LoraError(
        `Cannot merge: W + scaling·A·B has NaN or infinite values in ${broken.join(', ')}. ` +
          'Merging would destroy the base weights; nothing was changed. The adapters probably diverged: train again with a lower learning rate.',
      );
    }
    for (const [name, next] of merged) {
      this.baseWeight(name).assign(next);
      next.dispose();
    }
    this.removeHooks();
    this.state = 'merged';
  }

  /** Takes the adapters back out of the base: W ← W − scaling·A·B (the inverse of merge, up to rounding). */
  unmerge(): void {
    this.expectState('merged', 'unmerge');
    for (const name of this.adaptedNames()) {
      const weight = this.baseWeight(name);
      tf.tidy(() => weight.assign(tf.sub(weight, this.deltaWeight(name))));
    }
    this.attachHooks();
    this.state = 'attached';
  }

  /**
   * Takes the adapters off the model. A merged adapter stays in the base weights (as PEFT's
   * `merge_and_unload`); an unmerged one leaves the base exactly as it was.
   */
  detach(): void {
    if (this.state === 'disposed') return;
    this.removeHooks();
    this.state = 'detached';
  }

  /** Detaches the adapters and frees A and B. */
  dispose(): void {
    if (this.state === 'disposed') return;
    this.detach();
    for (const v of this.variables.values()) v.dispose();
    this.state = 'disposed';
  }

  /** scaling · A·B of one layer, (in, out) (or (V, C) for `EMBEDDING_LAYER`): the change the adapter makes to its weight. */
  deltaWeight(layer: string): tf.Tensor2D {
    const { A, B } = this.factors(layer);
    return tf.tidy(() => tf.mul(tf.matMul(A as tf.Tensor2D, B as tf.Tensor2D), this.scaling));
  }

  // --- Inside ---------------------------------------------------------------------------

  private attachHooks(): void {
    const { dropout } = this.config;
    this.detachHooks = this.layers.map((layer, index) => {
      const { A, B } = this.factors(layer.name);
      const hook: LinearHook = {
        name: 'lora',
        // x (N, in) → x·A (N, r) → x·A·B (N, out). Multiplying in this order costs
        // N·r·(in + out), much less than forming A·B (in·r·out) and then x·(A·B) (N·in·out).
        delta: (x, options) => {
          const seed = (options.dropoutSeed ?? 0) * 7919 + index + 1; // a different mask per layer and step
          const input = options.training && dropout > 0 ? (tf.dropout(x, dropout, undefined, seed) as tf.Tensor2D) : x;
          return tf.mul(linear(linear(input, A as tf.Tensor2D), B as tf.Tensor2D), this.scaling);
        },
      };
      return this.model.attachLinearHook(layer.name, hook);
    });
    if (this.factorsByLayer.has(EMBEDDING_LAYER)) {
      this.detachHooks.push(this.model.attachEmbeddingHook({ name: 'lora', delta: () => this.deltaWeight(EMBEDDING_LAYER) }));
    }
    this.state = 'attached';
  }

  private removeHooks(): void {
    for (const detach of this.detachHooks) detach();
    this.detachHooks = [];
  }

  private baseWeight(layer: string): tf.Variable {
    const weight = this.model.params.get(`${layer}.weight`);
    if (!weight) {
      throw new LoraError(
        `${layer}'s weight is quantized (QLoRA), not a float variable of the model. Merging into a ` +
          'quantized base means quantizing W + scaling·A·B again, which changes the outputs: use ' +
          'QuantizedModel.mergeLora(adapters, tokens), which also reports by how much.',
      );
    }
    return weight;
  }

  private expectState(expected: AdapterStatus, action: string): void {
    if (this.state === expected) return;
    const why: Record<AdapterStatus, string> = {
      attached: 'they are not merged',
      merged: 'they are already merged',
      detached: 'they were detached from the model',
      disposed: 'they were disposed',
    };
    throw new LoraError(`Cannot ${action} these LoRA adapters: ${why[this.state]}.`);
  }
}

/**
 * A's init, (in, r): Kaiming-uniform as in PEFT (PyTorch's default for a Linear's weight,
 * `kaiming_uniform_(a=√5)`), which is U(−1/√in, 1/√in). Each of the r numbers x·A then has
 * variance in · Var(x) · 1/(3·in) = Var(x) / 3: the input's scale, whatever the width.
 */
function kaimingUniform(inFeatures: number, rank: number, seed: number): tf.Tensor2D {
  const bound = 1 / Math.sqrt(inFeatures);
  return tf.randomUniform([inFeatures, rank], -bound, bound, 'float32', seed);
}

function newVariable(initial: tf.Tensor, name: string): tf.Variable {
  variableCounter += 1;
  return tf.variable(initial, true, `${name}#lora${variableCounter}`);
}

function allFinite(t: tf.Tensor): boolean {
  return (t.dataSync() as Float32Array).every(Number.isFinite);
}

function checkAdapterWeights(
  layers: readonly LinearLayerInfo[],
  rank: number,
  embeddingRank: number,
  model: { vocabSize: number; nEmbd: number },
  weights: ReadonlyMap<string, tf.Tensor>,
): void {
  const problems: string[] = [];
  const expected = new Map<string, number[]>();
  for (const layer of layers) {
    expected.set(loraVariableName(layer.name, 'A'), [layer.inFeatures, rank]);
    expected.set(loraVariableName(layer.name, 'B'), [rank, layer.outFeatures]);
  }
  if (embeddingRank > 0) {
    expected.set(loraVariableName(EMBEDDING_LAYER, 'A'), [model.vocabSize, embeddingRank]);
    expected.set(loraVariableName(EMBEDDING_LAYER, 'B'), [embeddingRank, model.nEmbd]);
  }
  for (const [name, shape] of expected) {
    const tensor = weights.get(name);
    if (!tensor) problems.push(`missing '${name}' (shape [${shape.join(', ')}])`);
    else if (tensor.shape.join(',') !== shape.join(',')) {
      problems.push(`'${name}' has shape [${tensor.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
  }
  for (const name of weights.keys()) if (!expected.has(name)) problems.push(`unexpected tensor '${name}'`);
  if (problems.length > 0) {
    throw new LoraError(`The adapter weights do not match the LoRA config (rank ${rank}, ${layers.length} layers, embedding rank ${embeddingRank}):\n  ${problems.slice(0, 8).join('\n  ')}`);
  }
}
