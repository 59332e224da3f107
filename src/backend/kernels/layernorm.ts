/**
 * The fused layer norm kernels (`layernorm.wat`) as tfjs kernel functions. Used by
 * `layerNorm` in `model/layers.ts`.
 */
import type * as tf from '../../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { layernormWasmBase64 } from './layernorm-wasm';
import { type KernelArgs, kernelModule, offsetOf } from './module';

/** Kernel name of layer norm: x, weight (, bias) → y, and each row's mean and 1/σ. */
export const FUSED_LAYER_NORM = 'LLMLabLayerNorm';
/** Kernel name of layer norm's gradient: x, weight, dy, means, rstds → dx, dweight, dbias. */
export const FUSED_LAYER_NORM_GRAD = 'LLMLabLayerNormGrad';

interface LayerNormExports {
  layernorm_forward(x: number, w: number, b: number, y: number, means: number, rstds: number, N: number, C: number, eps: number): void;
  layernorm_backward(x: number, w: number, dy: number, means: number, rstds: number, dx: number, dw: number, db: number, N: number, C: number): void;
}

export const layerNormExports = kernelModule<LayerNormExports>(layernormWasmBase64);

/** Rows and width of a layer norm's input, checked against the weight. */
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

export function layerNormKernel(args: KernelArgs): tf.TensorInfo[] {
  const backend = args.backend as BackendWasm;
  const { x, weight, bias } = args.inputs as { x: tf.TensorInfo; weight: tf.TensorInfo; bias?: tf.TensorInfo };
  const { N, C } = layerNormShape(x, weight, FUSED_LAYER_NORM);
  if (bias && bias.shape.join(',') !== weight.shape.join(',')) {
    throw new Error(`${FUSED_LAYER_NORM}: bias [${bias.shape}] must have the weight's shape [${weight.shape}].`);
  }
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

export function layerNormGradKernel(args: KernelArgs): tf.TensorInfo[] {
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
