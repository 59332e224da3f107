/** Running untrusted submissions: a child process per exercise file, with limits. */
export { runCalls } from './run-calls';
export type { SandboxCall, RunCallsOptions } from './run-calls';
export { DEFAULT_LIMITS, resolveLimits } from './limits';
export type { SandboxLimits } from './limits';
export { CHILD_RUNNER_SOURCE } from './child-source';
