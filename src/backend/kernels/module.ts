/**
 * What every WebAssembly kernel of `kernels/*.wat` needs from TypeScript: an instance bound
 * to the `wasm` backend's memory, and the byte offset of a tensor in that memory.
 *
 * The modules import the backend's memory instead of having their own, so a kernel reads
 * and writes tensors where tfjs keeps them and nothing is copied.
 */
import type * as tf from '../../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** What a kernel function receives from tfjs. */
export interface KernelArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly backend: unknown;
  readonly attrs?: tf.NamedAttrMap;
}

/**
 * A compiled kernel module (base64, as `scripts/build-kernels.js` writes it), instantiated
 * once per backend module on that module's memory. Null where the memory cannot be reached
 * or imported (e.g. a multi-threaded build's shared memory): callers then keep tfjs's own
 * operations.
 */
export function kernelModule<T>(base64: string): (backend: BackendWasm) => T | null {
  const instances = new WeakMap<object, T | null>();
  return (backend) => {
    const module = backend.wasm as unknown as { asm?: { memory?: unknown }; wasmMemory?: unknown };
    if (instances.has(module)) return instances.get(module)!;
    const memory = module.asm?.memory ?? module.wasmMemory;
    let exports: T | null = null;
    if (memory instanceof wasmApi.Memory) {
      try {
        const compiled = new wasmApi.Module(Buffer.from(base64, 'base64'));
        exports = new wasmApi.Instance(compiled, { env: { memory } }).exports as T;
      } catch {
        exports = null;
      }
    }
    instances.set(module, exports);
    return exports;
  };
}

/** Where a tensor's numbers start in the backend's memory (bytes). */
export function offsetOf(backend: BackendWasm, tensor: tf.TensorInfo): number {
  return backend.getMemoryOffset(tensor.dataId);
}
