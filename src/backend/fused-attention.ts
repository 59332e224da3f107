/**
 * Causal self-attention as one fused kernel on the `wasm` backend.
 *
 * Composed from tfjs operations, attention on `wasm` is a chain of a split, reshapes,
 * transposes, two batched matMuls (which that backend runs in a plain C loop at under
 * 1 GFLOP/s), a mask and a softmax, and the gradient walks back through all of them. For
 * the baby GPT that was about a third of a training step. `kernels/attention.wat` does the
 * whole thing in one pass with 128-bit SIMD, reading and writing the tensors where the
 * backend keeps them (it imports the backend's memory, so nothing is copied).
 *
 * The kernels are registered through tfjs's supported extension point (`registerKernel`),
 * under names of their own, and used by `fusedCausalAttention` in `model/layers.ts` with a
 * custom gradient. Any other backend, or `LLM_LAB_FUSED_KERNELS=0`, keeps the composed
 * operations; `test/backend/fused-attention.test.ts` checks both give the same numbers.
 */
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { attentionWasmBase64 } from './kernels/attention-wasm';

/** Kernel name of the forward pass: qkv (B·T, 3C) → y (B·T, C) and probabilities (B, H, T, T). */
export const FUSED_ATTENTION = 'LLMLabCausalAttention';
/** Kernel name of the backward pass: qkv, probabilities, dy → dqkv (B·T, 3C). */
export const FUSED_ATTENTION_GRAD = 'LLMLabCausalAttentionGrad';

/** The attributes both kernels take. */
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

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** One instance per backend module, bound to that module's memory. */
const instances = new WeakMap<object, AttentionExports | null>();

/** The kernels bound to this backend's memory, or null where its memory cannot be reached. */
function attentionExports(backend: BackendWasm): AttentionExports | null {
  const module = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  if (instances.has(module)) return instances.get(module)!;
  const memory = module.asm?.memory ?? module.wasmMemory;
  let exports: AttentionExports | null = null;
  if (memory instanceof wasmApi.Memory) {
    const compiled = new wasmApi.Module(Buffer.from(attentionWasmBase64, 'base64'));
    exports = new wasmApi.Instance(compiled, { env: { memory } }).exports as unknown as AttentionExports;
  }
  instances.set(module, exports);
  return exports;
}

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

function offsetOf(backend: BackendWasm, tensor: tf.TensorInfo): number {
  return backend.getMemoryOffset(tensor.dataId);
}

function forwardKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
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

function backwardKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
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

let registered = false;

/** Registers the fused attention kernels for `wasm`, once. Safe to call many times. */
export function registerFusedAttentionKernels(): void {
  if (registered) return;
  registered = true;
  const existing = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  if (!existing.has(FUSED_ATTENTION)) {
    tf.registerKernel({ kernelName: FUSED_ATTENTION, backendName: 'wasm', kernelFunc: forwardKernel as unknown as tf.KernelFunc });
  }
  if (!existing.has(FUSED_ATTENTION_GRAD)) {
    tf.registerKernel({ kernelName: FUSED_ATTENTION_GRAD, backendName: 'wasm', kernelFunc: backwardKernel as unknown as tf.KernelFunc });
  }
}

let enabled = process.env['LLM_LAB_FUSED_KERNELS'] !== '0';

/**
 * Turns the fused kernels on or off (on by default; `LLM_LAB_FUSED_KERNELS=0` starts with
 * them off). Off, attention is composed from tfjs operations on every backend: slower on
 * `wasm`, the same numbers. For benchmarks and tests that compare the two.
 */
export function useFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether attention for heads of this size runs as the fused kernel on the current backend. */
export function fusedAttentionSupports(headSize: number): boolean {
  if (!enabled || headSize % 4 !== 0 || tf.getBackend() !== 'wasm') return false;
  registerFusedAttentionKernels();
  return attentionExports(tf.backend() as BackendWasm) !== null;
}
