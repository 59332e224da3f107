/**
 * Fused kernels for the `wasm` backend: causal self-attention, GELU and layer norm, each
 * one pass of WebAssembly SIMD forward and one backward; an AdamW update in one pass; and
 * a faster matrix transpose.
 *
 * Composed from tfjs operations, attention on `wasm` is a chain of a split, reshapes,
 * transposes, two batched matMuls (which that backend runs in a plain C loop at under
 * 1 GFLOP/s), a mask and a softmax, and the gradient walks back through all of them; for
 * the baby GPT that was about a third of a training step. GELU is a dozen passes over the
 * MLP's widest activations, layer norm ~30 small kernels. `kernels/*.wat` do each in one
 * pass, reading and writing the tensors where the backend keeps them (they import the
 * backend's memory, so nothing is copied).
 *
 * The kernels are registered through tfjs's supported extension point (`registerKernel`),
 * under names of their own, and used by `fusedCausalAttention`, `gelu` and `layerNorm` in
 * `model/layers.ts` with custom gradients, and by `AdamW.step`; the transpose replaces
 * tfjs's own for float matrices. Any other backend, or `LLM_LAB_FUSED_KERNELS=0`, keeps the
 * composed operations; `test/backend/fused-kernels.test.ts` checks both give the
 * same numbers.
 */
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { FUSED_ADAMW, adamWExports, adamWKernel } from './kernels/adamw';
import { FUSED_ATTENTION, FUSED_ATTENTION_GRAD, attentionExports, attentionGradKernel, attentionKernel } from './kernels/attention';
import { FUSED_GELU, FUSED_GELU_GRAD, geluExports, geluGradKernel, geluKernel } from './kernels/gelu';
import { FUSED_LAYER_NORM, FUSED_LAYER_NORM_GRAD, layerNormExports, layerNormGradKernel, layerNormKernel } from './kernels/layernorm';
import { transposeOr } from './kernels/transpose';
import { replaceWasmKernel } from './wasm-kernels';

export { FUSED_ADAMW, type FusedAdamWAttrs } from './kernels/adamw';
export { FUSED_ATTENTION, FUSED_ATTENTION_GRAD, type FusedAttentionAttrs } from './kernels/attention';
export { FUSED_GELU, FUSED_GELU_GRAD } from './kernels/gelu';
export { FUSED_LAYER_NORM, FUSED_LAYER_NORM_GRAD } from './kernels/layernorm';

/** Whether the fused kernels are used; see `useFusedKernels`. */
let enabled = process.env['LLM_LAB_FUSED_KERNELS'] !== '0';

let registered = false;

/** Registers the fused kernels for `wasm`, once. Safe to call many times. */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  const existing = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const kernels: Array<[string, unknown]> = [
    [FUSED_ATTENTION, attentionKernel],
    [FUSED_ATTENTION_GRAD, attentionGradKernel],
    [FUSED_GELU, geluKernel],
    [FUSED_GELU_GRAD, geluGradKernel],
    [FUSED_LAYER_NORM, layerNormKernel],
    [FUSED_LAYER_NORM_GRAD, layerNormGradKernel],
    [FUSED_ADAMW, adamWKernel],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (!existing.has(kernelName)) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  }
  replaceWasmKernel(tf.Transpose, (original) => transposeOr(original, () => enabled));
}

/**
 * Turns the fused kernels on or off (on by default; `LLM_LAB_FUSED_KERNELS=0` starts with
 * them off). Off, attention, GELU, layer norm and AdamW are composed from tfjs operations,
 * and transposes use tfjs's kernel, on every backend: slower on `wasm`, the same numbers.
 * For benchmarks and tests that compare the two.
 */
export function useFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether a kernel module can run on the current backend (wasm, fused kernels on, memory reachable). */
function available(exports: (backend: BackendWasm) => unknown): boolean {
  if (!enabled || tf.getBackend() !== 'wasm') return false;
  registerFusedKernels();
  return exports(tf.backend() as BackendWasm) !== null;
}

/** Whether attention for heads of this size runs as the fused kernel on the current backend. */
export function fusedAttentionSupports(headSize: number): boolean {
  return headSize % 4 === 0 && available(attentionExports);
}

/** Whether GELU of a tensor with this many values runs as the fused kernel on the current backend. */
export function fusedGeluSupports(size: number): boolean {
  return size % 4 === 0 && available(geluExports);
}

/** Whether layer norm over a last axis of this width runs as the fused kernel on the current backend. */
export function fusedLayerNormSupports(width: number): boolean {
  return width % 4 === 0 && width > 0 && available(layerNormExports);
}

/** Whether AdamW updates run as the fused kernel on the current backend. */
export function fusedAdamWSupported(): boolean {
  return available(adamWExports);
}
