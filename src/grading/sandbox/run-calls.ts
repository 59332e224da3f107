/**
 * Runs calls of one compiled exercise file in a sandboxed child, one after the other. A call
 * that kills its child (too slow, too much memory or output, process.exit) fails alone: the
 * next call gets a fresh child. A file that cannot load fails every call, with the reason.
 */
import type { CallOutcome } from '../outcome';
import type { JsonValue } from '../spec';
import { WireFormatError, decodeValue } from '../wire';
import { type ChildReply, SandboxedChild, describeDeath } from './child-process';
import type { SandboxLimits } from './limits';

export interface SandboxCall {
  /** The exported function. */
  readonly name: string;
  readonly args: readonly JsonValue[];
  /** @default limits.caseTimeoutMs */
  readonly timeoutMs?: number;
  /** A quiz's answers: the export's value itself, or what it returns when it is a function. @default false */
  readonly read?: boolean;
}

export interface RunCallsOptions {
  /** The only folder the child may read: the compiled submission and the runner. */
  readonly readableDir: string;
  /** The runner script, inside `readableDir`. */
  readonly runner: string;
  /** The compiled exercise file, inside `readableDir`. */
  readonly moduleFile: string;
  readonly calls: readonly SandboxCall[];
  readonly limits: SandboxLimits;
  /** `Date.now()` after which nothing more runs (the submission's whole time budget). */
  readonly deadline: number;
}

export async function runCalls(options: RunCallsOptions): Promise<CallOutcome[]> {
  const { limits } = options;
  const outcomes: CallOutcome[] = [];
  let child: SandboxedChild | undefined;
  let loadFailure: string | undefined;
  try {
    for (const [id, call] of options.calls.entries()) {
      const started = Date.now();
      const failed = (message: string): CallOutcome => ({ kind: 'failed', message, timeMs: Date.now() - started });
      if (loadFailure !== undefined) {
        outcomes.push(failed(loadFailure));
        continue;
      }
      const left = options.deadline - started;
      if (left <= 0) {
        outcomes.push(failed(`not run: the submission used its whole time budget (${limits.submissionTimeoutMs / 1000} s)`));
        continue;
      }
      if (!child) {
        child = new SandboxedChild(options.readableDir, options.runner, limits);
        const loaded = await child.ask({ file: options.moduleFile }, Math.min(limits.loadTimeoutMs, left));
        const problem = loadProblem(loaded, limits);
        if (problem !== undefined) {
          loadFailure = problem;
          outcomes.push(failed(problem));
          continue;
        }
      }
      const callStarted = Date.now();
      const timeoutMs = Math.min(call.timeoutMs ?? limits.caseTimeoutMs, Math.max(1, options.deadline - callStarted));
      const answer = await child.ask({ id, name: call.name, args: call.args, read: call.read === true }, timeoutMs);
      const timeMs = Date.now() - callStarted;
      if ('death' in answer) {
        outcomes.push({ kind: 'failed', message: describeDeath(answer.death, limits, 'call'), timeMs });
        child.kill();
        child = undefined;
        continue;
      }
      const outcome = readCallReply(answer.reply, id, call, timeMs);
      outcomes.push(outcome);
      if (outcome.kind === 'failed') {
        child.kill(); // it broke the protocol: do not trust it with the next call
        child = undefined;
      }
    }
  } finally {
    child?.kill();
  }
  return outcomes;
}

function loadProblem(answer: Awaited<ReturnType<SandboxedChild['ask']>>, limits: SandboxLimits): string | undefined {
  if ('death' in answer) return describeDeath(answer.death, limits, 'load');
  const { reply } = answer;
  if (reply['type'] === 'loaded') return undefined;
  if (reply['type'] === 'load-failed') {
    const what = reply['isError'] === true ? `${String(reply['name'])}: ${String(reply['message'])}` : `${String(reply['message'])} (not an Error)`;
    return `the file threw while loading: ${what.slice(0, 300)}`;
  }
  return 'the file did not load (unexpected answer from its process)';
}

/** A reply to call `id`, read strictly: anything malformed is a failed case, never a pass. */
function readCallReply(reply: ChildReply, id: number, call: SandboxCall, timeMs: number): CallOutcome {
  const { name } = call;
  const failed = (message: string): CallOutcome => ({ kind: 'failed', message, timeMs });
  if (reply['id'] !== id) return failed('the answer came for another case (the submission wrote to the grader\'s channel)');
  switch (reply['type']) {
    case 'returned':
      try {
        return { kind: 'returned', value: decodeValue(reply['value']), timeMs };
      } catch (error) {
        if (error instanceof WireFormatError) return failed(error.message);
        throw error;
      }
    case 'threw':
      if (typeof reply['name'] !== 'string' || typeof reply['message'] !== 'string' || typeof reply['isError'] !== 'boolean') {
        return failed('a malformed answer');
      }
      return { kind: 'threw', name: reply['name'], message: reply['message'], isError: reply['isError'], timeMs };
    case 'missing':
      if (call.read) return failed(`the file does not export your answers as ${name}: write \`export const ${name} = { … }\``);
      return failed(`the file does not export a function named ${name}: write \`export function ${name}(…)\``);
    case 'unsendable':
      return failed(`its answer could not be sent back to the grader: ${String(reply['message']).slice(0, 200)}`);
    default:
      return failed('a malformed answer');
  }
}
