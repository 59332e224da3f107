import { requireBuiltCli, runCli } from '../helpers/cli';

beforeAll(() => {
  requireBuiltCli();
});

describe('llm-lab doctor', () => {
  it('names the backend in use and why', () => {
    const { status, stdout } = runCli(['doctor']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Backend: wasm — /m);
    expect(stdout).toContain('chosen by LLM_LAB_BACKEND=wasm');
  });

  it('--json prints a report that parses, with the backend name', () => {
    const { status, stdout } = runCli(['doctor', '--json']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { backend: { name: string; forced: boolean }; packages: Record<string, string> };
    expect(report.backend.name).toBe('wasm');
    expect(report.backend.forced).toBe(true);
    expect(report.packages['@tensorflow/tfjs-core']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  // doctor() calls initBackend() again without the flag, which picks LLM_LAB_BACKEND (or the
  // ladder's fastest rung) over the backend the flag just chose.
  it('--backend cpu reports the cpu backend, over LLM_LAB_BACKEND', () => {
    const { status, stdout } = runCli(['doctor', '--json', '--backend', 'cpu']);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as { backend: { name: string } }).backend.name).toBe('cpu');
  });
});
