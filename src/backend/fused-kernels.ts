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
import { attentionWasmBase64 } from './kernels/attention-wasm';
import { geluWasmBase64 } from './kernels/gelu-wasm';
import { layernormWasmBase64 } from './kernels/layernorm-wasm';
import { transposeWasmBase64 } from './kernels/transpose-wasm';
import { adamwWasmBase64 } from './kernels/adamw-wasm';

/** Kernel name of the forward pass: qkv (B·T, 3C) → y (B·T, C) and probabilities (B, H, T, T). */
export const FUSED_ATTENTION = 'LLMLabCausalAttention';
/** Kernel name of the backward pass: qkv, probabilities, dy → dqkv (B·T, 3C). */
export const FUSED_ATTENTION_GRAD = 'LLMLabCausalAttentionGrad';

/** Kernel name of GELU: x → x·Φ(x). */
export const FUSED_GELU = 'LLMLabGelu';
/** Kernel name of GELU's gradient: x, dy → dy·(Φ(x) + x·φ(x)). */
export const FUSED_GELU_GRAD = 'LLMLabGeluGrad';

/** Kernel name of layer norm: x, weight (, bias) → y, and each row's mean and 1/σ. */
export const FUSED_LAYER_NORM = 'LLMLabLayerNorm';
/** Kernel name of layer norm's gradient: x, weight, dy, means, rstds → dx, dweight, dbias. */
export const FUSED_LAYER_NORM_GRAD = 'LLMLabLayerNormGrad';

/** Kernel name of one AdamW update: param, grad, m, v → new param, m, v. */
export const FUSED_ADAMW = 'LLMLabAdamW';

/** The attributes of the AdamW kernel: the update's numbers (see `kernels/adamw.wat`). */
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

/** The attributes both attention kernels take. */
export interface FusedAttentionAttrs {
  readonly batch: number;
  readonly seqLen: number;
  readonly heads: number;
}

interface GeluExports {
  gelu_forward(x: number, y: number, n: number): void;
  gelu_backward(x: number, dy: number, dx: number, n: number): void;
}

interface LayerNormExports {
  layernorm_forward(x: number, w: number, b: number, y: number, means: number, rstds: number, N: number, C: number, eps: number): void;
  layernorm_backward(x: number, w: number, dy: number, means: number, rstds: number, dx: number, dw: number, db: number, N: number, C: number): void;
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

interface TransposeExports {
  transpose(src: number, dst: number, M: number, N: number): void;
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

/** Whether the fused kernels are used; see `useFusedKernels`. */
let enabled = process.env['LLM_LAB_FUSED_KERNELS'] !== '0';

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/**
 * A kernel module instantiated on this backend's memory (one instance per backend module),
 * or null where that memory cannot be reached.
 */
function instantiate<T>(backend: BackendWasm, base64: string, cache: WeakMap<object, T | null>): T | null {
  const module = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
  if (cache.has(module)) return cache.get(module)!;
  const memory = module.asm?.memory ?? module.wasmMemory;
  let exports: T | null = null;
  if (memory instanceof wasmApi.Memory) {
    try {
      const compiled = new wasmApi.Module(Buffer.from(base64, 'base64'));
      exports = new wasmApi.Instance(compiled, { env: { memory } }).exports as T;
    } catch {
      exports = null; // e.g. a multi-threaded build's shared memory: keep tfjs's own operations
    }
  }
  cache.set(module, exports);
  return exports;
}

const attentionInstances = new WeakMap<object, AttentionExports | null>();
const geluInstances = new WeakMap<object, GeluExports | null>();
const attentionExports = (backend: BackendWasm) => instantiate(backend, attentionWasmBase64, attentionInstances);
const geluExports = (backend: BackendWasm) => instantiate(backend, geluWasmBase64, geluInstances);
const layerNormInstances = new WeakMap<object, LayerNormExports | null>();
const layerNormExports = (backend: BackendWasm) => instantiate(backend, layernormWasmBase64, layerNormInstances);
const adamWInstances = new WeakMap<object, AdamWExports | null>();
const adamWExports = (backend: BackendWasm) => instantiate(backend, adamwWasmBase64, adamWInstances);
const transposeInstances = new WeakMap<object, TransposeExports | null>();
const transposeExports = (backend: BackendWasm) => instantiate(backend, transposeWasmBase64, transposeInstances);

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

function checkGeluInput(x: tf.TensorInfo, kernel: string): number {
  const n = x.shape.reduce((a, b) => a * b, 1);
  if (x.dtype !== 'float32' || n % 4 !== 0) {
    throw new Error(`${kernel}: expected float32 values, a multiple of 4 of them, got ${x.dtype} [${x.shape}] (${n}).`);
  }
  return n;
}

function geluKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x']!;
  const n = checkGeluInput(x, FUSED_GELU);
  const y = backend.makeOutput([...x.shape], 'float32');
  geluExports(backend)!.gelu_forward(offsetOf(backend, x), offsetOf(backend, y), n);
  return y;
}

function geluGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const n = checkGeluInput(x, FUSED_GELU_GRAD);
  if (dy.shape.join(',') !== x.shape.join(',')) throw new Error(`${FUSED_GELU_GRAD}: dy [${dy.shape}] must have x's shape [${x.shape}].`);
  const dx = backend.makeOutput([...x.shape], 'float32');
  geluExports(backend)!.gelu_backward(offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dx), n);
  return dx;
}

/** Rows and width of a layer norm's input, checked against the weight (and bias). */
function layerNormShape(x: tf.TensorInfo, weight: tf.TensorInfo, kernel: string): { N: number; C: number } {
  const C = x.shape[x.shape.length - 1] ?? 0;
  const N = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (x.dtype !== 'float32' || C % 4 !== 0 || C === 0 || weight.shape.length !== 1 || weight.shape[0] !== C) {
    throw new Error(
      `${kernel}: expected float32 x (…, C) with C a multiple of 4 and a weight of shape [C], got x ${x.dtype} [${x.shape}], weight [${weight.shape}].`,
    );
  }
  return { N, C };
}

function layerNormKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, weight, bias } = args.inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; bias?: tf.TensorInfo };
  const { N, C } = layerNormShape(x, weight, FUSED_LAYER_NORM);
  if (bias && bias.shape.join(',') !== weight.shape.join(',')) throw new Error(`${FUSED_LAYER_NORM}: bias [${bias.shape}] must have the weight's shape [${weight.shape}].`);
  const y = backend.makeOutput([...x.shape], 'float32');
  const means = backend.makeOutput([N], 'float32');
  const rstds = backend.makeOutput([N], 'float32');
  const eps = (args.attrs as { eps: number }).eps;
  const biasOffset = bias ? offsetOf(backend, bias) : 0; // 0: no bias
  layerNormExports(backend)!.layernorm_forward(
    offsetOf(backend, x),
    offsetOf(backend, weight),
    biasOffset,
    offsetOf(backend, y),
    offsetOf(backend, means),
    offsetOf(backend, rstds),
    N,
    C,
    eps,
  );
  return [y, means, rstds];
}

function layerNormGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, weight, dy, means, rstds } = args.inputs as Record<'x' | 'weight' | 'dy' | 'means' | 'rstds', tf.TensorInfo>;
  const { N, C } = layerNormShape(x, weight, FUSED_LAYER_NORM_GRAD);
  const dx = backend.makeOutput([...x.shape], 'float32');
  const dWeight = backend.makeOutput([C], 'float32');
  const dBias = backend.makeOutput([C], 'float32');
  layerNormExports(backend)!.layernorm_backward(
    offsetOf(backend, x),
    offsetOf(backend, weight),
    offsetOf(backend, dy),
    offsetOf(backend, means),
    offsetOf(backend, rstds),
    offsetOf(backend, dx),
    offsetOf(backend, dWeight),
    offsetOf(backend, dBias),
    N,
    C,
  );
  return [dx, dWeight, dBias];
}

function adamWKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
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

/**
 * `Transpose` of a float matrix by 4×4 SIMD blocks (`kernels/transpose.wat`); any other
 * transpose (other ranks, sizes that are not multiples of 4), or all of them while the
 * fused kernels are off, goes to tfjs's own kernel.
 */
function transposeOr(original: tf.KernelFunc) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs['x']!;
    const perm = (args.attrs as { perm: number[] }).perm;
    const [M, N] = x.shape as [number, number];
    const matrix = x.shape.length === 2 && perm[0] === 1 && perm[1] === 0 && x.dtype === 'float32';
    const kernels = enabled && matrix && M % 4 === 0 && N % 4 === 0 && M > 0 && N > 0 ? transposeExports(backend) : null;
    if (!kernels) return original(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const out = backend.makeOutput([N, M], 'float32');
    kernels.transpose(offsetOf(backend, x), offsetOf(backend, out), M, N);
    return out;
  };
}

let registered = false;

/** Registers the fused kernels for `wasm`, once. Safe to call many times. */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  const existing = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const kernels: Array<[string, unknown]> = [
    [FUSED_ATTENTION, forwardKernel],
    [FUSED_ATTENTION_GRAD, backwardKernel],
    [FUSED_GELU, geluKernel],
    [FUSED_GELU_GRAD, geluGradKernel],
    [FUSED_LAYER_NORM, layerNormKernel],
    [FUSED_LAYER_NORM_GRAD, layerNormGradKernel],
    [FUSED_ADAMW, adamWKernel],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (!existing.has(kernelName)) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  }
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (transpose) {
    tf.unregisterKernel(tf.Transpose, 'wasm'); // registering over it would only warn
    tf.registerKernel({ ...transpose, kernelFunc: transposeOr(transpose.kernelFunc) as unknown as tf.KernelFunc }); // its setupFunc binds the fallback's C function
  }
}

/**
 * Turns the fused kernels on or off (on by default; `LLM_LAB_FUSED_KERNELS=0` starts with
 * them off). Off, attention, GELU, layer norm and AdamW are composed from tfjs operations
 * on every backend: slower on `wasm`, the same numbers. For benchmarks and tests that compare the two.
 */
export function useFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether attention for heads of this size runs as the fused kernel on the current backend. */
export function fusedAttentionSupports(headSize: number): boolean {
  if (!enabled || headSize % 4 !== 0 || tf.getBackend() !== 'wasm') return false;
  registerFusedKernels();
  return attentionExports(tf.backend() as BackendWasm) !== null;
}

/** Whether GELU of a tensor with this many values runs as the fused kernel on the current backend. */
export function fusedGeluSupports(size: number): boolean {
  if (!enabled || size % 4 !== 0 || tf.getBackend() !== 'wasm') return false;
  registerFusedKernels();
  return geluExports(tf.backend() as BackendWasm) !== null;
}

/** Whether layer norm over a last axis of this width runs as the fused kernel on the current backend. */
export function fusedLayerNormSupports(width: number): boolean {
  if (!enabled || width % 4 !== 0 || width === 0 || tf.getBackend() !== 'wasm') return false;
  registerFusedKernels();
  return layerNormExports(tf.backend() as BackendWasm) !== null;
}

/** Whether AdamW updates run as the fused kernel on the current backend. */
export function fusedAdamWSupported(): boolean {
  if (!enabled || tf.getBackend() !== 'wasm') return false;
  registerFusedKernels();
  return adamWExports(tf.backend() as BackendWasm) !== null;
}
