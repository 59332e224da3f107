/**
 * The fused GELU kernels (`gelu.wat`) as tfjs kernel functions. Used by `gelu` in
 * `model/layers.ts`.
 */
import type * as tf from '../../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { geluWasmBase64 } from './gelu-wasm';
import { type KernelArgs, kernelModule, offsetOf } from './module';

/** Kernel name of GELU: x → x·Φ(x). */
export const FUSED_GELU = 'LLMLabGelu';
/** Kernel name of GELU's gradient: x, dy → dy·(Φ(x) + x·φ(x)). */
export const FUSED_GELU_GRAD = 'LLMLabGeluGrad';

interface GeluExports {
  gelu_forward(x: number, y: number, n: number): void;
  gelu_backward(x: number, dy: number, dx: number, n: number): void;
}

export const geluExports = kernelModule<GeluExports>(geluWasmBase64);

function checkGeluInput(x: tf.TensorInfo, kernel: string): number {
  const n = x.shape.reduce((a, b) => a * b, 1);
  if (x.dtype !== 'float32' || n % 4 !== 0) {
    throw new Error(`${kernel}: expected float32 values, a multiple of 4 of them, got ${x.dtype} [${x.shape}] (${n}).`);
  }
  return n;
}

export function geluKernel(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x']!;
  const n = checkGeluInput(x, FUSED_GELU);
  const y = backend.makeOutput([...x.shape], 'float32');
  geluExports(backend)!.gelu_forward(offsetOf(backend, x), offsetOf(backend, y), n);
  return y;
}

export function geluGradKernel(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const n = checkGeluInput(x, FUSED_GELU_GRAD);
  if (dy.shape.join(',') !== x.shape.join(',')) throw new Error(`${FUSED_GELU_GRAD}: dy [${dy.shape}] must have x's shape [${x.shape}].`);
  const dx = backend.makeOutput([...x.shape], 'float32');
  geluExports(backend)!.gelu_backward(offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dx), n);
  return dx;
}
