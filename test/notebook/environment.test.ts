import { type BackendReport, currentBackend, useBackend } from '../../src/backend';
import { RecordingSink, isQuickMode, lessonSteps, showEnvironment, withDisplaySink } from '../../src/notebook';
import { environmentInfo } from '../../src/notebook/environment';
import { version } from '../../src/version';

/** Runs `fn` with LLM_LAB_QUICK set to `value` (undefined: unset), then restores it. */
async function withQuick<T>(value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const before = process.env['LLM_LAB_QUICK'];
  if (value === undefined) delete process.env['LLM_LAB_QUICK'];
  else process.env['LLM_LAB_QUICK'] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env['LLM_LAB_QUICK'];
    else process.env['LLM_LAB_QUICK'] = before;
  }
}

describe('lessonSteps and isQuickMode', () => {
  it.each([
    [undefined, false, 2000],
    ['', false, 2000],
    ['0', false, 2000],
    ['1', true, 50],
    ['true', false, 2000],
  ])('LLM_LAB_QUICK=%p: quick %p, lessonSteps(2000, 50) = %p', async (value, quick, steps) => {
    await withQuick(value, () => {
      expect(isQuickMode()).toBe(quick);
      expect(lessonSteps(2000, 50)).toBe(steps);
    });
  });

  it.each([
    [1.5, 1, /full must be a whole number ≥ 0, got 1.5/],
    [10, -1, /quick must be a whole number ≥ 0, got -1/],
    [NaN, 1, /full must be/],
  ])('rejects lessonSteps(%p, %p)', (full, quick, message) => {
    expect(() => lessonSteps(full, quick)).toThrow(message);
  });
});

describe('environmentInfo', () => {
  const backend = (overrides: Partial<BackendReport>): BackendReport => ({
    name: 'wasm',
    forced: false,
    device: 'CPU, WebAssembly SIMD, 1 thread',
    attempts: [],
    tfjsVersion: '4.22.0',
    ...overrides,
  });

  it('has no warnings for wasm on Node 20 in full mode', () => {
    expect(environmentInfo({ backend: backend({}), nodeVersion: '20.19.0', quickSetting: undefined })).toEqual({
      llmLab: version,
      backend: 'wasm',
      device: 'CPU, WebAssembly SIMD, 1 thread',
      node: '20.19.0',
      tfjs: '4.22.0',
      quick: false,
      warnings: [],
    });
  });

  it.each([
    ['cpu from LLM_LAB_BACKEND', { name: 'cpu', forced: true, forcedBy: 'LLM_LAB_BACKEND' }, /cpu backend .* slower .*unset it \(or set LLM_LAB_BACKEND=wasm\)/],
    ['cpu asked for in code', { name: 'cpu', forced: true, forcedBy: 'request' }, /cpu backend .*await useBackend\('wasm'\)/],
    [
      'cpu because wasm failed',
      { name: 'cpu', attempts: [{ name: 'wasm', ok: false, reason: 'Cannot find module x.' }, { name: 'cpu', ok: true, reason: 'ok' }] },
      /cpu backend .*The wasm backend did not start: Cannot find module x\. Check that @tensorflow\/tfjs-backend-wasm is installed/,
    ],
  ] as const)('warns about %s and says how to get wasm', (_, overrides, message) => {
    const info = environmentInfo({ backend: backend(overrides as Partial<BackendReport>), nodeVersion: '22.1.0', quickSetting: undefined });
    expect(info.warnings).toHaveLength(1);
    expect(info.warnings[0]).toMatch(message);
  });

  it.each([
    ['18.19.0', /Node 18\.19\.0 is older than Node 20/],
    ['20.0.0', null],
    ['24.1.0', null],
  ])('Node %s: %p', (nodeVersion, message) => {
    const { warnings } = environmentInfo({ backend: backend({}), nodeVersion, quickSetting: undefined });
    if (message) expect(warnings).toEqual([expect.stringMatching(message)]);
    else expect(warnings).toEqual([]);
  });

  it.each([
    ['1', /Quick mode \(LLM_LAB_QUICK=1\): lessons train with small step counts/],
    ['yes', /LLM_LAB_QUICK=yes is not understood/],
  ])('LLM_LAB_QUICK=%s warns', (quickSetting, message) => {
    expect(environmentInfo({ backend: backend({}), nodeVersion: '20.19.0', quickSetting }).warnings).toEqual([expect.stringMatching(message)]);
  });
});

describe('showEnvironment', () => {
  afterAll(async () => {
    await useBackend('wasm');
  });

  it('shows one line, and a warning line for a forced cpu backend and quick mode', async () => {
    await useBackend('cpu');
    const sink = new RecordingSink();
    const info = await withQuick('1', () => withDisplaySink(sink, () => showEnvironment()));
    expect(info).toMatchObject({ backend: 'cpu', quick: true, llmLab: version, node: process.versions.node });
    expect(info.warnings).toHaveLength(2);
    const text = sink.last()['text/plain'] as string;
    const lines = text.split('\n');
    expect(lines[0]).toBe(`LLM Lab ${version} · backend cpu (${currentBackend()!.device}) · Node ${process.versions.node} · TensorFlow.js ${info.tfjs}`);
    expect(lines[1]).toMatch(/^⚠ The cpu backend \(plain JavaScript\) is in use: training will be many times slower than with wasm\. .*useBackend\('wasm'\)/);
    expect(lines[2]).toMatch(/^⚠ Quick mode/);
    const html = sink.last()['text/html'] as string;
    expect(html).toContain('⚠');
    expect(html).not.toMatch(/<script/i);
  });

  it('shows no warning on wasm in full mode', async () => {
    await useBackend('wasm');
    const sink = new RecordingSink();
    const info = await withQuick(undefined, () => withDisplaySink(sink, () => showEnvironment()));
    expect(info.warnings).toEqual([]);
    expect(sink.last()['text/plain']).toMatch(/^LLM Lab .* · backend wasm \(CPU, WebAssembly SIMD/);
  });
});
