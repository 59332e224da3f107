/**
 * The matrix transpose (`transpose.wat`) as a replacement for tfjs's `Transpose` on `wasm`.
 */
import type * as tf from '../../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { transposeWasmBase64 } from './transpose-wasm';
import { type KernelArgs, kernelModule, offsetOf } from './module';

interface TransposeExports {
  transpose(src: number, dst: number, M: number, N: number): void;
}

export const transposeExports = kernelModule<TransposeExports>(transposeWasmBase64);

/**
 * `Transpose` of a float matrix by 4×4 SIMD blocks; any other transpose (other ranks, sizes
 * that are not multiples of 4), or all of them while `use()` says no, goes to tfjs's own
 * kernel.
 */
export function transposeOr(original: tf.KernelFunc, use: () => boolean) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const x = args.inputs['x']!;
    const perm = (args.attrs as { perm: number[] }).perm;
    const [M, N] = x.shape as [number, number];
    const matrix = x.shape.length === 2 && perm[0] === 1 && perm[1] === 0 && x.dtype === 'float32';
    const kernels = use() && matrix && M % 4 === 0 && N % 4 === 0 && M > 0 && N > 0 ? transposeExports(backend) : null;
    if (!kernels) return original(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    const out = backend.makeOutput([N, M], 'float32');
    kernels.transpose(offsetOf(backend, x), offsetOf(backend, out), M, N);
    return out;
  };
}
