export { GPT, WeightsMismatchError, parameterSpecs } from './gpt';
export type { EmbeddingHook, ForwardOptions, LinearHook, LossOptions, ParameterSpec } from './gpt';
export { GPT_PRESETS, GPTConfigError, countParameters, isPresetName, resolveConfig, validateConfig } from './config';
export type { GPTConfig, GPTPresetName } from './config';
export { causalMask, crossEntropyLoss, gelu, layerNorm, linear } from './layers';
export { attentionHead, attentionWeights, causalMaskMatrix } from './attention-from-scratch';
export { KVCache, causalMaskAfter } from './kv-cache';
export type { LayerKeyValues } from './kv-cache';
export { SafetensorsError, decodeSafetensors, encodeSafetensors } from './safetensors';
export type { NamedArray, SafetensorsDtype } from './safetensors';
export {
  CHECKPOINT_FILES,
  CheckpointError,
  loadCheckpoint,
  readConfig,
  readJson,
  readSafetensorsFile,
  saveCheckpoint,
  tensorsToArrays,
  writeFilesAtomically,
} from './checkpoint';
export type { LoadedCheckpoint, SaveCheckpointOptions } from './checkpoint';
