/**
 * The fused AdamW update (`adamw.wat`) as a tfjs kernel function. Used by `AdamW.step` in
 * `train/adamw.ts`.
 */
import type * as tf from '../../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { adamwWasmBase64 } from './adamw-wasm';
import { type KernelArgs, kernelModule, offsetOf } from './module';

/** Kernel name of one AdamW update: param, grad, m, v → new param, m, v. */
export const FUSED_ADAMW = 'LLMLabAdamW';

/** The attributes of the AdamW kernel: the update's numbers (see `adamw.wat`). */
export interface FusedAdamWAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** lr · λ for the tensors weight decay applies to, else 0. */
  readonly decay: number;
  /** The bias corrections 1 − β1^t and 1 − β2^t. */
  readonly correction1: number;
  readonly correction2: number;
  /** Multiplies the gradient first (gradient clipping); 1 leaves it. */
  readonly gradScale: number;
}

interface AdamWExports {
  adamw_update(
    p: number,
    g: number,
    m: number,
    v: number,
    newP: number,
    newM: number,
    newV: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    decay: number,
    c1: number,
    c2: number,
    gradScale: number,
  ): void;
}

export const adamWExports = kernelModule<AdamWExports>(adamwWasmBase64);

export function adamWKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { param, grad, m, v } = args.inputs as Record<'param' | 'grad' | 'm' | 'v', tf.TensorInfo>;
  const a = args.attrs as unknown as FusedAdamWAttrs;
  const shape = param.shape.join(',');
  for (const [name, t] of [['grad', grad], ['m', m], ['v', v]] as const) {
    if (t.shape.join(',') !== shape || t.dtype !== 'float32') {
      throw new Error(`${FUSED_ADAMW}: ${name} must be float32 of the parameter's shape [${param.shape}], got ${t.dtype} [${t.shape}].`);
    }
  }
  const n = param.shape.reduce((x, y) => x * y, 1);
  const outputs = [param, m, v].map(() => backend.makeOutput([...param.shape], 'float32'));
  const [newP, newM, newV] = outputs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  adamWExports(backend)!.adamw_update(
    offsetOf(backend, param),
    offsetOf(backend, grad),
    offsetOf(backend, m),
    offsetOf(backend, v),
    offsetOf(backend, newP),
    offsetOf(backend, newM),
    offsetOf(backend, newV),
    n,
    a.lr,
    a.beta1,
    a.beta2,
    a.epsilon,
    a.decay,
    a.correction1,
    a.correction2,
    a.gradScale,
  );
  return outputs;
}
