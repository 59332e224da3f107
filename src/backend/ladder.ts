/**
 * The backend ladder: which engine runs the tensors.
 *
 * TensorFlow.js can run the same model on several backends. We try them fastest first and
 * keep the first that starts:
 *
 *   1. `tensorflow` — native libtensorflow through `@tensorflow/tfjs-node-gpu` (CUDA) or
 *      `@tensorflow/tfjs-node` (CPU, multi-threaded). Optional: their install downloads a
 *      binary that not every machine can reach.
 *   2. `webgpu`     — the GPU through Dawn (the `webgpu` package), where an adapter exists.
 *   3. `wasm`       — WebAssembly with SIMD: the embedded default, fast on any laptop CPU.
 *   4. `cpu`        — plain JavaScript: slow, but the reference every other backend is
 *                     checked against.
 *
 * `LLM_LAB_BACKEND=<name>` forces one. A forced backend that cannot start is an error,
 * never a silent fallback: if you asked for the GPU, you want to know you did not get it.
 */
import * as fs from 'node:fs';
import * as tf from '../tf';
import { registerMissingWasmKernels } from './wasm-kernels';
import { registerFusedKernels } from './fused-kernels';
import { nativeMatMulActive, nativeMatMulStatus, registerNativeMatMul } from './native-matmul';

export const BACKEND_LADDER = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_LADDER)[number];

/** One rung tried on the way down the ladder, and what happened. */
export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  /** Why it was used or skipped, in words a learner can act on. */
  readonly reason: string;
}

/** Which backend runs the tensors, and why. */
export interface BackendReport {
  readonly name: BackendName;
  /** True when `LLM_LAB_BACKEND` or an explicit request chose it. */
  readonly forced: boolean;
  /** Who forced it: the environment variable, or a request in code (`--backend`, `useBackend`). */
  readonly forcedBy?: 'LLM_LAB_BACKEND' | 'request';
  /** What runs the numbers, e.g. "CPU, WebAssembly SIMD, 1 thread". */
  readonly device: string;
  readonly attempts: readonly BackendAttempt[];
  readonly tfjsVersion: string;
}

/** Raised when a backend was asked for by name and cannot start. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    reason: string,
  ) {
    super(`The '${backend}' backend cannot start here: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

let current: BackendReport | undefined;

/** The backend in use, or undefined before `initBackend()` has run. */
export function currentBackend(): BackendReport | undefined {
  return current;
}

/**
 * Picks the backend: the one named by `options.backend`, else `LLM_LAB_BACKEND`, else the
 * fastest rung of the ladder that starts. Calling it again returns the same choice unless a
 * different backend is asked for by name.
 */
export async function initBackend(options: { backend?: string } = {}): Promise<BackendReport> {
  if (options.backend) return useBackend(options.backend);
  const fromEnvironment = process.env['LLM_LAB_BACKEND'] ?? '';
  if (fromEnvironment !== '') return useBackend(fromEnvironment, 'LLM_LAB_BACKEND');
  if (current && !current.forced) return current;

  const attempts: BackendAttempt[] = [];
  for (const name of BACKEND_LADDER) {
    const result = await tryBackend(name);
    attempts.push(result);
    if (result.ok) {
      current = { name, forced: false, device: describeDevice(name), attempts, tfjsVersion: tf.version_core };
      return current;
    }
  }
  // Unreachable in practice: the `cpu` backend is plain JavaScript and always starts.
  throw new Error(`No TensorFlow.js backend could start:\n${formatAttempts(attempts)}`);
}

/** Switches to one backend by name; throws `BackendUnavailableError` if it cannot start. */
export async function useBackend(
  name: string,
  forcedBy: 'LLM_LAB_BACKEND' | 'request' = 'request',
): Promise<BackendReport> {
  if (!isBackendName(name)) {
    throw new BackendUnavailableError(
      name,
      `there is no backend of that name. Use one of: ${BACKEND_LADDER.join(', ')} ` +
        `(or unset LLM_LAB_BACKEND to pick the fastest automatically).`,
    );
  }
  if (current?.name === name && current.forcedBy === forcedBy && tf.getBackend() === name) return current;
  const result = await tryBackend(name);
  if (!result.ok) {
    const source = forcedBy === 'LLM_LAB_BACKEND' ? ` (asked for by LLM_LAB_BACKEND=${name})` : '';
    throw new BackendUnavailableError(name, result.reason + source);
  }
  current = { name, forced: true, forcedBy, device: describeDevice(name), attempts: [result], tfjsVersion: tf.version_core };
  return current;
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_LADDER as readonly string[]).includes(name);
}

/** The backends that can start on this machine (used by the conformance tests and doctor). */
export async function availableBackends(): Promise<BackendAttempt[]> {
  const before = tf.getBackend();
  const attempts: BackendAttempt[] = [];
  for (const name of BACKEND_LADDER) attempts.push(await tryBackend(name));
  if (before) await tf.setBackend(before);
  return attempts;
}

export function formatAttempts(attempts: readonly BackendAttempt[]): string {
  return attempts.map((a) => `  ${a.ok ? '✓' : '✗'} ${a.name.padEnd(10)} ${a.reason}`).join('\n');
}

async function tryBackend(name: BackendName): Promise<BackendAttempt> {
  try {
    const prepared = await prepare(name);
    if (prepared !== true) return { name, ok: false, reason: prepared };
    const started = await tf.setBackend(name);
    if (!started) return { name, ok: false, reason: 'registered, but failed to initialise.' };
    await tf.ready();
    if (name === 'cpu') {
      // The cpu backend greets its first tensor with advice to install tfjs-node; `llm-lab
      // doctor` already explains the ladder, so keep the output of lessons and tests clean.
      (tf.backend() as { firstUse?: boolean }).firstUse = false;
    }
    // A tiny computation proves the backend really works, not just that it loaded.
    const check = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), 2)).dataSync()[0]);
    if (check !== 12) return { name, ok: false, reason: `started but computed 2·(1+2+3) = ${check}.` };
    return { name, ok: true, reason: reasonFor(name) };
  } catch (error) {
    return { name, ok: false, reason: firstLine(error) };
  }
}

/** Loads what a backend needs; returns true, or the reason it cannot be used. */
async function prepare(name: BackendName): Promise<true | string> {
  switch (name) {
    case 'cpu':
      return true;
    case 'wasm':
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages load lazily, only when tried
      require('@tensorflow/tfjs-backend-wasm');
      registerMissingWasmKernels();
      registerFusedKernels();
      registerNativeMatMul();
      return true;
    case 'tensorflow':
      return prepareTensorflow();
    case 'webgpu':
      return prepareWebgpu();
  }
}

let tensorflowPackage: string | undefined;

function prepareTensorflow(): true | string {
  if (tf.findBackendFactory('tensorflow')) return true;
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages load lazily, only when tried
      require(pkg);
    } catch (error) {
      const code = (error as { code?: string }).code;
      reasons.push(code === 'MODULE_NOT_FOUND' ? `${pkg} is not installed` : `${pkg} failed to load (${firstLine(error)})`);
      continue;
    }
    if (!tf.findBackendFactory('tensorflow')) {
      reasons.push(`${pkg} loaded but registered with another copy of @tensorflow/tfjs-core; run npm dedupe`);
      continue;
    }
    tensorflowPackage = pkg;
    return true;
  }
  return `${reasons.join('; ')} (optional: its install downloads libtensorflow).`;
}

let webgpuAdapterInfo: string | undefined;

async function prepareWebgpu(): Promise<true | string> {
  if (tf.findBackendFactory('webgpu')) return true;
  // On Linux, Dawn talks to the GPU through Vulkan. Without the Vulkan loader there is no
  // adapter to find, and Dawn would print a warning on every start: skip it quietly.
  if (process.platform === 'linux' && !hasLinuxLibrary('libvulkan.so.1')) {
    return 'no Vulkan loader (libvulkan.so.1) on this machine; install it (Debian/Ubuntu: apt install libvulkan1) and a GPU driver to use the GPU.';
  }
  let webgpu: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages load lazily, only when tried
    webgpu = require('webgpu');
  } catch (error) {
    return `the optional 'webgpu' package did not load (${firstLine(error)}).`;
  }
  const gpu = webgpu.create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) return 'Dawn found no GPU adapter (no GPU, or no driver for it).';
  webgpuAdapterInfo = describeAdapter(adapter);
  // tfjs registers its webgpu backend only if `navigator.gpu` exists when it is imported.
  Object.assign(globalThis, webgpu.globals);
  const nav = ((globalThis as { navigator?: Record<string, unknown> }).navigator ??= {});
  if (!nav['gpu']) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional packages load lazily, only when tried
    require('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    return `@tensorflow/tfjs-backend-webgpu did not load (${firstLine(error)}).`;
  }
  return tf.findBackendFactory('webgpu') ? true : 'the tfjs webgpu backend did not register.';
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

function describeAdapter(adapter: unknown): string {
  const info = (adapter as { info?: { vendor?: string; architecture?: string; description?: string } }).info;
  const words = [info?.vendor, info?.architecture, info?.description].filter((w) => w);
  return words.length > 0 ? words.join(' ') : 'GPU';
}

function hasLinuxLibrary(file: string): boolean {
  try {
    if (fs.readFileSync('/etc/ld.so.cache').includes(file)) return true;
  } catch {
    // No linker cache: fall through to the usual directories.
  }
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  const extra = (process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d);
  return [...extra, ...dirs].some((dir) => fs.existsSync(`${dir}/${file}`));
}

function reasonFor(name: BackendName): string {
  switch (name) {
    case 'tensorflow':
      return `native libtensorflow through ${tensorflowPackage ?? 'tfjs-node'}.`;
    case 'webgpu':
      return `GPU through Dawn (${webgpuAdapterInfo ?? 'adapter found'}).`;
    case 'wasm':
      return 'WebAssembly started.';
    case 'cpu':
      return 'plain JavaScript (the reference backend; slow).';
  }
}

function describeDevice(name: BackendName): string {
  switch (name) {
    case 'tensorflow':
      return tensorflowPackage === '@tensorflow/tfjs-node-gpu' ? 'CUDA GPU (libtensorflow)' : 'CPU (libtensorflow, multi-threaded)';
    case 'webgpu':
      return `GPU: ${webgpuAdapterInfo ?? 'WebGPU adapter'}`;
    case 'wasm': {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      const blas = nativeMatMulActive() ? `; matrix products on ${nativeMatMulStatus().library ?? 'a BLAS'}` : '';
      return `CPU, WebAssembly${simd ? ' SIMD' : ' (no SIMD)'}, ${threads ? 'multi-threaded' : '1 thread'}${blas}`;
    }
    case 'cpu':
      return 'CPU, plain JavaScript';
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
