/**
 * Sending MIME bundles through the tslab kernel this process runs in.
 *
 * tslab's public display API sends one MIME type per output: `display.raw(mime, value)`
 * becomes `{ data: { [mime]: value } }`. A plot needs several in one output (plotly JSON for
 * JupyterLab, SVG and HTML where no plotly renderer runs, text for a terminal), so we go one
 * level lower. tslab's module `tslab/dist/jupyter.js` exports `lastWriteDisplayData(content,
 * update)`: the function that writes a `display_data` (or, with `update`, an
 * `update_display_data`) message for the cell running now. tslab's own `display.raw` calls
 * it with `{ data, metadata: {}, transient: { display_id } }`; we call it the same way with a
 * whole bundle as `data`.
 *
 * It is also how we know we are in a kernel: tslab sets it when a cell starts executing,
 * and a process that merely loaded tslab has it `null`. We look for it in Node's module
 * cache rather than `require('tslab')`, because the kernel may run another copy of tslab
 * than the one this package would resolve (a global install, a project-local one).
 *
 * If a later tslab renamed it but still runs our code (its executor sets `__tslab__` on the
 * global object, with a `require` that answers `'tslab'` with the kernel's own copy), we fall
 * back to the public API and send one MIME type per output: the HTML (which carries the SVG
 * picture inline) where there is one, since it shows in JupyterLab, the classic notebook,
 * VS Code and on GitHub alike.
 */
import type { DisplaySink, MimeBundle } from './sink';

interface DisplayDataContent {
  readonly data: MimeBundle;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly transient?: { readonly display_id: string };
}

type WriteDisplayData = (content: DisplayDataContent, update: boolean) => void;

interface LoadedModule {
  readonly exports?: unknown;
}

/** What `tslabKernelSink` inspects; tests pass their own. */
export interface KernelProbe {
  /** Loaded modules by file name. @default require.cache */
  readonly modules?: Readonly<Record<string, LoadedModule | undefined>>;
  /** tslab's executor global. @default globalThis.__tslab__ */
  readonly tslabGlobal?: unknown;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/** The preference of the single-MIME fallback, richest that renders everywhere first. */
const SINGLE_MIME_PREFERENCE = ['text/html', 'image/svg+xml', 'text/markdown', 'application/vnd.plotly.v1+json', 'text/plain'];

let cachedJupyterModule: LoadedModule | undefined;

/** A sink that writes to the tslab kernel running this code, or undefined outside one. */
export function tslabKernelSink(probe: KernelProbe = {}): DisplaySink | undefined {
  const usingDefaults = probe.modules === undefined && !('tslabGlobal' in probe);
  if (usingDefaults && cachedJupyterModule && writerOf(cachedJupyterModule)) return bundleSink(cachedJupyterModule);
  const jupyter = findJupyterModule(probe.modules ?? require.cache);
  if (jupyter) {
    if (usingDefaults) cachedJupyterModule = jupyter;
    return bundleSink(jupyter);
  }
  const tslabGlobal = 'tslabGlobal' in probe ? probe.tslabGlobal : (globalThis as { __tslab__?: unknown }).__tslab__;
  const api = publicApiOf(tslabGlobal);
  return api ? singleMimeSink(api) : undefined;
}

function findJupyterModule(modules: Readonly<Record<string, LoadedModule | undefined>>): LoadedModule | undefined {
  for (const [file, loaded] of Object.entries(modules)) {
    if (loaded && JUPYTER_MODULE.test(file) && writerOf(loaded)) return loaded;
  }
  return undefined;
}

function writerOf(loaded: LoadedModule): WriteDisplayData | undefined {
  const write = (loaded.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
  return typeof write === 'function' ? (write as WriteDisplayData) : undefined;
}

function bundleSink(jupyter: LoadedModule): DisplaySink {
  return {
    send({ bundle, displayId, update }) {
      // Read at every send: tslab replaces the writer for each cell it executes.
      const write = writerOf(jupyter);
      if (!write) {
        process.stdout.write(`${String(bundle['text/plain'] ?? '')}\n`);
        return;
      }
      write({ data: bundle, metadata: {}, ...(displayId ? { transient: { display_id: displayId } } : {}) }, Boolean(update && displayId));
    },
  };
}

interface TslabDisplay {
  raw(mime: string, value: unknown): unknown;
}

interface TslabPublicApi {
  readonly display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

function publicApiOf(tslabGlobal: unknown): TslabPublicApi | undefined {
  const kernelRequire = (tslabGlobal as { require?: unknown } | undefined)?.require;
  if (typeof kernelRequire !== 'function') return undefined;
  try {
    const api = (kernelRequire as (id: string) => unknown)('tslab') as Partial<TslabPublicApi> | undefined;
    if (typeof api?.newDisplay === 'function' && typeof api.display?.raw === 'function') return api as TslabPublicApi;
  } catch {
    // Not a tslab we know: the caller prints text instead.
  }
  return undefined;
}

function singleMimeSink(api: TslabPublicApi): DisplaySink {
  const displays = new Map<string, TslabDisplay>();
  return {
    send({ bundle, displayId }) {
      const mime = SINGLE_MIME_PREFERENCE.find((m) => bundle[m] !== undefined) ?? Object.keys(bundle)[0];
      if (mime === undefined) return;
      let target = api.display;
      if (displayId) {
        target = displays.get(displayId) ?? api.newDisplay();
        displays.set(displayId, target);
      }
      target.raw(mime, bundle[mime]);
    },
  };
}
