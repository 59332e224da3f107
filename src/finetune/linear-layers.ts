/**
 * The linear layers of a GPT: where LoRA adapters attach and what QLoRA quantizes.
 *
 * Each block has four, named as in GPT-2 and stored [in, out]:
 *
 *   attn.c_attn  C → 3C   the queries, keys and values, side by side
 *   attn.c_proj  C → C    the heads' outputs, mixed back into the residual stream
 *   mlp.c_fc     C → 4C   the MLP widening
 *   mlp.c_proj   4C → C   the MLP projection back
 *
 * A target picks some of them: a kind in every block ('c_attn', 'attn.c_proj'), a group
 * ('attn', 'mlp', 'all'), a suffix shared by two kinds ('c_proj', as PEFT matches module
 * names), or one layer by its full name ('transformer.h.0.attn.c_attn').
 */
import type { GPTConfig } from '../model';

export type LinearKind = 'attn.c_attn' | 'attn.c_proj' | 'mlp.c_fc' | 'mlp.c_proj';

export interface LinearLayerInfo {
  /** The layer's name, its parameters' prefix: `transformer.h.0.attn.c_attn`. */
  readonly name: string;
  /** Which block it is in (0-based). */
  readonly block: number;
  readonly kind: LinearKind;
  /** Rows of W: the width of the layer's input. */
  readonly inFeatures: number;
  /** Columns of W: the width of its output. */
  readonly outFeatures: number;
  /** Numbers it holds: in·out weights, plus out biases when the config has biases. */
  readonly parameters: number;
}

/** The targets that name kinds of layers (every block's); a full layer name also works. */
export const LINEAR_TARGETS = {
  all: ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'],
  attn: ['attn.c_attn', 'attn.c_proj'],
  mlp: ['mlp.c_fc', 'mlp.c_proj'],
  c_attn: ['attn.c_attn'],
  c_proj: ['attn.c_proj', 'mlp.c_proj'],
  c_fc: ['mlp.c_fc'],
  'attn.c_attn': ['attn.c_attn'],
  'attn.c_proj': ['attn.c_proj'],
  'mlp.c_fc': ['mlp.c_fc'],
  'mlp.c_proj': ['mlp.c_proj'],
} as const satisfies Record<string, readonly LinearKind[]>;

/** A kind of layer ('c_attn', 'attn', 'mlp', …) or one layer's full name. */
export type LinearTarget = keyof typeof LINEAR_TARGETS | `transformer.h.${number}.${LinearKind}`;

const LAYER_NAME = /^transformer\.h\.(\d+)\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)$/;

/** Raised for a target that names no linear layer of the model. */
export class LinearTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinearTargetError';
  }
}

/** Whether a string is a valid target in form (a kind, or a full name); blocks are checked later. */
export function isLinearTarget(target: string): target is LinearTarget {
  return Object.prototype.hasOwnProperty.call(LINEAR_TARGETS, target) || LAYER_NAME.test(target);
}

/** Every linear layer of a model (or config), block by block, in checkpoint order. */
export function listLinearLayers(model: { readonly config: GPTConfig }): LinearLayerInfo[] {
  const { nLayer, nEmbd: C, bias } = model.config;
  const sizes: Record<LinearKind, [number, number]> = {
    'attn.c_attn': [C, 3 * C],
    'attn.c_proj': [C, C],
    'mlp.c_fc': [C, 4 * C],
    'mlp.c_proj': [4 * C, C],
  };
  const layers: LinearLayerInfo[] = [];
  for (let block = 0; block < nLayer; block++) {
    for (const kind of LINEAR_TARGETS.all) {
      const [inFeatures, outFeatures] = sizes[kind];
      layers.push({
        name: `transformer.h.${block}.${kind}`,
        block,
        kind,
        inFeatures,
        outFeatures,
        parameters: inFeatures * outFeatures + (bias ? outFeatures : 0),
      });
    }
  }
  return layers;
}

/**
 * The layers the targets pick, in model order, each once. An empty list, an unknown target
 * or a block the model does not have is an error that lists what is valid.
 */
export function selectLinearLayers(model: { readonly config: GPTConfig }, targets: readonly string[]): LinearLayerInfo[] {
  if (targets.length === 0) {
    throw new LinearTargetError(`No targets given. Pick layers with ${validTargets()}.`);
  }
  const layers = listLinearLayers(model);
  const picked = new Set<string>();
  for (const target of targets) {
    if (Object.prototype.hasOwnProperty.call(LINEAR_TARGETS, target)) {
      const kinds: readonly LinearKind[] = LINEAR_TARGETS[target as keyof typeof LINEAR_TARGETS];
      for (const layer of layers) if (kinds.includes(layer.kind)) picked.add(layer.name);
      continue;
    }
    const match = LAYER_NAME.exec(target);
    if (!match) throw new LinearTargetError(`Unknown target '${target}'. Valid targets: ${validTargets()}.`);
    const block = Number(match[1]);
    if (block >= model.config.nLayer) {
      throw new LinearTargetError(
        `Target '${target}' is in block ${block}, but the model has blocks 0 to ${model.config.nLayer - 1}.`,
      );
    }
    picked.add(target);
  }
  return layers.filter((layer) => picked.has(layer.name));
}

function validTargets(): string {
  return `${Object.keys(LINEAR_TARGETS).map((t) => `'${t}'`).join(', ')}, or a layer's full name such as 'transformer.h.0.attn.c_attn'`;
}
