/**
 * Runs the built `llm-lab` command in a child process, as a user would, on the WebAssembly
 * backend. The command runs from dist/, so build first (`npm run build`; `npm test` does).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'llm-lab.js');
const builtMain = path.join(root, 'dist', 'cli', 'main.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Throws a clear error when dist/ has not been built (call it in beforeAll). */
export function requireBuiltCli(): void {
  if (!fs.existsSync(builtMain)) {
    throw new Error(`The CLI tests run the built command, but ${builtMain} is missing. Run \`npm run build\` first.`);
  }
}

export function runCli(args: readonly string[], options: { cwd?: string } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, LLM_LAB_BACKEND: 'wasm' };
  delete env['LLM_LAB_DEBUG'];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
