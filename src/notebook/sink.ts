/**
 * Where notebook outputs go: the display sink.
 *
 * Every helper of this folder builds a MIME bundle (the same content as plotly JSON, SVG,
 * HTML and plain text; the front end shows the richest it can render) and hands it to the
 * current sink:
 *
 *   inside a tslab kernel   the bundle goes to Jupyter as one `display_data` message
 *   anywhere else           its `text/plain` part is printed (plain Node, scripts, jest)
 *   in tests                a `RecordingSink` keeps every output for assertions
 *
 * An output sent with a display id can be replaced later (`update`): a live chart is one
 * output that changes, and a saved notebook keeps its last state only.
 */
import { randomBytes } from 'node:crypto';
import { tslabKernelSink } from './tslab-kernel';

/** One output in several MIME types, e.g. `{ 'image/svg+xml': '<svg…', 'text/plain': '…' }`. */
export type MimeBundle = Readonly<Record<string, unknown>>;

export interface DisplayOutput {
  readonly bundle: MimeBundle;
  /** Names an output that later outputs can replace. */
  readonly displayId?: string;
  /** Replace the output named `displayId` instead of adding a new one. */
  readonly update?: boolean;
}

/** Receives every output of the notebook helpers. */
export interface DisplaySink {
  send(output: DisplayOutput): void;
}

/** Prints the `text/plain` part of each output: the sink outside a notebook. */
export function textSink(stream: { write(text: string): unknown } = process.stdout): DisplaySink {
  return {
    send({ bundle }) {
      const text = bundle['text/plain'];
      stream.write(`${typeof text === 'string' ? text : `[output: ${Object.keys(bundle).join(', ')}]`}\n`);
    },
  };
}

/** Keeps every output instead of showing it (for tests). */
export class RecordingSink implements DisplaySink {
  readonly outputs: DisplayOutput[] = [];

  send(output: DisplayOutput): void {
    this.outputs.push(output);
  }

  /** The bundle of the latest output. Throws when nothing was sent. */
  last(): MimeBundle {
    const output = this.outputs[this.outputs.length - 1];
    if (!output) throw new Error('Nothing was displayed: the recording sink received no output.');
    return output.bundle;
  }

  /** What a saved notebook keeps: each output's last version, in the order they first appeared. */
  saved(): MimeBundle[] {
    const kept: { id?: string; bundle: MimeBundle }[] = [];
    for (const output of this.outputs) {
      const earlier = output.update ? kept.find((k) => k.id !== undefined && k.id === output.displayId) : undefined;
      if (earlier) earlier.bundle = output.bundle;
      else kept.push({ id: output.displayId, bundle: output.bundle });
    }
    return kept.map((k) => k.bundle);
  }
}

let chosenSink: DisplaySink | undefined;

/** Sends outputs to `sink` from now on (`undefined`: back to the default). Returns the previous one. */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const previous = chosenSink;
  chosenSink = sink;
  return previous;
}

/** Runs `fn` with outputs going to `sink`, then restores the previous sink (also when `fn` throws or rejects). */
export function withDisplaySink<T>(sink: DisplaySink, fn: () => T): T {
  const previous = setDisplaySink(sink);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    setDisplaySink(previous);
    throw error;
  }
  if (result instanceof Promise) {
    return result.finally(() => setDisplaySink(previous)) as T;
  }
  setDisplaySink(previous);
  return result;
}

/** The sink outputs go to now: the one set, else the tslab kernel's, else stdout as text. */
export function currentDisplaySink(): DisplaySink {
  return chosenSink ?? tslabKernelSink() ?? textSink();
}

/** Shows a MIME bundle as a new output, or replaces the output of `display` when given. */
export function showOutput(bundle: MimeBundle, options: { display?: LiveDisplay } = {}): void {
  if (options.display) options.display.show(bundle);
  else currentDisplaySink().send({ bundle });
}

/** One output that each `show` replaces (a chart that updates in place). */
export class LiveDisplay {
  /** The Jupyter display id shared by every version of this output. */
  readonly id = `llm-lab-${randomBytes(8).toString('hex')}`;
  private shown = false;

  show(bundle: MimeBundle): void {
    currentDisplaySink().send({ bundle, displayId: this.id, update: this.shown });
    this.shown = true;
  }
}
