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
