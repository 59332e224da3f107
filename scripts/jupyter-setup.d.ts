/** Types of scripts/jupyter-setup.js (CommonJS), for the TypeScript tests that import it. */

export declare const KERNEL_NAME: string;
export declare const KERNEL_DISPLAY_NAME: string;
export declare const PROJECT_ROOT: string;

/** A setup step failed for a reason the user can fix; `message` says what to do. */
export declare class JupyterSetupError extends Error {
  constructor(message: string);
}

export interface ProjectPaths {
  readonly root: string;
  readonly venv: string;
  readonly venvPython: string;
  readonly venvBin: string;
  readonly stamp: string;
  readonly pipLog: string;
  readonly lock: string;
  readonly requirements: string;
  readonly kernelDir: string;
  readonly labSettingsDir: string;
  readonly serverConfig: string;
  readonly jupyterConfigDir: string;
  readonly jupyterDataDir: string;
  readonly jupyterRuntimeDir: string;
  readonly notebooks: string;
  readonly tslabBin: string;
  readonly selfLink: string;
}

export declare function projectPaths(root?: string): ProjectPaths;

export interface JupyterEnvOptions {
  /** @default the project this script belongs to */
  readonly root?: string;
  /** The environment to start from. @default process.env */
  readonly base?: NodeJS.ProcessEnv;
  /** Where Jupyter writes connection files and server info. @default .venv/jupyter/runtime */
  readonly runtimeDir?: string;
}

export declare function jupyterEnv(options?: JupyterEnvOptions): NodeJS.ProcessEnv;

export interface FoundPython {
  /** The command that was tried (`python3`, or LLM_LAB_PYTHON). */
  readonly command: string;
  readonly executable: string;
  readonly version: string;
}

/** Python ≥ 3.9 with `venv`; throws JupyterSetupError saying what to do when there is none. */
export declare function findPython(env?: NodeJS.ProcessEnv): FoundPython;

export interface SetupOptions {
  readonly root?: string;
  /** Progress messages. @default lines on stderr */
  readonly log?: (message: string) => void;
  /** Reinstall the Python packages even if the stamp matches. @default false */
  readonly force?: boolean;
}

export interface SetupResult {
  /** The python of .venv. */
  readonly python: string;
  readonly venv: string;
  readonly kernelName: string;
  /** Whether this call installed the Python packages (false: the stamp said they were there). */
  readonly installed: boolean;
  readonly seconds: number;
}

export declare function setupJupyter(options?: SetupOptions): Promise<SetupResult>;

export interface RegisterKernelOptions {
  readonly root?: string;
  readonly log?: (message: string) => void;
  /** The python whose Jupyter gets the kernel. @default the one findPython() finds */
  readonly python?: string;
  /** Into the user's kernels rather than that python's environment. @default false */
  readonly user?: boolean;
}

export declare function registerKernelInto(options?: RegisterKernelOptions): Promise<void>;

/** Prints a JupyterSetupError's message (anything else with its stack) and exits with 1. */
export declare function reportAndExit(error: unknown): never;
