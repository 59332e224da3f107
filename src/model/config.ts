/**
 * The shape of a GPT, as one typed object.
 *
 * Every module of the model reads the whole config, and every checkpoint stores it, so a
 * model can always be rebuilt from its checkpoint alone.
 */

export interface GPTConfig {
  /** Number of distinct tokens: the rows of the embedding table and the width of the logits. */
  readonly vocabSize: number;
  /** The context length: the most tokens the model can look at (its position table's rows). */
  readonly blockSize: number;
  /** Number of transformer blocks stacked. */
  readonly nLayer: number;
  /** Number of attention heads per block; each head is nEmbd / nHead wide. */
  readonly nHead: number;
  /** Width of the residual stream: every token is a vector of this many numbers. */
  readonly nEmbd: number;
  /** Probability of zeroing an activation during training (0 turns dropout off). */
  readonly dropout: number;
  /** Whether linear layers and layer norms have bias vectors (GPT-2: yes; nanoGPT's default: no). */
  readonly bias: boolean;
}

/** Named model sizes. `vocabSize` always comes from the tokenizer. */
export const GPT_PRESETS = {
  /** For tests: two small layers; a training step takes milliseconds. */
  tiny: { blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 32, dropout: 0, bias: true },
  /** nanoGPT's CPU recipe for Shakespeare characters: trains in minutes on a laptop. */
  baby: { blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0, bias: false },
  /** A bit more capacity when there is time (or a GPU). */
  small: { blockSize: 128, nLayer: 6, nHead: 6, nEmbd: 192, dropout: 0, bias: false },
} as const satisfies Record<string, Omit<GPTConfig, 'vocabSize'>>;

export type GPTPresetName = keyof typeof GPT_PRESETS;

export function isPresetName(name: string): name is GPTPresetName {
  return Object.prototype.hasOwnProperty.call(GPT_PRESETS, name);
}

/** Raised for a config that cannot describe a working model. */
export class GPTConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GPTConfigError';
  }
}

/**
 * Builds a full config from a preset name (or a partial config) plus overrides, and checks
 * it. This is the one place a config's rules live.
 */
export function resolveConfig(
  base: GPTPresetName | Partial<GPTConfig>,
  overrides: Partial<GPTConfig> = {},
): GPTConfig {
  let start: Partial<GPTConfig>;
  if (typeof base === 'string') {
    if (!isPresetName(base)) {
      throw new GPTConfigError(`Unknown preset '${base}'. Presets: ${Object.keys(GPT_PRESETS).join(', ')}.`);
    }
    start = GPT_PRESETS[base];
  } else {
    start = base;
  }
  const config = { dropout: 0, bias: true, ...start, ...overrides } as Partial<GPTConfig>;
  return validateConfig(config);
}

/** Checks every rule of a config, typed or read from a file; returns it typed. */
export function validateConfig(config: unknown): GPTConfig {
  if (typeof config !== 'object' || config === null) {
    throw new GPTConfigError(`A GPT config must be an object, got ${JSON.stringify(config)}.`);
  }
  const c = config as Record<string, unknown>;
  const positiveInt = (field: keyof GPTConfig, why: string): number => {
    const value = c[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new GPTConfigError(`GPT config: '${field}' must be a positive integer (${why}), got ${JSON.stringify(value)}.`);
    }
    return value;
  };
  const vocabSize = positiveInt('vocabSize', 'the number of tokens, from the tokenizer');
  const blockSize = positiveInt('blockSize', 'the context length');
  const nLayer = positiveInt('nLayer', 'the number of blocks');
  const nHead = positiveInt('nHead', 'the number of attention heads');
  const nEmbd = positiveInt('nEmbd', 'the width of each token vector');
  if (nEmbd % nHead !== 0) {
    throw new GPTConfigError(
      `GPT config: nEmbd (${nEmbd}) must be divisible by nHead (${nHead}), because each head gets ` +
        `nEmbd / nHead numbers. Try nEmbd = ${Math.max(nHead, Math.round(nEmbd / nHead) * nHead)}.`,
    );
  }
  const dropout = c['dropout'] ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw new GPTConfigError(`GPT config: 'dropout' must be a number in [0, 1), got ${JSON.stringify(dropout)}.`);
  }
  const bias = c['bias'] ?? true;
  if (typeof bias !== 'boolean') {
    throw new GPTConfigError(`GPT config: 'bias' must be true or false, got ${JSON.stringify(bias)}.`);
  }
  const known = new Set(['vocabSize', 'blockSize', 'nLayer', 'nHead', 'nEmbd', 'dropout', 'bias']);
  const unknown = Object.keys(c).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new GPTConfigError(`GPT config: unknown field(s) ${unknown.join(', ')}. Known: ${[...known].join(', ')}.`);
  }
  return { vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias };
}

/**
 * The number of parameters, from the config alone (the output head shares the token
 * embedding, so it adds nothing).
 */
export function countParameters(config: GPTConfig): number {
  const { vocabSize: V, blockSize: T, nLayer: L, nEmbd: C, bias } = config;
  const b = bias ? 1 : 0;
  const layerNorm = C + b * C;
  const attention = C * 3 * C + b * 3 * C + C * C + b * C;
  const mlp = C * 4 * C + b * 4 * C + 4 * C * C + b * C;
  const block = 2 * layerNorm + attention + mlp;
  return V * C + T * C + L * block + layerNorm;
}
