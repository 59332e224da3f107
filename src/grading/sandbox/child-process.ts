/**
 * One sandboxed child: a Node process under the permission model (it may read its own
 * folder and nothing else; no writes, no child processes, no workers), with a heap limit,
 * a watch on its resident memory, and a cap on what it prints. Messages come back on fd 3,
 * one JSON line each, and must carry this child's random nonce.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxLimits } from './limits';

/** A reply from the child, parsed but not yet trusted. */
export type ChildReply = Readonly<Record<string, unknown>>;

/** Why a child stopped answering. */
export type ChildDeath =
  | { readonly reason: 'timeout'; readonly ms: number }
  | { readonly reason: 'memory' }
  | { readonly reason: 'output' }
  | { readonly reason: 'protocol'; readonly detail: string }
  | { readonly reason: 'exit'; readonly code: number | null; readonly signal: string | null; readonly stderr: string };

export type ChildAnswer = { readonly reply: ChildReply } | { readonly death: ChildDeath };

const MAX_LINE_BYTES = 16 * 1024 * 1024;
const MEMORY_POLL_MS = 50;
const permissionFlag = Number(process.versions.node.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';

export class SandboxedChild {
  private readonly child: ChildProcess;
  private readonly nonce = randomBytes(16).toString('hex');
  private waiting: ((answer: ChildAnswer) => void) | undefined;
  private death: ChildDeath | undefined;
  private pendingLine = '';
  private printed = 0;
  private sentFirst = false;
  private stderrHead = '';
  private readonly memoryWatch: NodeJS.Timeout | undefined;

  /** Starts `runner` (a file inside `readableDir`), allowed to read `readableDir` only. */
  constructor(readableDir: string, runner: string, private readonly limits: SandboxLimits) {
    const env: NodeJS.ProcessEnv = {};
    if (process.env['SYSTEMROOT']) env['SYSTEMROOT'] = process.env['SYSTEMROOT'];
    this.child = spawn(
      process.execPath,
      [permissionFlag, `--allow-fs-read=${readableDir}${path.sep}`, `--max-old-space-size=${limits.memoryMb}`, '--no-warnings', runner],
      { cwd: readableDir, env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], windowsHide: true },
    );
    this.child.stdin?.on('error', () => undefined); // the child may die before reading
    this.child.stdout?.on('data', (chunk: Buffer) => this.countOutput(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      if (this.stderrHead.length < 4000) this.stderrHead += chunk.toString('utf8', 0, Math.min(chunk.length, 4000));
      this.countOutput(chunk);
    });
    const replies = this.child.stdio[3] as NodeJS.ReadableStream | null;
    replies?.on('data', (chunk: Buffer) => this.receive(chunk));
    replies?.on('error', () => undefined);
    this.child.on('error', (error) => this.die({ reason: 'exit', code: null, signal: null, stderr: error.message }));
    this.child.on('exit', (code, signal) => this.die({ reason: 'exit', code, signal, stderr: this.stderrHead }));
    this.memoryWatch = process.platform === 'linux' ? setInterval(() => this.checkMemory(), MEMORY_POLL_MS) : undefined;
  }

  /** Sends one request and waits for its reply, or for the child's death (a timeout kills it). */
  ask(request: Record<string, unknown>, timeoutMs: number): Promise<ChildAnswer> {
    if (this.death) return Promise.resolve({ death: this.death });
    this.printed = 0; // the output cap is per request: a case that prints a little does not starve the next
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // A reply read in this turn of the event loop still counts: look again after I/O.
        setImmediate(() => {
          if (this.waiting) this.die({ reason: 'timeout', ms: timeoutMs });
        });
      }, timeoutMs);
      this.waiting = (answer) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(answer);
      };
      // The nonce goes in the first request only: it is read before the submission loads.
      const first = !this.sentFirst;
      this.sentFirst = true;
      this.child.stdin?.write(`${JSON.stringify(first ? { ...request, nonce: this.nonce } : request)}\n`);
    });
  }

  kill(): void {
    if (this.memoryWatch) clearInterval(this.memoryWatch);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private die(death: ChildDeath): void {
    if (!this.death) this.death = death;
    this.kill();
    this.waiting?.({ death: this.death });
  }

  private receive(chunk: Buffer): void {
    this.pendingLine += chunk.toString('utf8');
    if (this.pendingLine.length > MAX_LINE_BYTES) return this.die({ reason: 'protocol', detail: 'an answer larger than 16 MB' });
    let newline: number;
    while ((newline = this.pendingLine.indexOf('\n')) >= 0) {
      const line = this.pendingLine.slice(0, newline);
      this.pendingLine = this.pendingLine.slice(newline + 1);
      let reply: unknown;
      try {
        reply = JSON.parse(line);
      } catch {
        return this.die({ reason: 'protocol', detail: 'a line on the grader\'s channel that is not JSON' });
      }
      const valid = reply !== null && typeof reply === 'object' && !Array.isArray(reply) && (reply as ChildReply)['nonce'] === this.nonce;
      if (!valid || !this.waiting) return this.die({ reason: 'protocol', detail: 'a message the grader did not ask for' });
      this.waiting({ reply: reply as ChildReply });
    }
  }

  private countOutput(chunk: Buffer): void {
    this.printed += chunk.length;
    if (this.printed > this.limits.maxOutputBytes) this.die({ reason: 'output' });
  }

  private checkMemory(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.death) return;
    let statm: string;
    try {
      statm = fs.readFileSync(`/proc/${pid}/statm`, 'utf8');
    } catch {
      return; // gone already
    }
    const residentPages = Number(statm.split(' ')[1]);
    if (residentPages * 4096 > 2 * this.limits.memoryMb * 1024 * 1024) this.die({ reason: 'memory' });
  }
}

/** What a learner reads when the child stopped answering. */
export function describeDeath(death: ChildDeath, limits: SandboxLimits, phase: 'call' | 'load'): string {
  const when = phase === 'load' ? 'while its file was loading' : 'during this case';
  switch (death.reason) {
    case 'timeout':
      return phase === 'load'
        ? `loading the file took longer than ${seconds(death.ms)} (an endless loop at the top level?)`
        : `took longer than ${seconds(death.ms)} (an endless loop?)`;
    case 'memory':
      return `used more than ${2 * limits.memoryMb} MB of memory ${when}`;
    case 'output':
      return `printed more than ${Math.round(limits.maxOutputBytes / 1024 / 1024)} MB ${when}: print less`;
    case 'protocol':
      return `stopped: the submission sent ${death.detail} on the grader's channel`;
    case 'exit':
      if (/heap out of memory|Allocation failed/i.test(death.stderr)) return `ran out of memory (${limits.memoryMb} MB heap) ${when}`;
      if (/ERR_ACCESS_DENIED/.test(death.stderr)) return `was stopped ${when}: it used something the grader does not allow (files outside the submission, processes, workers)`;
      if (death.signal) return `its process was killed (${death.signal}) ${when}`;
      return `ended its process (exit code ${death.code}) ${when}: do not call process.exit()`;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 2 })} s`;
}
