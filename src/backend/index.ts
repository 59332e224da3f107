export {
  BACKEND_LADDER,
  BackendUnavailableError,
  availableBackends,
  currentBackend,
  formatAttempts,
  initBackend,
  isBackendName,
  useBackend,
} from './ladder';
export type { BackendAttempt, BackendName, BackendReport } from './ladder';
export { registerMissingWasmKernels } from './wasm-kernels';
export {
  FUSED_ADAMW,
  FUSED_ATTENTION,
  FUSED_ATTENTION_GRAD,
  FUSED_GELU,
  FUSED_GELU_GRAD,
  FUSED_LAYER_NORM,
  FUSED_LAYER_NORM_GRAD,
  fusedAdamWSupported,
  fusedAttentionSupports,
  fusedGeluSupports,
  fusedLayerNormSupports,
  registerFusedKernels,
  useFusedKernels,
} from './fused-kernels';
export { blasThreads, nativeMatMulActive, nativeMatMulStatus, registerNativeMatMul, useNativeMatMul } from './native-matmul';
export type { NativeMatMulStatus } from './native-matmul';
export type { FusedAdamWAttrs, FusedAttentionAttrs } from './fused-kernels';
