/**
 * The fused causal attention kernels (`attention.wat`) as tfjs kernel functions.
 * Used by `fusedCausalAttention` in `model/layers.ts`.
 */
import type * as tf from '../../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { attentionWasmBase64 } from './attention-wasm';
import { type KernelArgs, kernelModule, offsetOf } from './module';

/** Kernel name of the forward pass: qkv (B·T, 3C) → y (B·T, C) and probabilities (B, H, T, T). */
export const FUSED_ATTENTION = 'LLMLabCausalAttention';
/** Kernel name of the backward pass: qkv, probabilities, dy → dqkv (B·T, 3C). */
export const FUSED_ATTENTION_GRAD = 'LLMLabCausalAttentionGrad';

/** The attributes both attention kernels take. */
export interface FusedAttentionAttrs {
  readonly batch: number;
  readonly seqLen: number;
  readonly heads: number;
}

interface AttentionExports {
  attention_forward(qkv: number, y: number, probs: number, B: number, T: number, H: number, hs: number, scale: number): void;
  attention_backward(
    qkv: number,
    probs: number,
    dy: number,
    dqkv: number,
    scratch: number,
    B: number,
    T: number,
    H: number,
    hs: number,
    scale: number,
  ): void;
}

export const attentionExports = kernelModule<AttentionExports>(attentionWasmBase64);

function shapesOf(qkv: tf.TensorInfo, attrs: FusedAttentionAttrs): { B: number; T: number; H: number; C: number; hs: number } {
  const { batch: B, seqLen: T, heads: H } = attrs;
  const [rows, width] = qkv.shape as [number, number];
  const C = width / 3;
  const hs = C / H;
  if (qkv.shape.length !== 2 || rows !== B * T || !Number.isInteger(hs) || hs % 4 !== 0 || qkv.dtype !== 'float32') {
    throw new Error(
      `${FUSED_ATTENTION}: expected float32 qkv of shape (B·T, 3C) = (${B * T}, 3·${H}·hs) with hs a multiple of 4, ` +
        `got ${qkv.dtype} [${qkv.shape}]. Use the composed attention for such shapes (fusedAttentionSupports says which).`,
    );
  }
  return { B, T, H, C, hs };
}

export function attentionKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const qkv = args.inputs['qkv']!;
  const { B, T, H, C, hs } = shapesOf(qkv, args.attrs as unknown as FusedAttentionAttrs);
  const kernels = attentionExports(backend)!;
  // Allocate every output before reading offsets: an allocation may grow the memory.
  const y = backend.makeOutput([B * T, C], 'float32');
  const probs = backend.makeOutput([B, H, T, T], 'float32');
  kernels.attention_forward(offsetOf(backend, qkv), offsetOf(backend, y), offsetOf(backend, probs), B, T, H, hs, 1 / Math.sqrt(hs));
  return [y, probs];
}

export function attentionGradKernel(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { qkv, probs, dy } = args.inputs as { qkv: tf.TensorInfo; probs: tf.TensorInfo; dy: tf.TensorInfo };
  const { B, T, H, hs } = shapesOf(qkv, args.attrs as unknown as FusedAttentionAttrs);
  const kernels = attentionExports(backend)!;
  const dqkv = backend.makeOutput([...qkv.shape], 'float32');
  const scratch = backend.makeOutput([T, T], 'float32'); // one head's dS at a time
  try {
    kernels.attention_backward(
      offsetOf(backend, qkv),
      offsetOf(backend, probs),
      offsetOf(backend, dy),
      offsetOf(backend, dqkv),
      offsetOf(backend, scratch),
      B,
      T,
      H,
      hs,
      1 / Math.sqrt(hs),
    );
  } finally {
    backend.disposeData(scratch.dataId, true);
  }
  return dqkv;
}
