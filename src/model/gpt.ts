/**
 * GPT, as in GPT-2: token + position embeddings, a stack of pre-norm transformer blocks
 * (causal self-attention, then an MLP, each added back to the residual stream), a final
 * layer norm, and an output head that shares its weights with the token embedding.
 *
 * The parameters live in one map, named as in GPT-2 (`transformer.h.0.attn.c_attn.weight`)
 * with linear weights stored [in, out], so a checkpoint can move to and from PyTorch.
 * Shapes in comments: B batch, T time (tokens), C channels (nEmbd), H heads, V vocabulary.
 */
import * as tf from '../tf';
import { SeededRandom } from '../util/random';
import { type GPTConfig, validateConfig } from './config';
import { KVCache, type LayerKeyValues, causalMaskAfter } from './kv-cache';
import { causalMask, crossEntropyLoss, fusedCausalAttention, gelu, layerNorm, linear } from './layers';
import { fusedAttentionSupports } from '../backend/fused-kernels';

/** How one parameter tensor is shaped and first filled. */
export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** 'normal' draws from N(0, std²); 'ones' and 'zeros' are for layer norms and biases. */
  readonly init: 'normal' | 'ones' | 'zeros';
  readonly std?: number;
}

/** Every parameter of a GPT with this config, in a fixed order (the order of the checkpoint). */
export function parameterSpecs(config: GPTConfig): ParameterSpec[] {
  const { vocabSize: V, blockSize, nLayer, nEmbd: C, bias } = config;
  // GPT-2 scales the init of the projections that write into the residual stream by
  // 1/√(2·nLayer): each block adds two of them, and their sum should not grow with depth.
  const residualStd = 0.02 / Math.sqrt(2 * nLayer);
  const specs: ParameterSpec[] = [
    { name: 'transformer.wte.weight', shape: [V, C], init: 'normal', std: 0.02 },
    { name: 'transformer.wpe.weight', shape: [blockSize, C], init: 'normal', std: 0.02 },
  ];
  const layerNormSpecs = (prefix: string): ParameterSpec[] => [
    { name: `${prefix}.weight`, shape: [C], init: 'ones' },
    ...(bias ? [{ name: `${prefix}.bias`, shape: [C], init: 'zeros' } as const] : []),
  ];
  const linearSpecs = (prefix: string, inDim: number, outDim: number, std: number): ParameterSpec[] => [
    { name: `${prefix}.weight`, shape: [inDim, outDim], init: 'normal', std },
    ...(bias ? [{ name: `${prefix}.bias`, shape: [outDim], init: 'zeros' } as const] : []),
  ];
  for (let i = 0; i < nLayer; i++) {
    const h = `transformer.h.${i}`;
    specs.push(
      ...layerNormSpecs(`${h}.ln_1`),
      ...linearSpecs(`${h}.attn.c_attn`, C, 3 * C, 0.02),
      ...linearSpecs(`${h}.attn.c_proj`, C, C, residualStd),
      ...layerNormSpecs(`${h}.ln_2`),
      ...linearSpecs(`${h}.mlp.c_fc`, C, 4 * C, 0.02),
      ...linearSpecs(`${h}.mlp.c_proj`, 4 * C, C, residualStd),
    );
  }
  specs.push(...layerNormSpecs('transformer.ln_f'));
  return specs;
}

export interface ForwardOptions {
  /**
   * When given, each block's attention weights (B, H, T, T) are pushed here, kept out of
   * the surrounding `tf.tidy` (the caller disposes them). For attention heatmaps.
   */
  readonly attentionWeights?: tf.Tensor4D[];
  /** Training mode turns dropout on (when the config has dropout > 0). @default false */
  readonly training?: boolean;
  /** Seeds the dropout masks in training mode. @default 0 */
  readonly dropoutSeed?: number;
}

/** Options of `GPT.loss`: those of the forward pass, and which positions count. */
export interface LossOptions extends ForwardOptions {
  /**
   * A weight per position, (B, T): 1 where the position's loss counts, 0 where it is
   * ignored. The loss is then Σ wᵢ·lossᵢ / Σ wᵢ, the mean over the counted positions, and an
   * ignored position affects neither the loss nor the gradient. Instruction tuning counts
   * only the positions that predict the answer (`encodeForTraining` makes the mask). A mask
   * of all zeros is an error: there would be nothing to learn from.
   * @default every position counts
   */
  readonly lossMask?: tf.Tensor2D;
}

/**
 * What a fine-tuning method plugs into one linear layer, y = x·W + b (see `attachLinearHook`).
 * Both parts are optional and run inside the forward pass's `tf.tidy`:
 *
 * - `weight()` supplies W (in, out) instead of the model's variable: QLoRA keeps W quantized
 *   and dequantizes it here, on the fly, so no float copy outlives the forward pass;
 * - `delta(x)` adds a term to the output (N, out): LoRA adds scaling · x·A·B.
 */
export interface LinearHook {
  /** Says who attached it ('lora', 'quantized'): one hook of each name per layer. */
  readonly name: string;
  readonly weight?: () => tf.Tensor2D;
  readonly delta?: (x: tf.Tensor2D, options: ForwardOptions) => tf.Tensor2D;
}

/**
 * Adds a change (V, C) to the token embedding in the forward pass, and so to the tied output
 * head too (see `attachEmbeddingHook`): trainable-token fine-tuning adds learned rows for a
 * few tokens to a frozen embedding, LoRA a low-rank change to the whole table.
 */
export interface EmbeddingHook {
  readonly name: string;
  readonly delta: () => tf.Tensor2D;
}

export class GPT {
  readonly config: GPTConfig;
  /**
   * Every trainable tensor, by its GPT-2 name. A parameter taken out with
   * `releaseParameter` (a quantized weight) is not in it until it is restored.
   */
  readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly paramMap: Map<string, tf.Variable>;
  private readonly released = new Set<string>();
  private readonly hooks = new Map<string, LinearHook[]>();
  private embeddingHooks: EmbeddingHook[] = [];
  private dropoutCalls = 0;

  /**
   * A GPT with fresh random weights (seeded), or with the given weights (from a checkpoint).
   * Given weights must match the config exactly: every name present, every shape right.
   */
  constructor(config: GPTConfig, options: { seed?: number; weights?: ReadonlyMap<string, tf.Tensor> } = {}) {
    this.config = validateConfig({ ...config });
    const params = new Map<string, tf.Variable>();
    const rng = new SeededRandom(options.seed ?? 0);
    const specs = parameterSpecs(this.config);
    if (options.weights) checkWeightsMatch(specs, options.weights);
    for (const spec of specs) {
      const initial = options.weights?.get(spec.name) ?? initialValue(spec, rng.int(2 ** 31));
      params.set(spec.name, tf.variable(initial, true, `${spec.name}#${uniqueId()}`));
      if (!options.weights) initial.dispose();
    }
    this.paramMap = params;
    this.params = params;
  }

  /** The total number of numbers the model learns (those held in `params`). */
  numParameters(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.size;
    return n;
  }

  /** The parameters that weight decay applies to: matrices, not biases or layer-norm gains. */
  decayedParameterNames(): string[] {
    return [...this.params].filter(([, p]) => p.rank >= 2).map(([name]) => name);
  }

  /**
   * Token ids (B, T) → the final hidden states (B, T, C), after the last layer norm.
   * Classification heads and analysis tools start from here.
   */
  hiddenStates(idx: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = idx.shape;
      const { blockSize, nEmbd: C } = this.config;
      if (T > blockSize) {
        throw new RangeError(
          `The model sees at most blockSize = ${blockSize} tokens, got a sequence of ${T}. ` +
            `Crop the input to its last ${blockSize} tokens.`,
        );
      }
      const tokenEmb = tf.gather(this.tokenEmbedding(), tf.reshape(idx, [B * T])); // (B*T, C)
      const posEmb = tf.slice(this.p('transformer.wpe.weight'), [0, 0], [T, C]); // (T, C)
      let x = tf.reshape(tf.add(tf.reshape(tokenEmb, [B, T, C]), posEmb), [B * T, C]) as tf.Tensor2D;
      x = this.dropout(x, options);
      for (let i = 0; i < this.config.nLayer; i++) x = this.block(i, x, B, T, options);
      x = this.layerNorm('transformer.ln_f', x);
      return tf.reshape(x, [B, T, C]);
    });
  }

  /** Token ids (B, T) → logits (B, T, V): a score for every possible next token. */
  forward(idx: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = idx.shape;
      const h = tf.reshape(this.hiddenStates(idx, options), [B * T, this.config.nEmbd]) as tf.Tensor2D;
      // The output head is the token embedding, transposed: a token's score is how well the
      // final hidden state matches that token's own embedding (weight tying, as GPT-2).
      const logits = linear(h, tf.transpose(this.tokenEmbedding())); // (B*T, V)
      return tf.reshape(logits, [B, T, this.config.vocabSize]);
    });
  }

  /**
   * Token ids (B, T) → logits for the token after the last one (B, V). What generation
   * needs: the head runs on one position instead of all T.
   */
  nextTokenLogits(idx: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T] = idx.shape;
      const C = this.config.nEmbd;
      const last = tf.reshape(tf.slice(this.hiddenStates(idx), [0, T - 1, 0], [B, 1, C]), [B, C]) as tf.Tensor2D;
      return linear(last, tf.transpose(this.tokenEmbedding())); // (B, V)
    });
  }

  // --- Incremental decoding: the key/value cache ---------------------------------------

  /** An empty key/value cache for this model, to pass to `nextTokenLogitsCached`. */
  createKVCache(): KVCache {
    return new KVCache(this.config.nLayer);
  }

  /**
   * `nextTokenLogits` for generation, one step at a time. `idx` (B, T) holds only the tokens
   * that are new since the last call; the cache holds the keys and values of the P tokens
   * before them. The new tokens run through the blocks at positions P … P+T−1, attending
   * to the cached keys and to each other; their keys and values are appended to the cache;
   * the result is the logits for the token after the last one (B, V), as `nextTokenLogits`
   * of the whole sequence would give them.
   *
   * The window: positions are absolute (learned position embeddings), so when P + T would
   * exceed blockSize the window has to slide, every cached key is then computed from the
   * wrong position, and the cache is useless. This method throws a RangeError then; the
   * caller clears the cache and runs the last blockSize tokens again (`generate` does),
   * which is exactly what a model without a cache sees (nanoGPT crops the same way).
   *
   * Linear layers go through `linear()`, so LoRA and QLoRA hooks apply as in `forward`.
   *
   * `store: false` leaves the cache as it was: for a step whose keys and values nobody will
   * read (the window is full, so the next step slides and starts over), which saves
   * putting them into the cache's layout. The caller then clears the cache.
   */
  nextTokenLogitsCached(idx: tf.Tensor2D, cache: KVCache, options: { store?: boolean } = {}): tf.Tensor2D {
    const store = options.store ?? true;
    const [B, T] = idx.shape;
    const P = cache.length;
    const { blockSize, nEmbd: C, nLayer } = this.config;
    if (cache.nLayer !== nLayer) {
      throw new RangeError(`This cache is for a model of ${cache.nLayer} blocks; this model has ${nLayer}. Use model.createKVCache().`);
    }
    if (T < 1) throw new RangeError('No new tokens: give at least one token to run.');
    if (P > 0 && cache.batchSize !== B) {
      throw new RangeError(`The cache holds a batch of ${cache.batchSize} sequences, the new tokens a batch of ${B}.`);
    }
    if (P + T > blockSize) {
      throw new RangeError(
        `${P} cached + ${T} new tokens exceed blockSize = ${blockSize}. The window must slide: ` +
          `clear() the cache and run the last ${blockSize} tokens.`,
      );
    }
    const present: LayerKeyValues[] = []; // kept out of the tidy: the cache takes them
    const compute = (): tf.Tensor2D => {
      const tokenEmb = tf.gather(this.tokenEmbedding(), tf.reshape(idx, [B * T])); // (B*T, C)
      const posEmb = tf.slice(this.p('transformer.wpe.weight'), [P, 0], [T, C]); // (T, C): positions P … P+T−1
      let x = tf.reshape(tf.add(tf.reshape(tokenEmb, [B, T, C]), posEmb), [B * T, C]) as tf.Tensor2D;
      for (let i = 0; i < nLayer; i++) {
        // Only the last position predicts: the last block needs the keys and values of all
        // T new tokens, but the rest of its work only for the last one.
        const out = this.cachedBlock(i, x, B, T, cache.layer(i), i === nLayer - 1, store);
        x = out.x;
        if (store && out.keyValues) present.push({ keys: tf.keep(out.keyValues.keys), values: tf.keep(out.keyValues.values) });
      }
      x = this.layerNorm('transformer.ln_f', x); // (B, C)
      return tf.matMul(x, this.tokenEmbedding(), false, true); // (B, V): the tied head
    };
    let logits: tf.Tensor2D;
    try {
      logits = tf.tidy(compute);
    } catch (error) {
      tf.dispose(present.flatMap((l) => [l.keys, l.values]));
      throw error;
    }
    if (store) cache.update(present);
    return logits;
  }

  /**
   * The attention weights of every block for these tokens: one (B, H, T, T) tensor per
   * layer, where [b, h, i, j] is how much position i attends to position j. The caller
   * disposes them.
   */
  attentionMaps(idx: tf.Tensor2D): tf.Tensor4D[] {
    const attentionWeights: tf.Tensor4D[] = [];
    tf.dispose(this.hiddenStates(idx, { attentionWeights }));
    return attentionWeights;
  }

  /**
   * Mean next-token cross-entropy of the model on (inputs, targets), both (B, T). With a
   * `lossMask`, the mean over the positions the mask counts (see `LossOptions`).
   */
  loss(idx: tf.Tensor2D, targets: tf.Tensor2D, options: LossOptions = {}): tf.Scalar {
    return tf.tidy(() => {
      const [B, T] = idx.shape;
      const { lossMask } = options;
      if (lossMask === undefined) {
        const logits = tf.reshape(this.forward(idx, options), [B * T, this.config.vocabSize]) as tf.Tensor2D;
        return crossEntropyLoss(logits, tf.reshape(targets, [B * T]));
      }
      const counted = checkLossMask(lossMask, B, T); // before a forward pass is spent on a bad mask
      const logits = tf.reshape(this.forward(idx, options), [B * T, this.config.vocabSize]) as tf.Tensor2D;
      const onehot = tf.oneHot(tf.cast(tf.reshape(targets, [B * T]), 'int32') as tf.Tensor1D, this.config.vocabSize);
      const weights = tf.reshape(tf.cast(lossMask, 'float32'), [B * T, 1]); // (B*T, 1)
      return maskedCrossEntropyWithOneHot(logits, onehot as tf.Tensor2D, weights as tf.Tensor2D, tf.scalar(counted));
    });
  }

  /** Frees every weight. The model cannot be used afterwards. */
  dispose(): void {
    for (const p of this.params.values()) p.dispose();
  }

  // --- Extension points for fine-tuning (LoRA, QLoRA) -----------------------------------

  /** The names of the linear layers hooks can attach to (`transformer.h.0.attn.c_attn`, …). */
  linearLayerNames(): string[] {
    return parameterSpecs(this.config)
      .filter((s) => s.shape.length === 2 && s.name.startsWith('transformer.h.'))
      .map((s) => s.name.slice(0, -'.weight'.length));
  }

  /**
   * Plugs `hook` into the linear layer `layer` (a name from `linearLayerNames()`); returns
   * the function that takes it out again. Hooks of different names stack on one layer
   * (a quantized weight underneath, a LoRA delta on top); a second hook of the same name is
   * an error.
   */
  attachLinearHook(layer: string, hook: LinearHook): () => void {
    if (!this.linearLayerNames().includes(layer)) {
      throw new Error(`The model has no linear layer '${layer}'. Its linear layers: ${this.linearLayerNames().join(', ')}.`);
    }
    const attached = this.hooks.get(layer) ?? [];
    if (attached.some((h) => h.name === hook.name)) {
      throw new Error(`A '${hook.name}' hook is already attached to ${layer}; detach it first.`);
    }
    if (hook.weight && attached.some((h) => h.weight)) {
      throw new Error(`${layer} already gets its weight from the '${attached.find((h) => h.weight)!.name}' hook.`);
    }
    this.hooks.set(layer, [...attached, hook]);
    return () => {
      const remaining = (this.hooks.get(layer) ?? []).filter((h) => h !== hook);
      if (remaining.length > 0) this.hooks.set(layer, remaining);
      else this.hooks.delete(layer);
    };
  }

  /**
   * Plugs `hook` into the token embedding (and with it the tied output head); returns the
   * function that takes it out again. Hooks add up; each name once.
   */
  attachEmbeddingHook(hook: EmbeddingHook): () => void {
    if (this.embeddingHooks.some((h) => h.name === hook.name)) {
      throw new Error(`The token embedding already has a '${hook.name}' hook; detach it first.`);
    }
    this.embeddingHooks.push(hook);
    return () => {
      this.embeddingHooks = this.embeddingHooks.filter((h) => h !== hook);
    };
  }

  /** The names of the hooks on the token embedding, in the order they were attached. */
  embeddingHookNames(): string[] {
    return this.embeddingHooks.map((h) => h.name);
  }

  /** The token embedding (V, C) the forward pass uses: the variable plus what hooks add. */
  private tokenEmbedding(): tf.Tensor2D {
    const weight = this.p('transformer.wte.weight') as tf.Tensor2D;
    return this.embeddingHooks.reduce((w, hook) => tf.add(w, hook.delta()) as tf.Tensor2D, weight);
  }

  /** The hooks attached to a linear layer, in the order they were attached. */
  linearHooks(layer: string): readonly LinearHook[] {
    return this.hooks.get(layer) ?? [];
  }

  /**
   * Takes a parameter out of `params` and hands it to the caller, who now owns it (QLoRA
   * quantizes a linear weight and frees the float variable). Its layer then needs a hook
   * that supplies the weight; `restoreParameter` puts one back.
   */
  releaseParameter(name: string): tf.Variable {
    const param = this.p(name);
    this.paramMap.delete(name);
    this.released.add(name);
    return param;
  }

  /** Puts a released parameter back (same name, same shape), in its checkpoint order. */
  restoreParameter(name: string, variable: tf.Variable): void {
    const spec = parameterSpecs(this.config).find((s) => s.name === name);
    if (!spec || !this.released.has(name)) throw new Error(`'${name}' is not a released parameter of this model.`);
    if (variable.shape.join(',') !== spec.shape.join(',')) {
      throw new WeightsMismatchError(`'${name}' must have shape [${spec.shape.join(', ')}], got [${variable.shape.join(', ')}].`);
    }
    this.released.delete(name);
    const ordered = parameterSpecs(this.config)
      .map((s): [string, tf.Variable | undefined] => [s.name, s.name === name ? variable : this.paramMap.get(s.name)])
      .filter((entry): entry is [string, tf.Variable] => entry[1] !== undefined);
    this.paramMap.clear();
    for (const [n, v] of ordered) this.paramMap.set(n, v);
  }

  // --- The parts, top-down ------------------------------------------------------------

  /** One transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). x: (B*T, C). */
  private block(i: number, x: tf.Tensor2D, B: number, T: number, options: ForwardOptions): tf.Tensor2D {
    const h = `transformer.h.${i}`;
    const attended = this.attention(`${h}.attn`, this.layerNorm(`${h}.ln_1`, x), B, T, options);
    x = tf.add(x, this.dropout(attended, options));
    const transformed = this.mlp(`${h}.mlp`, this.layerNorm(`${h}.ln_2`, x), options);
    return tf.add(x, this.dropout(transformed, options));
  }

  /**
   * Causal multi-head self-attention. Each token makes a query, a key and a value; a
   * token's output is the average of the values of the tokens at or before it, weighted by
   * how well its query matches their keys. x: (B*T, C) → (B*T, C).
   */
  private attention(prefix: string, x: tf.Tensor2D, B: number, T: number, options: ForwardOptions): tf.Tensor2D {
    const { nHead: H, nEmbd: C } = this.config;
    const hs = C / H; // head size
    const qkv = this.linear(`${prefix}.c_attn`, x, options); // (B*T, 3C)
    // On `wasm` the whole computation below is one fused kernel (same numbers, several
    // times faster); it has no attention dropout and does not hand out the weights.
    const fused = !options.attentionWeights && !(options.training && this.config.dropout > 0) && fusedAttentionSupports(hs);
    if (fused) return this.linear(`${prefix}.c_proj`, fusedCausalAttention(qkv, B, T, H), options);
    const [q, k, v] = tf.split(qkv, 3, 1).map((t) =>
      tf.transpose(tf.reshape(t, [B, T, H, hs]), [0, 2, 1, 3]),
    ) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // each (B, H, T, hs)
    // Scores scaled by 1/√hs so that their variance does not grow with the head size
    // (large scores would make the softmax nearly one-hot and its gradient vanish).
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hs)), causalMask(T)); // (B, H, T, T)
    const probabilities = tf.softmax(scores) as tf.Tensor4D; // each row sums to 1 over the past
    if (options.attentionWeights) options.attentionWeights.push(tf.keep(tf.clone(probabilities)));
    const weights = this.dropout(probabilities, options);
    const y = tf.matMul(weights, v); // (B, H, T, hs)
    const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D; // heads side by side
    return this.linear(`${prefix}.c_proj`, merged, options);
  }

  /**
   * `block` for T new tokens after the cached ones. x: (B*T, C) → (B*T, C), or (B, C) for
   * the last position only when `lastOnly`; also returns the block's keys and values,
   * cached and new, (B, nh, P+T, hs), unless `store` is false.
   */
  private cachedBlock(
    i: number,
    x: tf.Tensor2D,
    B: number,
    T: number,
    past: LayerKeyValues | undefined,
    lastOnly: boolean,
    store: boolean,
  ): { x: tf.Tensor2D; keyValues?: LayerKeyValues } {
    const h = `transformer.h.${i}`;
    const { y, keyValues } = this.cachedAttention(`${h}.attn`, this.layerNorm(`${h}.ln_1`, x), B, T, past, lastOnly, store);
    if (lastOnly) x = lastPosition(x, B, T); // (B, C)
    x = tf.add(x, y);
    return { x: tf.add(x, this.mlp(`${h}.mlp`, this.layerNorm(`${h}.ln_2`, x), {})), keyValues };
  }

  /**
   * `attention` for T new tokens that follow P cached ones: queries from the new tokens,
   * keys and values from the cached and the new ones. x: (B*T, C) → (B*T, C), or (B, C)
   * for the last position only when `lastOnly`. The keys and values come back in the
   * cache's layout unless `store` is false.
   */
  private cachedAttention(
    prefix: string,
    x: tf.Tensor2D,
    B: number,
    T: number,
    past: LayerKeyValues | undefined,
    lastOnly: boolean,
    store: boolean,
  ): { y: tf.Tensor2D; keyValues?: LayerKeyValues } {
    const { nHead: H, nEmbd: C } = this.config;
    const hs = C / H; // head size
    const P = past ? past.keys.shape[2] : 0;
    const qkv = this.linear(`${prefix}.c_attn`, x); // (B*T, 3C)
    const Tq = lastOnly ? 1 : T; // the queries that are asked
    const heads = (t: tf.Tensor2D, n: number): tf.Tensor4D => tf.transpose(tf.reshape(t, [B, n, H, hs]), [0, 2, 1, 3]); // (B, H, n, hs)
    if (!past && T > 1 && fusedAttentionSupports(hs)) {
      // Nothing cached (a new window) on wasm: the fused kernel, then the keys and values
      // in the cache's layout for the tokens that follow.
      const attended = fusedCausalAttention(qkv, B, T, H); // (B*T, C)
      const merged = lastOnly ? lastPosition(attended, B, T) : attended;
      const y = this.linear(`${prefix}.c_proj`, merged);
      if (!store) return { y };
      const k = tf.slice(qkv, [0, C], [B * T, C]);
      const v = tf.slice(qkv, [0, 2 * C], [B * T, C]);
      return { y, keyValues: { keys: heads(k, T), values: heads(v, T) } };
    }
    if (B === 1 && !past && T > 1 && tf.getBackend() === 'wasm') {
      // One sequence, nothing cached (a new window): faster head by head on wasm.
      const q = tf.slice(qkv, [T - Tq, 0], [Tq, C]); // (Tq, C)
      const k = tf.slice(qkv, [0, C], [T, C]); // (T, C)
      const v = tf.slice(qkv, [0, 2 * C], [T, C]); // (T, C)
      const merged = attentionHeadByHead(q, k, v, H); // (Tq, C)
      return { y: this.linear(`${prefix}.c_proj`, merged), keyValues: { keys: heads(k, T), values: heads(v, T) } };
    }
    const [q, k, v] = tf.split(qkv, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D]; // each (B*T, C)
    const keys = past ? tf.concat4d([past.keys, heads(k, T)], 2) : heads(k, T); // (B, H, P+T, hs)
    const values = past ? tf.concat4d([past.values, heads(v, T)], 2) : heads(v, T); // (B, H, P+T, hs)
    const queries = heads(lastOnly ? lastPosition(q, B, T) : q, Tq); // (B, H, Tq, hs)
    let scores = tf.mul(tf.matMul(queries, keys, false, true), 1 / Math.sqrt(hs)); // (B, H, Tq, P+T)
    // New token i sits at position P+i and sees up to there. The last one sees everything.
    if (Tq > 1) scores = tf.add(scores, causalMaskAfter(P, T));
    const y = tf.matMul(tf.softmax(scores), values); // (B, H, Tq, hs)
    const merged = tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * Tq, C]) as tf.Tensor2D; // heads side by side
    return { y: this.linear(`${prefix}.c_proj`, merged), keyValues: { keys, values } };
  }

  /** The feed-forward network: widen to 4C, GELU, project back to C. */
  private mlp(prefix: string, x: tf.Tensor2D, options: ForwardOptions): tf.Tensor2D {
    return this.linear(`${prefix}.c_proj`, gelu(this.linear(`${prefix}.c_fc`, x, options)), options);
  }

  /**
   * A linear layer by name: x·W (+ b). Fine-tuning methods hook in here (`attachLinearHook`):
   * a hook may supply W (QLoRA's dequantized weight) and add a delta (LoRA's x·A·B).
   */
  protected linear(prefix: string, x: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor2D {
    const hooks = this.hooks.get(prefix) ?? [];
    const supplier = hooks.find((h) => h.weight);
    const weight = supplier ? supplier.weight!() : (this.p(`${prefix}.weight`) as tf.Tensor2D);
    let y = linear(x, weight, this.optional(`${prefix}.bias`) as tf.Tensor1D | undefined); // (N, out)
    for (const hook of hooks) if (hook.delta) y = tf.add(y, hook.delta(x, options));
    return y;
  }

  private layerNorm(prefix: string, x: tf.Tensor2D): tf.Tensor2D {
    return layerNorm(x, this.p(`${prefix}.weight`) as tf.Tensor1D, this.optional(`${prefix}.bias`) as tf.Tensor1D | undefined);
  }

  private dropout<T extends tf.Tensor>(x: T, options: ForwardOptions): T {
    const rate = this.config.dropout;
    if (!options.training || rate === 0) return x;
    this.dropoutCalls += 1;
    return tf.dropout(x, rate, undefined, (options.dropoutSeed ?? 0) * 100003 + this.dropoutCalls) as T;
  }

  private p(name: string): tf.Variable {
    const param = this.params.get(name);
    if (!param) {
      const why = this.released.has(name) ? ' (it was released: its layer needs a hook that supplies the weight)' : '';
      throw new Error(`The model has no parameter named '${name}'${why}.`);
    }
    return param;
  }

  private optional(name: string): tf.Variable | undefined {
    return this.params.get(name);
  }
}

/**
 * Causal self-attention of one sequence with nothing cached, head by head in 2-D products:
 * the wasm backend multiplies 2-D matrices several times faster than batched 4-D ones.
 * q: (Tq, C), the last Tq of the T positions; k, v: (T, C) → (Tq, C), heads side by side.
 */
function attentionHeadByHead(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, H: number): tf.Tensor2D {
  const [Tq, C] = q.shape;
  const T = k.shape[0];
  const hs = C / H;
  const scaled = tf.mul(q, 1 / Math.sqrt(hs)); // the scores' scale, applied once to all heads' queries
  const keysT = tf.transpose(k); // (C, T): head h's keys, transposed, are rows h·hs … (h+1)·hs − 1
  const mask = Tq > 1 ? causalMask(T) : undefined; // Tq = 1 is the last position: it sees all
  const outputs: tf.Tensor2D[] = [];
  for (let h = 0; h < H; h++) {
    let scores = tf.matMul(tf.slice(scaled, [0, h * hs], [Tq, hs]), tf.slice(keysT, [h * hs, 0], [hs, T])); // (Tq, T)
    if (mask) scores = tf.add(scores, mask);
    outputs.push(tf.matMul(tf.softmax(scores), tf.slice(v, [0, h * hs], [T, hs]))); // (Tq, hs)
  }
  return tf.concat2d(outputs, 1); // (Tq, C)
}

/** The last of T positions of each sequence: (B*T, C) → (B, C). */
function lastPosition(x: tf.Tensor2D, B: number, T: number): tf.Tensor2D {
  const C = x.shape[1];
  if (T === 1) return x;
  if (B === 1) return tf.slice(x, [T - 1, 0], [1, C]);
  return tf.reshape(tf.slice(tf.reshape(x, [B, T, C]), [0, T - 1, 0], [B, 1, C]), [B, C]);
}

function initialValue(spec: ParameterSpec, seed: number): tf.Tensor {
  const shape = [...spec.shape];
  switch (spec.init) {
    case 'ones':
      return tf.ones(shape);
    case 'zeros':
      return tf.zeros(shape);
    case 'normal':
      return tf.randomNormal(shape, 0, spec.std ?? 0.02, 'float32', seed);
  }
}

/**
 * The loss mask must be (B, T) like the targets, hold non-negative weights, and count at least
 * one position. Returns Σ wᵢ, the number of counted positions for a 0/1 mask. (Reading the
 * mask back is cheap: B·T numbers that do not depend on the model.)
 */
function checkLossMask(lossMask: tf.Tensor2D, B: number, T: number): number {
  if (lossMask.shape.length !== 2 || lossMask.shape[0] !== B || lossMask.shape[1] !== T) {
    throw new RangeError(
      `The lossMask must have the shape of the targets, [${B}, ${T}] (batch, time), got [${lossMask.shape.join(', ')}].`,
    );
  }
  let counted = 0;
  for (const weight of lossMask.dataSync()) {
    if (!(weight >= 0 && Number.isFinite(weight))) {
      throw new RangeError(`The lossMask holds ${weight}; its weights must be finite and non-negative (1 counts a position, 0 ignores it).`);
    }
    counted += weight;
  }
  if (counted === 0) {
    throw new RangeError(
      'The lossMask is all zeros: no position counts, so there is nothing to learn from (the loss ' +
        'would be 0/0). Each example needs at least one answer token inside blockSize ' +
        '(encodeForTraining checks that); check that this mask was made for these targets.',
    );
  }
  return counted;
}

/**
 * Cross-entropy averaged over the counted positions: −Σ wᵢ·log p(targetᵢ) / Σ wᵢ.
 * logits, onehot: (N, V); weights: (N, 1); counted: Σ wᵢ. As with `crossEntropyLoss`, the
 * gradient is given directly: (softmax(logits) − onehot) · wᵢ / Σ wᵢ, which is exactly zero on
 * the rows of ignored positions. With every weight 1 it is the unmasked loss, op for op.
 */
const maskedCrossEntropyWithOneHot = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [logits, onehot, weights, counted, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const logProbs = tf.logSoftmax(logits);
  const loss = tf.neg(tf.div(tf.sum(tf.mul(tf.mul(onehot, weights), logProbs)), counted));
  save([logProbs, onehot, weights, counted]);
  return {
    value: loss,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedLogProbs, savedOneHot, savedWeights, savedCounted] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const dLogits = tf.mul(tf.div(tf.mul(tf.sub(tf.exp(savedLogProbs), savedOneHot), savedWeights), savedCounted), dy);
      return [dLogits, tf.zerosLike(savedOneHot), tf.zerosLike(savedWeights), tf.zerosLike(savedCounted)];
    },
  };
}) as unknown as (logits: tf.Tensor2D, onehot: tf.Tensor2D, weights: tf.Tensor2D, counted: tf.Scalar) => tf.Scalar;

/** Raised when weights (from a checkpoint, say) do not fit the config's model. */
export class WeightsMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeightsMismatchError';
  }
}

function checkWeightsMatch(specs: readonly ParameterSpec[], weights: ReadonlyMap<string, tf.Tensor>): void {
  const problems: string[] = [];
  const expected = new Set(specs.map((s) => s.name));
  for (const spec of specs) {
    const tensor = weights.get(spec.name);
    if (!tensor) problems.push(`missing '${spec.name}' (expected shape [${spec.shape.join(', ')}])`);
    else if (tensor.shape.join(',') !== spec.shape.join(',')) {
      problems.push(`'${spec.name}' has shape [${tensor.shape.join(', ')}], the config needs [${spec.shape.join(', ')}]`);
    }
  }
  for (const name of weights.keys()) if (!expected.has(name)) problems.push(`unexpected tensor '${name}'`);
  if (problems.length > 0) {
    const shown = problems.slice(0, 8).join('\n  ');
    const more = problems.length > 8 ? `\n  … and ${problems.length - 8} more` : '';
    throw new WeightsMismatchError(
      `The weights do not match the model config:\n  ${shown}${more}\n` +
        `Were these weights saved with a different config (vocabSize, nLayer, nEmbd, bias…)?`,
    );
  }
}

let idCounter = 0;
function uniqueId(): number {
  idCounter += 1;
  return idCounter;
}
