/**
 * The whole way a learner goes: JupyterLab from .venv, a notebook opened in a real browser,
 * Run → Run All Cells, and the chart a cell sends through tslab drawn by plotly (an <svg>
 * inside .js-plotly-plot). Headless Chromium (Debian's /usr/bin/chromium) is driven by
 * playwright-core; JupyterLab listens on 127.0.0.1 only and is stopped afterwards.
 *
 * On failure a screenshot is saved to test-results/. Without Chromium the test is skipped
 * (CI unset) or fails (CI set).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { jupyterEnv } from '../../scripts/jupyter-setup';
import {
  PATHS,
  RESULTS_DIR,
  ROOT,
  inCI,
  killProcessesMentioning,
  progress,
  projectTempDir,
  pythonMissingReason,
  setupForTests,
} from './harness';

const CHROMIUM = process.env.LLM_LAB_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const missing = !fs.existsSync(CHROMIUM)
  ? `Chromium is not installed at ${CHROMIUM} (install it: apt-get install -y chromium, or set LLM_LAB_CHROMIUM)`
  : pythonMissingReason();
const describeWithBrowser = missing && !inCI ? describe.skip : describe;
if (missing && !inCI) progress(`skipping the browser test: ${missing}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET a JSON API of the server; undefined while it does not answer. No keep-alive, so nothing lingers. */
function getJson(url: string, token: string): Promise<unknown> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, headers: { Authorization: `token ${token}` } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        try {
          resolve(response.statusCode === 200 ? JSON.parse(body) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    request.on('error', () => resolve(undefined));
    request.setTimeout(5000, () => request.destroy());
  });
}

interface Session {
  readonly path: string;
  readonly kernel?: { readonly name: string; readonly execution_state: string };
}

describeWithBrowser('JupyterLab in a browser', () => {
  let workDir = '';
  let server: ChildProcess | undefined;
  let serverLog = '';
  let context: BrowserContext | undefined;
  let baseUrl = '';
  const token = crypto.randomBytes(16).toString('hex');

  /** Starts JupyterLab on workDir and waits until its API answers. */
  async function startServer(): Promise<void> {
    const port = await freePort();
    const args = [
      '-m',
      'jupyterlab',
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${workDir}`,
    ];
    if (process.getuid?.() === 0) args.push('--allow-root');
    server = spawn(PATHS.venvPython, args, {
      cwd: workDir,
      env: jupyterEnv({ root: ROOT, runtimeDir: path.join(workDir, '.runtime') }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (server.exitCode !== null) throw new Error(`JupyterLab exited with ${server.exitCode}:\n${serverLog.slice(-3000)}`);
      if ((await getJson(`${baseUrl}/api/status`, token)) !== undefined) return;
      await sleep(500);
    }
    throw new Error(`JupyterLab did not answer on ${baseUrl} within 120 s:\n${serverLog.slice(-3000)}`);
  }

  async function stopServer(): Promise<void> {
    if (!server || server.exitCode !== null) return;
    const running = server;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      timer = setTimeout(resolve, 15_000);
    });
    running.kill('SIGTERM'); // Jupyter Server shuts its kernels down on SIGTERM
    await exited;
    clearTimeout(timer);
    if (running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
  }

  beforeAll(async () => {
    if (missing) throw new Error(`The browser test cannot run (CI is set, so this is a failure):\n${missing}`);
    await setupForTests();
    workDir = projectTempDir('browser');
    // The first lesson, as a learner opens it (a copy: JupyterLab autosaves what it runs).
    // It reads no files by relative path, so it runs the same from the temporary folder.
    fs.copyFileSync(path.join(ROOT, 'notebooks', '00-welcome.ipynb'), path.join(workDir, 'lesson.ipynb'));
    await startServer();
    context = await chromium.launchPersistentContext(path.join(workDir, '.chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
    });
  }, 20 * 60 * 1000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stopServer();
    // Anything still running that was started for this test (kernels carry its runtime folder).
    if (workDir) {
      const left = killProcessesMentioning(workDir);
      if (left > 0) progress(`stopped ${left} process(es) left running by the browser test`);
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, 60_000);

  async function waitForIdleKernel(notebook: string): Promise<void> {
    const deadline = Date.now() + 120_000;
    let sessions: unknown;
    while (Date.now() < deadline) {
      sessions = await getJson(`${baseUrl}/api/sessions`, token);
      const ours = Array.isArray(sessions) ? (sessions as Session[]).find((s) => s.path === notebook) : undefined;
      if (ours?.kernel?.execution_state === 'idle') {
        expect(ours.kernel.name).toBe('llm-lab');
        return;
      }
      await sleep(500);
    }
    throw new Error(`The kernel of ${notebook} did not become idle within 120 s; sessions: ${JSON.stringify(sessions)}`);
  }

  async function screenshotOnFailure<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `${name}-${Date.now()}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\nScreenshot: ${file}\nJupyterLab log (end):\n${serverLog.slice(-2000)}`, { cause: error });
    }
  }

  test('Run All Cells on the first lesson draws its plotly chart', async () => {
    if (!context) throw new Error('the browser did not start');
    const page = await context.newPage();
    await screenshotOnFailure(page, 'browser-run-all', async () => {
      await page.goto(`${baseUrl}/lab/tree/lesson.ipynb?token=${token}`);
      // The notebook is open, and the kernel its metadata names has started and is idle.
      await page.locator('.jp-NotebookPanel .jp-Cell').first().waitFor({ timeout: 120_000 });
      await waitForIdleKernel('lesson.ipynb');
      await acceptKernelDialog(page);
      await page.locator('.jp-NotebookPanel-toolbar .jp-KernelName', { hasText: 'TypeScript (LLM Lab)' }).waitFor({ timeout: 60_000 });

      await page.locator('.lm-MenuBar-item', { hasText: /^Run$/ }).click();
      await page.locator('.lm-Menu-item:not(.lm-mod-disabled)', { hasText: 'Run All Cells' }).first().click();

      // plotly draws into <svg class="main-svg"> under the output (which is itself .js-plotly-plot).
      await page.locator('.jp-OutputArea .js-plotly-plot svg.main-svg').first().waitFor({ timeout: 180_000 });
      await page.locator('.jp-OutputArea .js-plotly-plot .scatterlayer path.js-line').first().waitFor({ timeout: 30_000 });
      await page.locator('.jp-OutputArea-output', { hasText: 'LLM Lab ' }).first().waitFor({ timeout: 30_000 });
      // The "official Jupyter news" question is turned off in .venv's settings overrides.
      expect(await page.getByText('official Jupyter news').count()).toBe(0);
    });
    await page.close();
  }, 6 * 60 * 1000);
});

/**
 * JupyterLab asks which kernel to use when it opens a notebook before it has the list of
 * kernels; the preselected one is the notebook's own. Accept it if asked, so the test
 * does not depend on that timing.
 */
async function acceptKernelDialog(page: Page): Promise<void> {
  const dialog = page.locator('.jp-Dialog', { hasText: 'Select Kernel' });
  try {
    await dialog.waitFor({ timeout: 3000 });
  } catch {
    return; // not asked
  }
  expect(await dialog.locator('select option:checked').textContent()).toContain('TypeScript (LLM Lab)');
  await dialog.locator('button', { hasText: /^Select$/ }).click();
}
