/**
 * The settings of a LoRA adapter, validated once.
 *
 * LoRA (Hu et al., 2021) freezes a linear layer's W (in, out) and learns a low-rank change
 * to it instead: ΔW = scaling · A·B, with A (in, r) and B (r, out). Only r·(in + out)
 * numbers train instead of in·out. `scaling = alpha / rank` keeps the size of the update
 * roughly independent of the rank, so a learning rate tuned for one rank works for another.
 */
import { isLinearTarget, LINEAR_TARGETS, type LinearTarget } from './linear-layers';

export interface LoraConfig {
  /** r, the rank of the update A·B: how many directions per layer the adapter can change. */
  readonly rank: number;
  /** α: the update is scaled by alpha / rank (PEFT's `lora_alpha`). */
  readonly alpha: number;
  /** Dropout on the adapter's input during training (PEFT's `lora_dropout`). @default 0 */
  readonly dropout?: number;
  /** Which linear layers get an adapter: 'c_attn', 'attn', 'mlp', 'all', full names… */
  readonly targets: readonly LinearTarget[];
  /**
   * The rank of a low-rank change to the token embedding, which this GPT also uses as its
   * output head (0: the embedding stays frozen). PEFT does the same when `target_modules`
   * names the embedding. Tasks whose answers use tokens differently from the base's corpus
   * need it: with the embedding frozen, even fine-tuning every linear weight at full rank
   * fails on extract-fields (data/README.md). The change is scaling · A·B with A (V, r)
   * starting at zero, so it too changes nothing before training. @default 0
   */
  readonly embeddingRank?: number;
}

export interface ResolvedLoraConfig extends Required<LoraConfig> {
  /** alpha / rank: what A·B is multiplied by. */
  readonly scaling: number;
}

/** Raised for LoRA settings that cannot describe an adapter. */
export class LoraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoraConfigError';
  }
}

/** Checks every rule of a LoRA config, typed or read from a file; returns it with its scaling. */
export function resolveLoraConfig(config: unknown): ResolvedLoraConfig {
  if (typeof config !== 'object' || config === null) {
    throw new LoraConfigError(`A LoRA config must be an object, got ${JSON.stringify(config)}.`);
  }
  const c = config as Record<string, unknown>;
  const { rank, alpha } = c;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank <= 0) {
    throw new LoraConfigError(`LoRA config: 'rank' must be a positive integer (r, often 4 to 16), got ${JSON.stringify(rank)}.`);
  }
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
    throw new LoraConfigError(
      `LoRA config: 'alpha' must be a positive number (the update is scaled by alpha / rank; alpha = 2·rank is common), got ${JSON.stringify(alpha)}.`,
    );
  }
  const dropout = c['dropout'] ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw new LoraConfigError(`LoRA config: 'dropout' must be a number in [0, 1), got ${JSON.stringify(dropout)}.`);
  }
  const targets = c['targets'];
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new LoraConfigError(
      `LoRA config: 'targets' must be a non-empty list of layers, such as ['c_attn'] or ['attn', 'mlp'], got ${JSON.stringify(targets)}.`,
    );
  }
  for (const target of targets) {
    if (typeof target !== 'string' || !isLinearTarget(target)) {
      throw new LoraConfigError(
        `LoRA config: unknown target ${JSON.stringify(target)}. Valid targets: ${Object.keys(LINEAR_TARGETS).join(', ')}, ` +
          `or a layer's full name such as 'transformer.h.0.attn.c_attn'.`,
      );
    }
  }
  const embeddingRank = c['embeddingRank'] ?? 0;
  if (typeof embeddingRank !== 'number' || !Number.isInteger(embeddingRank) || embeddingRank < 0) {
    throw new LoraConfigError(
      `LoRA config: 'embeddingRank' must be a whole number ≥ 0 (0: the token embedding stays frozen; 4 to 16 adapt it), got ${JSON.stringify(embeddingRank)}.`,
    );
  }
  const known = new Set(['rank', 'alpha', 'dropout', 'targets', 'embeddingRank', 'scaling']);
  const unknown = Object.keys(c).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new LoraConfigError(`LoRA config: unknown field(s) ${unknown.join(', ')}. Known: rank, alpha, dropout, targets, embeddingRank.`);
  }
  const scaling = alpha / rank;
  if (c['scaling'] !== undefined && c['scaling'] !== scaling) {
    throw new LoraConfigError(`LoRA config: 'scaling' is always alpha / rank = ${scaling}, got ${JSON.stringify(c['scaling'])}. Set alpha instead.`);
  }
  return { rank, alpha, dropout, targets: [...(targets as LinearTarget[])], embeddingRank, scaling };
}
