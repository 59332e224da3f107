/**
 * Matrix products on the machine's BLAS for the `wasm` backend.
 *
 * After the fused kernels, two thirds of a baby-GPT training step were the dense layers'
 * matrix products, which the `wasm` backend runs through XNNPACK at 14–22 GFLOP/s:
 * WebAssembly SIMD is 4 floats wide, while the CPU's own vector units (AVX2, AVX-512, NEON)
 * are wider and have fused multiply-add. An optimised BLAS (OpenBLAS, MKL, Apple's
 * Accelerate) does the same products at 55–75 GFLOP/s on one core of the machine this was
 * measured on. The addon in `native/blas-matmul.c` calls its `cblas_sgemm` directly on the
 * wasm backend's memory, so nothing is copied; it is registered here as tfjs's `BatchMatMul`
 * kernel for `wasm` (a supported extension point), so every `tf.matMul` (and its gradient,
 * which multiplies by transposed matrices: free for BLAS) takes it.
 *
 * Optional at every step: without a C compiler the addon is not built, without a BLAS it
 * finds nothing to open; either way the products stay in WebAssembly and `llm-lab doctor`
 * says why. `LLM_LAB_NATIVE_BLAS=0` (or `useNativeMatMul(false)`) turns it off to compare;
 * `LLM_LAB_BLAS=/path/to/libblas.so` names the library; `LLM_LAB_BLAS_THREADS=n` sets its
 * threads (otherwise the library's default: usually one per core).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '../tf';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelArgs } from './kernels/module';
import { replaceWasmKernel } from './wasm-kernels';

/** What the addon exports (see blas-matmul.c for the exact contracts). */
interface BlasAddon {
  open(paths: string[]): string | null;
  threads(count?: number): number;
  matmul(
    memory: ArrayBufferLike,
    transposeA: boolean,
    transposeB: boolean,
    batch: number,
    m: number,
    n: number,
    k: number,
    aOffset: number,
    aBatchStride: number,
    bOffset: number,
    bBatchStride: number,
    cOffset: number,
  ): void;
}

/** Where `scripts/build-native.js` writes the addon (from src/backend or dist/backend alike). */
export const NATIVE_ADDON_PATH = path.resolve(__dirname, '..', '..', 'dist', 'native', 'blas-matmul.node');

/** Whether matrix products go to the BLAS, and if not, why. */
export interface NativeMatMulStatus {
  readonly available: boolean;
  /** The library opened (a path or soname), when available. */
  readonly library?: string;
  /** Its threads (0: the library does not say). */
  readonly threads?: number;
  /** One line for a person: what runs the products, or what is missing and what to do. */
  readonly summary: string;
}

let enabled = process.env['LLM_LAB_NATIVE_BLAS'] !== '0';
let loaded: { addon: BlasAddon | null; status: NativeMatMulStatus } | undefined;

/** The libraries tried, in order: `LLM_LAB_BLAS` first, then the usual names of fast BLASes. */
export function blasCandidates(): string[] {
  const named = process.env['LLM_LAB_BLAS'];
  const usual =
    process.platform === 'darwin'
      ? ['/System/Library/Frameworks/Accelerate.framework/Accelerate', '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', '/usr/local/opt/openblas/lib/libopenblas.dylib']
      : // not the generic libblas.so.3: it may be the reference BLAS, slower than WebAssembly
        ['libopenblas.so.0', 'libopenblas.so', 'libmkl_rt.so.2', 'libmkl_rt.so', 'libblis.so.4'];
  return named ? [named, ...usual] : usual;
}

function load(): { addon: BlasAddon | null; status: NativeMatMulStatus } {
  if (loaded) return loaded;
  const unavailable = (summary: string) => ({ addon: null, status: { available: false, summary } });
  if (!fs.existsSync(NATIVE_ADDON_PATH)) {
    loaded = unavailable(
      'WebAssembly (XNNPACK): the native BLAS addon is not built (it needs a C compiler at `npm run build`; see scripts/build-native.js)',
    );
    return loaded;
  }
  let addon: BlasAddon;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native addon, found at run time
    addon = require(NATIVE_ADDON_PATH) as BlasAddon;
  } catch (error) {
    loaded = unavailable(`WebAssembly (XNNPACK): the native BLAS addon did not load (${(error as Error).message.split('\n')[0]}); rebuild with \`node scripts/build-native.js --force\``);
    return loaded;
  }
  const candidates = blasCandidates();
  const library = addon.open(candidates);
  if (library === null) {
    const install = process.platform === 'darwin' ? '' : ' (Debian/Ubuntu: `sudo apt-get install libopenblas0`)';
    loaded = unavailable(`WebAssembly (XNNPACK): no BLAS library found${install}; tried ${candidates.join(', ')}`);
    return loaded;
  }
  const wanted = Number(process.env['LLM_LAB_BLAS_THREADS']);
  const threads = Number.isInteger(wanted) && wanted >= 1 ? addon.threads(wanted) : addon.threads();
  loaded = {
    addon,
    status: { available: true, library, threads, summary: `${library} (BLAS, ${threads > 0 ? `${threads} thread${threads === 1 ? '' : 's'}` : 'its own threads'})` },
  };
  return loaded;
}

/** What runs the `wasm` backend's matrix products, and why (for `llm-lab doctor`). */
export function nativeMatMulStatus(): NativeMatMulStatus {
  const { status } = load();
  if (status.available && !enabled) return { ...status, available: false, summary: `WebAssembly (XNNPACK): the BLAS (${status.library}) is turned off (LLM_LAB_NATIVE_BLAS=0 or useNativeMatMul(false))` };
  return status;
}

/**
 * Turns the BLAS products on or off (on by default where available; `LLM_LAB_NATIVE_BLAS=0`
 * starts with them off). Off, `wasm` multiplies with its own kernel: slower, the same numbers
 * up to rounding. For benchmarks and tests that compare the two.
 */
export function useNativeMatMul(on: boolean): void {
  enabled = on;
}

/** Whether `tf.matMul` on the current backend goes to the BLAS right now. */
export function nativeMatMulActive(): boolean {
  return enabled && tf.getBackend() === 'wasm' && load().addon !== null;
}

/**
 * Sets the BLAS's threads (e.g. 1 to compare with a single-threaded reference) and returns
 * the count it reports. Throws when no BLAS is in use.
 */
export function blasThreads(count: number): number {
  const { addon } = load();
  if (!addon) throw new Error(`No BLAS is in use, so it has no threads to set: ${load().status.summary}.`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`blasThreads(count): count must be a whole number ≥ 1, got ${count}.`);
  return addon.threads(count);
}

let registered = false;

/** Puts the BLAS in front of `wasm`'s `BatchMatMul`, once. Safe to call many times. */
export function registerNativeMatMul(): void {
  if (registered) return;
  registered = true;
  replaceWasmKernel(tf.BatchMatMul, blasMatMulOr);
}

/**
 * `BatchMatMul` on the BLAS, for float32 operands with any batch dimensions that broadcast
 * (tfjs's own `wasm` kernel gets broadcasts such as (2,1,·,·)·(1,3,·,·) wrong; this one
 * does them as the `cpu` backend does). Other dtypes, and mismatched inner sizes (whose
 * error tfjs words), go to tfjs's kernel.
 */
function blasMatMulOr(original: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const addon = enabled ? load().addon : null;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const fallBack = () => original(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    if (!addon || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return fallBack();
    const [aRows, aCols] = a.shape.slice(-2) as [number, number];
    const [bRows, bCols] = b.shape.slice(-2) as [number, number];
    const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
    const [kB, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
    if (k !== kB) return fallBack();
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    let outer: number[];
    try {
      outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
    } catch {
      return fallBack(); // batch dimensions that do not broadcast: tfjs says so
    }
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput([...outer, m, n], 'float32');
    const batch = tf.util.sizeFromShape(outer);
    if (batch * m * n === 0) return out;
    // the memory's buffer after makeOutput: an allocation may grow (and replace) it
    const memory = (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer;
    const [aOffset, bOffset, outOffset] = [a, b, out].map((t) => backend.getMemoryOffset(t.dataId)) as [number, number, number];
    const [batchA, batchB] = [tf.util.sizeFromShape(outerA), tf.util.sizeFromShape(outerB)];
    if ((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1)) {
      // the usual cases (a batch against a batch, or against one matrix): one call
      addon.matmul(memory, transposeA, transposeB, batch, m, n, k, aOffset, batchA === 1 ? 0 : m * k, bOffset, batchB === 1 ? 0 : k * n, outOffset);
      return out;
    }
    // a broadcast on both sides: one product at a time, each operand's matrix found by index
    const matrixA = broadcastIndex(outerA, outer);
    const matrixB = broadcastIndex(outerB, outer);
    for (let i = 0; i < batch; i++) {
      addon.matmul(memory, transposeA, transposeB, 1, m, n, k, aOffset + 4 * m * k * matrixA(i), 0, bOffset + 4 * k * n * matrixB(i), 0, outOffset + 4 * m * n * i);
    }
    return out;
  };
}

/**
 * For batch dimensions `own` broadcast to `outer`: which of the operand's own matrices the
 * i-th product (row-major over `outer`) uses. A dimension of size 1 repeats its one matrix.
 */
function broadcastIndex(own: readonly number[], outer: readonly number[]): (i: number) => number {
  const padded = [...Array<number>(outer.length - own.length).fill(1), ...own];
  return (i) => {
    let index = 0;
    let stride = 1;
    for (let d = outer.length - 1; d >= 0; d--) {
      const position = i % outer[d]!;
      i = Math.floor(i / outer[d]!);
      if (padded[d] !== 1) index += position * stride;
      stride *= padded[d]!;
    }
    return index;
  };
}
