/**
 * Calling the learner's functions in this process: the notebook's fast path, for
 * `check("1.1", { softmax })` with a function defined in a cell. No time limit can stop a
 * synchronous endless loop here; the CI grader runs submissions in a child process instead.
 */
import type { CallOutcome } from './outcome';
import type { JsonValue } from './spec';

export async function callInProcess(fn: unknown, args: readonly JsonValue[], name: string): Promise<CallOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (typeof fn !== 'function') {
    return { kind: 'failed', message: `no function ${name} was given: pass it as check(id, ${name}), or by name, check(id, { ${name}: ${name} })`, timeMs: 0 };
  }
  try {
    const value: unknown = await (fn as (...a: unknown[]) => unknown)(...structuredClone(args as JsonValue[]));
    return { kind: 'returned', value: plainData(value), timeMs: elapsed() };
  } catch (thrown) {
    if (thrown instanceof Error) return { kind: 'threw', name: thrown.name, message: thrown.message, isError: true, timeMs: elapsed() };
    return { kind: 'threw', name: typeof thrown, message: `the ${typeof thrown} ${String(thrown).slice(0, 200)}`, isError: false, timeMs: elapsed() };
  }
}

/**
 * A quiz's answers given in the notebook: the object itself (a copy, as data), or what it
 * returns when it is a function. Data only, as the sandboxed child would send it.
 */
export async function readInProcess(given: unknown, args: readonly JsonValue[], name: string): Promise<CallOutcome> {
  if (typeof given === 'function') return callInProcess(given, args, name);
  if (given === undefined) {
    return { kind: 'failed', message: `no answers were given: pass them as check(id, ${name}), or answer by question, check(id, { q1: …, q2: … })`, timeMs: 0 };
  }
  try {
    return { kind: 'returned', value: plainData(structuredClone(given)), timeMs: 0 };
  } catch (error) {
    return { kind: 'failed', message: `the answers could not be read as data (${(error as Error).message}): give strings, numbers and lists of strings`, timeMs: 0 };
  }
}

/** Typed arrays as arrays, as the child process sends them. */
function plainData(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(plainData);
  return value;
}
