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
export { FUSED_ATTENTION, FUSED_ATTENTION_GRAD, fusedAttentionSupports, registerFusedAttentionKernels, useFusedKernels } from './fused-attention';
export type { FusedAttentionAttrs } from './fused-attention';
