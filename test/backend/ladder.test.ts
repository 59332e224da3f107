import { BackendUnavailableError, currentBackend, initBackend, useBackend } from '../../src/backend';

describe('the backend ladder', () => {
  const saved = process.env['LLM_LAB_BACKEND'];
  afterEach(() => {
    if (saved === undefined) delete process.env['LLM_LAB_BACKEND'];
    else process.env['LLM_LAB_BACKEND'] = saved;
  });

  it('picks the fastest backend that starts and says why for each rung it tried', async () => {
    delete process.env['LLM_LAB_BACKEND'];
    const report = await initBackend();
    expect(report.forced).toBe(false);
    const chosen = report.attempts.find((a) => a.ok);
    expect(chosen?.name).toBe(report.name);
    // Every rung before the chosen one failed, with a reason a person can act on.
    for (const attempt of report.attempts.slice(0, -1)) {
      expect(attempt.ok).toBe(false);
      expect(attempt.reason.length).toBeGreaterThan(10);
    }
    expect(currentBackend()).toBe(report);
  });

  it('obeys LLM_LAB_BACKEND', async () => {
    process.env['LLM_LAB_BACKEND'] = 'cpu';
    const report = await initBackend();
    expect(report).toMatchObject({ name: 'cpu', forced: true });
  });

  it('refuses an unknown backend name, listing the real ones', async () => {
    process.env['LLM_LAB_BACKEND'] = 'gpu';
    await expect(initBackend()).rejects.toThrow(BackendUnavailableError);
    await expect(initBackend()).rejects.toThrow(/no backend of that name. Use one of: tensorflow, webgpu, wasm, cpu/);
  });

  it('fails loudly, not silently, when a forced backend cannot start', async () => {
    const report = await initBackend({ backend: 'wasm' });
    expect(report.name).toBe('wasm');
    // Neither native backend can install on a machine without libtensorflow: where one
    // did start, the forced request must simply succeed.
    const tensorflow = await useBackend('tensorflow').then(
      (r) => r.name,
      (e: Error) => e,
    );
    if (tensorflow instanceof Error) {
      expect(tensorflow).toBeInstanceOf(BackendUnavailableError);
      expect(tensorflow.message).toMatch(/The 'tensorflow' backend cannot start here: .*tfjs-node/);
    } else {
      expect(tensorflow).toBe('tensorflow');
    }
  });
});
