/** `llm-lab doctor`: what runs the tensors here, why, and what is missing. */
import * as path from 'node:path';
import { BACKEND_LADDER, type BackendReport, availableBackends, formatAttempts, initBackend, nativeMatMulStatus } from '../backend';
import { version } from '../version';

export interface DoctorReport {
  readonly llmLab: string;
  readonly node: string;
  readonly platform: string;
  readonly backend: BackendReport;
  /** On `wasm`: what runs the matrix products (the machine's BLAS or WebAssembly) and why. */
  readonly matrixProducts?: string;
  readonly packages: Readonly<Record<string, string>>;
}

const OPTIONAL_PACKAGES = [
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
] as const;

/** Picks the backend (as `initBackend` does, honouring a forced one) and reports. */
export async function doctor(options: { backend?: string } = {}): Promise<DoctorReport> {
  const backend = await initBackend(options);
  const packages: Record<string, string> = {};
  for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', ...OPTIONAL_PACKAGES]) {
    packages[name] = packageVersion(name) ?? 'not installed';
  }
  return {
    llmLab: version,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    backend,
    ...(backend.name === 'wasm' ? { matrixProducts: nativeMatMulStatus().summary } : {}),
    packages,
  };
}

export async function formatDoctor(report: DoctorReport): Promise<string> {
  const { backend } = report;
  const lines = [
    `LLM Lab ${report.llmLab} on Node ${report.node} (${report.platform}), TensorFlow.js ${backend.tfjsVersion}`,
    `Backend: ${backend.name} — ${backend.device}`,
    backend.forced
      ? `  chosen by ${backend.forcedBy === 'LLM_LAB_BACKEND' ? `LLM_LAB_BACKEND=${backend.name}` : `--backend ${backend.name}`}; every rung, for comparison:`
      : '  the fastest rung of the ladder (tensorflow → webgpu → wasm → cpu) that started:',
  ];
  const tried = backend.forced ? await availableBackends() : backend.attempts;
  lines.push(formatAttempts(tried));
  const untried = BACKEND_LADDER.filter((name) => !tried.some((a) => a.name === name));
  if (untried.length > 0) lines.push(`  (not tried: ${untried.join(', ')}; a faster one was found first)`);
  if (report.matrixProducts) lines.push(`Matrix products: ${report.matrixProducts}`);
  lines.push('Packages:');
  for (const [name, v] of Object.entries(report.packages)) lines.push(`  ${name.padEnd(32)} ${v}`);
  lines.push('Force a backend with LLM_LAB_BACKEND=<tensorflow|webgpu|wasm|cpu>.');
  return lines.join('\n');
}

function packageVersion(name: string): string | undefined {
  try {
    const file = require.resolve(path.posix.join(name, 'package.json'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- reads a package.json found at run time
    return (require(file) as { version: string }).version;
  } catch {
    return undefined;
  }
}
