/** How much time, memory and output a submission gets. */
export interface SandboxLimits {
  /** One call of the learner's function, in milliseconds. @default 2000 */
  readonly caseTimeoutMs: number;
  /** Loading one exercise file (its top-level code), in milliseconds. @default 5000 */
  readonly loadTimeoutMs: number;
  /** Everything one submission runs, in milliseconds; cases after that fail. @default 60000 */
  readonly submissionTimeoutMs: number;
  /** The child's JavaScript heap, and (twice this) its resident memory where the OS says it (Linux), in MiB. @default 256 */
  readonly memoryMb: number;
  /** What the child may print (stdout and stderr together) while loading or in one case before it is stopped, in bytes. @default 4 MiB */
  readonly maxOutputBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  caseTimeoutMs: 2000,
  loadTimeoutMs: 5000,
  submissionTimeoutMs: 60_000,
  memoryMb: 256,
  maxOutputBytes: 4 * 1024 * 1024,
};

export function resolveLimits(limits: Partial<SandboxLimits> = {}): SandboxLimits {
  const resolved = { ...DEFAULT_LIMITS, ...limits };
  for (const [key, value] of Object.entries(resolved)) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`sandbox limit ${key} must be a positive number, got ${String(value)}`);
    }
  }
  return resolved;
}
