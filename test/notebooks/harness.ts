/**
 * What the notebook tests share: the .venv setup (the same code as `npm start`), notebooks
 * made on the fly, running one through scripts/execute_notebook.py, and making sure no kernel
 * outlives its test.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { JupyterSetupError, findPython, jupyterEnv, projectPaths, setupJupyter } from '../../scripts/jupyter-setup';
import type { SetupResult } from '../../scripts/jupyter-setup';

export const ROOT = path.resolve(__dirname, '..', '..');
export const PATHS = projectPaths(ROOT);
export const KERNEL_NAME = 'llm-lab';
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
/** Executed notebooks, screenshots and scratch folders go here (gitignored). */
export const RESULTS_DIR = path.join(ROOT, 'test-results');

export const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export function progress(message: string): void {
  process.stderr.write(`[notebooks] ${message}\n`);
}

/** Why Jupyter cannot be set up here (no usable Python), or undefined when it can. */
export function pythonMissingReason(): string | undefined {
  try {
    findPython();
    return undefined;
  } catch (error) {
    if (error instanceof JupyterSetupError) return error.message;
    throw error;
  }
}

/** .venv ready to run notebooks: minutes the first time, well under a second afterwards. */
export async function setupForTests(): Promise<SetupResult> {
  progress('checking .venv (the first run installs JupyterLab into it, which takes a minute or two)');
  const result = await setupJupyter({ root: ROOT, log: progress });
  progress(result.installed ? `.venv set up in ${result.seconds.toFixed(0)} s` : '.venv up to date');
  return result;
}

/**
 * A fresh folder under test-results/. Notebooks must live inside the project, like notebooks/
 * does: the kernel resolves `import … from 'llm-lab'` from the notebook's folder upwards.
 */
export function projectTempDir(prefix: string): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return fs.mkdtempSync(path.join(RESULTS_DIR, `${prefix}-`));
}

export interface CellSource {
  readonly type?: 'code' | 'markdown';
  readonly source: string;
}

/** An nbformat 4.5 notebook for the LLM Lab kernel. */
export function makeNotebook(cells: readonly CellSource[]): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: KERNEL_NAME, display_name: 'TypeScript (LLM Lab)', language: 'typescript' },
      language_info: { name: 'typescript' },
    },
    cells: cells.map((cell, index) =>
      (cell.type ?? 'code') === 'code'
        ? { cell_type: 'code', id: `cell-${index}`, metadata: {}, source: cell.source, outputs: [], execution_count: null }
        : { cell_type: 'markdown', id: `cell-${index}`, metadata: {}, source: cell.source },
    ),
  };
}

export interface CellFailure {
  readonly cell: number | null;
  readonly ename: string;
  readonly evalue: string;
  readonly stderr?: string;
}

/** What scripts/execute_notebook.py prints. */
export interface ExecutionSummary {
  readonly notebook: string;
  readonly output: string;
  readonly kernel: string;
  readonly seconds: number;
  readonly cells: number;
  readonly codeCells: number;
  readonly executedCells: number;
  readonly errors: readonly CellFailure[];
  readonly mimeTypes: readonly string[];
  readonly outputsByCell: Readonly<Record<string, readonly string[]>>;
}

export interface Execution {
  /** 0: no cell failed; 1: one did; 2: the notebook could not be run. */
  readonly code: number | null;
  readonly summary: ExecutionSummary | undefined;
  /** The runner's and kernel's stderr (tslab logs there), for the failure message. */
  readonly stderr: string;
}

export interface ExecuteOptions {
  /** Added to the environment the kernel inherits (e.g. LLM_LAB_QUICK). */
  readonly env?: Readonly<Record<string, string>>;
  /** Seconds one cell may run. @default 600 */
  readonly cellTimeout?: number;
  /** Seconds the whole notebook may run before the runner is killed. @default 1200 */
  readonly totalTimeout?: number;
}

/** Runs a notebook with the LLM Lab kernel; the executed copy is written to `output`. */
export async function executeNotebook(notebook: string, output: string, options: ExecuteOptions = {}): Promise<Execution> {
  // Connection files go to a folder of this run only, so a kernel left behind can be found.
  const runtimeDir = projectTempDir('runtime');
  const args = [
    path.join(ROOT, 'scripts', 'execute_notebook.py'),
    notebook,
    '--output',
    output,
    '--kernel',
    KERNEL_NAME,
    '--timeout',
    String(options.cellTimeout ?? 600),
  ];
  const child = spawn(PATHS.venvPython, args, {
    cwd: ROOT,
    env: { ...jupyterEnv({ root: ROOT, runtimeDir }), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), (options.totalTimeout ?? 1200) * 1000);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve(exitCode));
    });
    let summary: ExecutionSummary | undefined;
    try {
      summary = JSON.parse(stdout) as ExecutionSummary;
    } catch {
      summary = undefined;
    }
    return { code, summary, stderr };
  } finally {
    clearTimeout(killer);
    const left = killProcessesMentioning(runtimeDir);
    if (left > 0) progress(`stopped ${left} kernel process(es) left running by ${path.basename(notebook)}`);
    fs.rmSync(runtimeDir, { recursive: true, force: true });
  }
}

/**
 * Kills, by process id, the processes whose command line contains `marker` (a folder made for
 * one run, so only what that run started matches); returns how many. Linux only (/proc).
 */
export function killProcessesMentioning(marker: string): number {
  if (process.platform !== 'linux') return 0;
  let killed = 0;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone already, or not ours to read
    }
    if (!cmdline.includes(marker)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}

/** The outputs of one cell of an executed notebook. */
export interface CellOutput {
  readonly output_type: string;
  readonly name?: string;
  readonly text?: string | string[];
  readonly data?: Record<string, unknown>;
}

export function readOutputs(executed: string, cell: number): readonly CellOutput[] {
  const nb = JSON.parse(fs.readFileSync(executed, 'utf8')) as { cells: { outputs?: CellOutput[] }[] };
  return nb.cells[cell]?.outputs ?? [];
}

export function streamText(outputs: readonly CellOutput[], name = 'stdout'): string {
  return outputs
    .filter((o) => o.output_type === 'stream' && o.name === name)
    .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
    .join('');
}

/** One line per failed cell, with the kernel's stderr, for an assertion message. */
export function describeFailures(execution: Execution): string {
  if (!execution.summary) {
    return `execute_notebook.py exited with ${execution.code} and printed no summary. stderr:\n${execution.stderr.slice(-4000)}`;
  }
  return execution.summary.errors
    .map((e) => `cell ${e.cell}: ${e.ename}: ${e.evalue}${e.stderr ? `\n${e.stderr.slice(0, 2000)}` : ''}`)
    .join('\n');
}
