import { RecordingSink, currentDisplaySink, setDisplaySink, showOutput, withDisplaySink, LiveDisplay, textSink, plot, lineChart } from '../../src/notebook';
import { tslabKernelSink } from '../../src/notebook/tslab-kernel';

const bundle = { 'text/plain': 'hello', 'text/html': '<b>hello</b>' };

describe('RecordingSink', () => {
  it('keeps every output, and saved() keeps the last version of each display', () => {
    const sink = new RecordingSink();
    withDisplaySink(sink, () => {
      const live = new LiveDisplay();
      showOutput({ 'text/plain': 'first' });
      live.show({ 'text/plain': 'live 1' });
      live.show({ 'text/plain': 'live 2' });
      showOutput({ 'text/plain': 'last' });
    });
    expect(sink.outputs.map((o) => [o.bundle['text/plain'], o.update ?? false])).toEqual([
      ['first', false],
      ['live 1', false],
      ['live 2', true],
      ['last', false],
    ]);
    expect(sink.outputs[1]!.displayId).toBe(sink.outputs[2]!.displayId);
    expect(sink.saved().map((b) => b['text/plain'])).toEqual(['first', 'live 2', 'last']);
    expect(sink.last()['text/plain']).toBe('last');
  });

  it('last() says so when nothing was displayed', () => {
    expect(() => new RecordingSink().last()).toThrow(/received no output/);
  });
});

describe('withDisplaySink', () => {
  it('restores the previous sink after a function returns, throws or rejects', async () => {
    const outer = new RecordingSink();
    const previous = setDisplaySink(outer);
    try {
      withDisplaySink(new RecordingSink(), () => undefined);
      expect(currentDisplaySink()).toBe(outer);
      expect(() => withDisplaySink(new RecordingSink(), () => { throw new Error('boom'); })).toThrow('boom');
      expect(currentDisplaySink()).toBe(outer);
      const inner = new RecordingSink();
      await expect(
        withDisplaySink(inner, async () => {
          await Promise.resolve();
          showOutput(bundle);
          throw new Error('async boom');
        }),
      ).rejects.toThrow('async boom');
      expect(inner.outputs).toHaveLength(1);
      expect(currentDisplaySink()).toBe(outer);
    } finally {
      setDisplaySink(previous);
    }
  });
});

describe('the default sink outside a kernel', () => {
  it('is not a kernel sink here, prints the text/plain part and does not throw', () => {
    expect(tslabKernelSink()).toBeUndefined();
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      setDisplaySink(undefined);
      plot(lineChart({ title: 'Loss', series: [{ name: 'train', values: [3, 2, 1.5] }] }));
      new LiveDisplay().show(bundle);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toBe('Chart "Loss": train (3 points, last 1.5)\nhello\n');
  });

  it('textSink names the MIME types of an output without text', () => {
    const written: string[] = [];
    textSink({ write: (t: string) => written.push(t) }).send({ bundle: { 'image/svg+xml': '<svg/>' } });
    expect(written).toEqual(['[output: image/svg+xml]\n']);
  });
});

describe('tslabKernelSink', () => {
  const jupyterFile = '/home/me/course/node_modules/tslab/dist/jupyter.js';

  it('sends the whole bundle through the kernel writer, with the display id and update flag', () => {
    const messages: unknown[] = [];
    const jupyter = { exports: { lastWriteDisplayData: (content: unknown, update: boolean) => messages.push({ content, update }) } };
    const modules = { '/somewhere/else.js': { exports: {} }, [jupyterFile]: jupyter };
    const sink = tslabKernelSink({ modules, tslabGlobal: undefined });
    expect(sink).toBeDefined();
    sink!.send({ bundle });
    sink!.send({ bundle, displayId: 'd1' });
    sink!.send({ bundle, displayId: 'd1', update: true });
    expect(messages).toEqual([
      { content: { data: bundle, metadata: {} }, update: false },
      { content: { data: bundle, metadata: {}, transient: { display_id: 'd1' } }, update: false },
      { content: { data: bundle, metadata: {}, transient: { display_id: 'd1' } }, update: true },
    ]);
  });

  it('finds no kernel where tslab is loaded but not executing a cell', () => {
    const modules = { [jupyterFile]: { exports: { lastWriteDisplayData: null } }, 'C:\\g\\tslab\\dist\\jupyter.js': { exports: {} } };
    expect(tslabKernelSink({ modules, tslabGlobal: undefined })).toBeUndefined();
  });

  it('finds the copy of tslab that runs the kernel among several (Windows paths too)', () => {
    const messages: unknown[] = [];
    const modules = {
      '/usr/lib/node_modules/tslab/dist/jupyter.js': { exports: { lastWriteDisplayData: null } },
      'C:\\course\\node_modules\\tslab\\dist\\jupyter.js': { exports: { lastWriteDisplayData: (c: unknown) => messages.push(c) } },
    };
    tslabKernelSink({ modules, tslabGlobal: undefined })!.send({ bundle });
    expect(messages).toHaveLength(1);
  });

  it('falls back to the public API, one MIME type per output (the HTML), when the writer is not found', () => {
    const calls: [string, string, unknown][] = [];
    let made = 0;
    const displayNamed = (name: string) => ({ raw: (mime: string, value: unknown) => calls.push([name, mime, value]) });
    const api = { display: displayNamed('display'), newDisplay: () => displayNamed(`new ${++made}`) };
    const tslabGlobal = { require: (id: string) => (id === 'tslab' ? api : undefined) };
    const sink = tslabKernelSink({ modules: {}, tslabGlobal })!;
    sink.send({ bundle });
    sink.send({ bundle, displayId: 'd1' });
    sink.send({ bundle: { 'text/plain': 'again' }, displayId: 'd1', update: true });
    expect(calls).toEqual([
      ['display', 'text/html', '<b>hello</b>'],
      ['new 1', 'text/html', '<b>hello</b>'],
      ['new 1', 'text/plain', 'again'],
    ]);
  });
});
