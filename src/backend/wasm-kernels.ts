/**
 * Kernels the `wasm` backend lacks, or has in a slow form, registered through tfjs's
 * supported extension point (`registerKernel`).
 *
 * `UnsortedSegmentSum` is what the gradient of `tf.gather` uses: the embedding lookup
 * `wte[idx]` sends each row of the incoming gradient back to the row of the table it came
 * from, adding rows that were looked up more than once. tfjs 4.22's `wasm` backend has no
 * such kernel, so without this file a GPT cannot train there.
 */
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x'] as tf.TensorInfo;
  const segmentIds = args.inputs['segmentIds'] as tf.TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 values, got ${x.dtype}.`);
  }
  // x: (N, ...rest), segmentIds: (N,) → out: (numSegments, ...rest)
  const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
  const outValues = backend.typedArrayFromHeap(out) as Float32Array;
  outValues.fill(0);
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue; // as TensorFlow: out-of-range ids are dropped
    const src = i * rowSize;
    const dst = segment * rowSize;
    for (let j = 0; j < rowSize; j++) outValues[dst + j]! += xValues[src + j]!;
  }
  return out;
}

/**
 * `Identity` without a copy. tfjs clones every tensor it saves for the backward pass
 * (`engine.clone` runs this kernel), and `wasm`'s own `Identity` copies the numbers: for the
 * baby GPT that was ~200 copies per training step, ~5% of its time. Tensors are immutable
 * (a variable's `assign` swaps in new memory, kernels write only their outputs), so the
 * clone can share the memory and count one more reference to it, exactly as `wasm`'s
 * `Reshape` and the `cpu` backend's `Identity` do.
 */
function identityWithoutCopy(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs['x'] as tf.TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * `GatherV2` along the first axis (an embedding lookup: rows of a table by token id) as
 * row copies. `wasm`'s own kernel took ~8 ms to look up 768 rows of 128 floats; copying
 * them takes microseconds. Every other gather goes to tfjs's kernel.
 */
function gatherRowsOr(original: tf.KernelFunc) {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const firstAxis = axis === 0 || axis === -x.shape.length;
    if (!firstAxis || batchDims !== 0 || x.dtype !== 'float32' || indices.dtype !== 'int32' || x.shape.length < 1) {
      return original(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const rows = x.shape[0]!;
    const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], 'float32');
    // read the views after makeOutput: an allocation may grow (and move) the memory
    const table = backend.typedArrayFromHeap(x) as Float32Array;
    const ids = backend.typedArrayFromHeap(indices) as Int32Array;
    const values = backend.typedArrayFromHeap(out) as Float32Array;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!(id >= 0 && id < rows)) {
        backend.disposeData(out.dataId, true);
        throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`); // tfjs's own message
      }
      values.set(table.subarray(id * rowSize, (id + 1) * rowSize), i * rowSize);
    }
    return out;
  };
}

/**
 * Replaces tfjs's `wasm` kernel `kernelName` with `wrap(its kernel function)`. The original's
 * configuration is kept (its setupFunc binds the C function a fallback to it calls), and it
 * is unregistered first: registering over it would only warn.
 */
export function replaceWasmKernel(kernelName: string, wrap: (original: tf.KernelFunc) => unknown): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) return;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: wrap(original.kernelFunc) as tf.KernelFunc });
}

let registered = false;

/** Registers the missing (and faster) kernels for `wasm`, once. Safe to call many times. */
export function registerMissingWasmKernels(): void {
  if (registered) return;
  registered = true;
  replaceWasmKernel(tf.GatherV2, gatherRowsOr);
  replaceWasmKernel(tf.Identity, () => identityWithoutCopy);
  const existing = tf.getKernelsForBackend('wasm').map((k) => k.kernelName);
  if (!existing.includes(tf.UnsortedSegmentSum)) {
    tf.registerKernel({
      kernelName: tf.UnsortedSegmentSum,
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc,
    });
  }
}
