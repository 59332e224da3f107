/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).
 *
 * Adam keeps, per parameter, a running mean of the gradient (m, "momentum") and of its
 * square (v), and steps by m / √v: large where the gradient is consistent, small where it
 * is noisy. "Decoupled" weight decay shrinks the weights directly, p ← p·(1 − lr·λ),
 * instead of adding λ·p to the gradient (where Adam's scaling would weaken it).
 *
 * Only the variables passed in are updated: to freeze part of a model, leave it out.
 */
import * as tf from '../tf';
import { FUSED_ADAMW, type FusedAdamWAttrs, fusedAdamWSupported } from '../backend/fused-kernels';
import { tensorsToArrays } from '../model/checkpoint';
import type { NamedArray } from '../model/safetensors';

export interface AdamWOptions {
  /** Decay rate of the gradient's running mean. @default 0.9 */
  readonly beta1?: number;
  /** Decay rate of the squared gradient's running mean. @default 0.99 */
  readonly beta2?: number;
  /** Added to √v so a tiny v does not blow the step up. @default 1e-8 */
  readonly epsilon?: number;
  /** λ, the weight decay. @default 0.1 */
  readonly weightDecay?: number;
  /** Names of the variables weight decay applies to (matrices, usually). @default all */
  readonly decay?: ReadonlySet<string>;
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** How many updates have been applied (Adam's t, for bias correction). */
  stepCount = 0;
  private readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly decay: ReadonlySet<string>;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(variables: ReadonlyMap<string, tf.Variable>, options: AdamWOptions = {}) {
    this.variables = variables;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.99;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.1;
    this.decay = options.decay ?? new Set(variables.keys());
    for (const [name, check] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(check >= 0 && check < 1)) throw new RangeError(`AdamW: ${name} must be in [0, 1), got ${check}.`);
    }
    if (!(this.weightDecay >= 0)) throw new RangeError(`AdamW: weightDecay must be ≥ 0, got ${this.weightDecay}.`);
    for (const [name, variable] of variables) {
      const zeros = tf.zerosLike(variable); // tf.variable copies it
      this.m.set(name, tf.variable(zeros, false));
      this.v.set(name, tf.variable(zeros, false));
      zeros.dispose();
    }
  }

  /**
   * Applies one update with these gradients (by variable name) and learning rate.
   * `gradScale` multiplies every gradient first: gradient clipping without a scaled copy.
   */
  step(grads: tf.NamedTensorMap, lr: number, gradScale = 1): void {
    this.stepCount += 1;
    const t = this.stepCount;
    const { beta1: b1, beta2: b2, epsilon } = this;
    const correction1 = 1 - b1 ** t; // bias corrections: m and v start at 0
    const correction2 = 1 - b2 ** t;
    const fused = fusedAdamWSupported(); // on wasm: one kernel per tensor instead of a dozen
    tf.tidy(() => {
      for (const [name, variable] of this.variables) {
        const grad = grads[name];
        if (!grad) continue; // no gradient (unused by this loss): leave it
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        const decay = this.decay.has(name) ? lr * this.weightDecay : 0;
        if (fused && grad.dtype === 'float32') {
          const attrs: FusedAdamWAttrs = { lr, beta1: b1, beta2: b2, epsilon, decay, correction1, correction2, gradScale };
          const inputs = { param: variable, grad, m, v };
          const [newP, newM, newV] = tf.engine().runKernel(FUSED_ADAMW, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
          m.assign(newM!);
          v.assign(newV!);
          variable.assign(newP!);
          continue;
        }
        const g = gradScale === 1 ? grad : tf.mul(grad, gradScale);
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        const decayed = decay > 0 ? tf.mul(variable, 1 - decay) : variable;
        const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(correction2)), epsilon);
        variable.assign(tf.sub(decayed, tf.mul(tf.div(m, denominator), lr / correction1)));
      }
    });
  }

  /** The optimizer's state as named arrays (`m.<name>`, `v.<name>`), for checkpoints. */
  stateArrays(): Map<string, NamedArray> {
    const moments = new Map<string, tf.Variable>();
    for (const [prefix, table] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, variable] of table) moments.set(`${prefix}.${name}`, variable);
    }
    return tensorsToArrays(moments);
  }

  /** Restores state saved by `stateArrays()`; every moment must be present with the right shape. */
  loadStateArrays(arrays: ReadonlyMap<string, NamedArray>, stepCount: number): void {
    for (const [prefix, table] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, variable] of table) {
        const saved = arrays.get(`${prefix}.${name}`);
        if (!saved) throw new Error(`The optimizer state has no '${prefix}.${name}': it was saved for a different model.`);
        if (saved.shape.join(',') !== variable.shape.join(',')) {
          throw new Error(`The optimizer state's '${prefix}.${name}' has shape [${saved.shape}], the model needs [${variable.shape}].`);
        }
        const value = tf.tensor(saved.data, variable.shape, 'float32');
        variable.assign(value);
        value.dispose();
      }
    }
    this.stepCount = stepCount;
  }

  dispose(): void {
    for (const table of [this.m, this.v]) for (const variable of table.values()) variable.dispose();
  }
}

/**
 * Scales the gradients down so that their global L2 norm is at most `maxNorm` (as PyTorch's
 * `clip_grad_norm_`): one unlucky batch cannot take a giant step. Returns the norm before
 * clipping (worth watching: spikes announce trouble) and the clipped gradients (new tensors).
 */
export function clipGradientsByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { norm: number; grads: tf.NamedTensorMap } {
  const names = Object.keys(grads);
  const norm = globalGradientNorm(grads);
  const scale = clipScale(norm, maxNorm);
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = scale < 1 ? tf.mul(grads[n]!, scale) : tf.clone(grads[n]!);
  return { norm, grads: clipped };
}

/** The factor that brings a gradient of this norm down to `maxNorm` (1 when it is already within). */
export function clipScale(norm: number, maxNorm: number): number {
  return Math.min(1, maxNorm / (norm + 1e-6));
}

/** The L2 norm of all gradients together, as if they were one long vector. */
export function globalGradientNorm(grads: tf.NamedTensorMap): number {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
}
