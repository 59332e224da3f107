/**
 * The first cell of every lesson: what runs this notebook, and what is off.
 *
 *   LLM Lab 0.1.0 · backend wasm (CPU, WebAssembly SIMD, 1 thread) · Node 20.19.0 · TensorFlow.js 4.22.0
 *   ⚠ The cpu backend is in use: …
 */
import { type BackendReport, currentBackend, initBackend } from '../backend';
import { version } from '../version';
import { escapeHtml } from './escape';
import { showOutput } from './sink';

/** The oldest Node major version LLM Lab supports. */
const MIN_NODE_MAJOR = 20;

export interface EnvironmentInfo {
  readonly llmLab: string;
  /** The backend running the tensors, e.g. 'wasm'. */
  readonly backend: BackendReport['name'];
  /** What runs the numbers, e.g. "CPU, WebAssembly SIMD, 1 thread". */
  readonly device: string;
  readonly node: string;
  readonly tfjs: string;
  /** True when `LLM_LAB_QUICK=1`: lessons use small step counts. */
  readonly quick: boolean;
  /** What is off, one sentence each with what to do; empty when all is well. */
  readonly warnings: readonly string[];
}

/**
 * Shows one line about the environment (LLM Lab, backend and device, Node, TensorFlow.js)
 * and a warning line for each thing that is off. Picks the backend first if none is yet.
 *
 * Resolves to the same facts as an object. tslab prints the value of a cell's last
 * expression, so write `const env = await showEnvironment();` to see the line alone.
 */
export async function showEnvironment(): Promise<EnvironmentInfo> {
  const backend = currentBackend() ?? (await initBackend());
  const info = environmentInfo({ backend, nodeVersion: process.versions.node, quickSetting: process.env['LLM_LAB_QUICK'] });
  const line = `LLM Lab ${info.llmLab} · backend ${info.backend} (${info.device}) · Node ${info.node} · TensorFlow.js ${info.tfjs}`;
  const html =
    `<div class="llm-lab-environment"><div>${escapeHtml(line)}</div>` +
    info.warnings.map((w) => `<div style="color:#b45309"><b>⚠</b> ${escapeHtml(w)}</div>`).join('') +
    '</div>';
  showOutput({ 'text/html': html, 'text/plain': [line, ...info.warnings.map((w) => `⚠ ${w}`)].join('\n') });
  return info;
}

/** The facts and warnings `showEnvironment` shows, from its inputs (a pure function). */
export function environmentInfo(inputs: {
  readonly backend: BackendReport;
  /** `process.versions.node`, e.g. '20.19.0'. */
  readonly nodeVersion: string;
  /** The value of `LLM_LAB_QUICK`, if set. */
  readonly quickSetting: string | undefined;
}): EnvironmentInfo {
  const { backend, nodeVersion, quickSetting } = inputs;
  const warnings: string[] = [];
  if (backend.name === 'cpu') warnings.push(cpuWarning(backend));
  const major = Number.parseInt(nodeVersion, 10);
  if (!(major >= MIN_NODE_MAJOR)) {
    warnings.push(
      `Node ${nodeVersion} is older than Node ${MIN_NODE_MAJOR}, which LLM Lab needs: install Node ${MIN_NODE_MAJOR} or newer, ` +
        'then register the notebook kernel again (see the README) and restart it.',
    );
  }
  const quick = quickSetting === '1';
  if (quick) {
    warnings.push(
      'Quick mode (LLM_LAB_QUICK=1): lessons train with small step counts, so losses stay higher and samples read ' +
        'worse than the text describes. Unset LLM_LAB_QUICK and restart the kernel for the full runs.',
    );
  } else if (quickSetting !== undefined && quickSetting !== '' && quickSetting !== '0') {
    warnings.push(`LLM_LAB_QUICK=${quickSetting} is not understood (only 1 turns quick mode on): the lessons run in full.`);
  }
  return { llmLab: version, backend: backend.name, device: backend.device, node: nodeVersion, tfjs: backend.tfjsVersion, quick, warnings };
}

function cpuWarning(backend: BackendReport): string {
  const slow = 'The cpu backend (plain JavaScript) is in use: training will be many times slower than with wasm. ';
  if (backend.forcedBy === 'LLM_LAB_BACKEND') {
    return slow + 'It was chosen by LLM_LAB_BACKEND=cpu: unset it (or set LLM_LAB_BACKEND=wasm) and restart the kernel.';
  }
  if (backend.forced) {
    return slow + "It was asked for in code: run `await useBackend('wasm')` (or `await initBackend()` for the fastest).";
  }
  const wasm = backend.attempts.find((a) => a.name === 'wasm');
  return (
    slow +
    (wasm && !wasm.ok ? `The wasm backend did not start: ${wasm.reason} ` : '') +
    'Check that @tensorflow/tfjs-backend-wasm is installed (npm install), then run `npx llm-lab doctor`.'
  );
}
