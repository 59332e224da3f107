#!/usr/bin/env node
/**
 * The Python side of LLM Lab's notebooks, set up inside the project and nowhere else:
 *
 *   .venv/                                   a Python virtual environment (JupyterLab, plotly)
 *   .venv/share/jupyter/kernels/llm-lab/     the "TypeScript (LLM Lab)" kernel (tslab)
 *   .venv/share/jupyter/lab/settings/        JupyterLab settings overrides (no news pop-up)
 *   .venv/etc/jupyter/                       Jupyter Server config (only the LLM Lab kernel)
 *   .venv/jupyter/{config,data,runtime}/     what Jupyter would otherwise write in your home
 *   node_modules/llm-lab -> ..               so `import … from 'llm-lab'` works in a notebook
 *
 * The slow part (creating .venv and installing jupyter-requirements.txt) runs once; a stamp
 * file remembers what was installed and later runs skip it. The cheap parts (the kernel
 * spec, the settings, the link) are rewritten every time, so they follow the Node you run.
 *
 * As a command:
 *   node scripts/jupyter-setup.js              set up (or check) .venv, as `npm start` does
 *   node scripts/jupyter-setup.js --force      reinstall the Python packages even if the stamp matches
 *   node scripts/jupyter-setup.js --kernel-only [--python P] [--user]
 *                                              register the kernel in an existing Jupyter instead
 *                                              (P's environment, or your user's kernels with --user)
 * As a module: `setupJupyter()`, `jupyterEnv()`, `registerKernelInto()`; see module.exports.
 */
'use strict';

const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '..');
const KERNEL_NAME = 'llm-lab';
const KERNEL_DISPLAY_NAME = 'TypeScript (LLM Lab)';
const PACKAGE_NAME = 'llm-lab';
const MIN_PYTHON = [3, 9];
/** Bump when what the slow step installs changes in a way the stamp cannot see. */
const SETUP_FORMAT = 1;
const IS_WINDOWS = process.platform === 'win32';
/** Where the instructions for using a JupyterLab of your own are. */
const DOCS_OWN_JUPYTERLAB = 'docs/jupyter.md, "Using your own JupyterLab"';

/** What JupyterLab's notification plugin does without asking: no news feed, no update check. */
const LAB_SETTINGS_OVERRIDES = {
  '@jupyterlab/apputils-extension:notification': { fetchNews: 'false', checkForUpdates: false },
};

/** Jupyter Server in .venv offers only the LLM Lab kernel (ipykernel's Python one is hidden). */
const SERVER_CONFIG = {
  KernelSpecManager: { allowed_kernelspecs: [KERNEL_NAME] },
  MultiKernelManager: { default_kernel_name: KERNEL_NAME },
};

/** A setup step failed for a reason the user can fix; `message` says what to do. */
class JupyterSetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'JupyterSetupError';
  }
}

/** Where everything lives for a project checked out at `root`. */
function projectPaths(root = PROJECT_ROOT) {
  const venv = path.join(root, '.venv');
  const jupyterHome = path.join(venv, 'jupyter');
  return {
    root,
    venv,
    venvPython: IS_WINDOWS ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python'),
    venvBin: path.join(venv, IS_WINDOWS ? 'Scripts' : 'bin'),
    stamp: path.join(venv, '.llm-lab-setup.json'),
    pipLog: path.join(venv, 'pip-install.log'),
    lock: path.join(root, '.venv-setup.lock'),
    requirements: path.join(root, 'jupyter-requirements.txt'),
    kernelDir: path.join(venv, 'share', 'jupyter', 'kernels', KERNEL_NAME),
    labSettingsDir: path.join(venv, 'share', 'jupyter', 'lab', 'settings'),
    serverConfig: path.join(venv, 'etc', 'jupyter', 'jupyter_server_config.json'),
    jupyterConfigDir: path.join(jupyterHome, 'config'),
    jupyterDataDir: path.join(jupyterHome, 'data'),
    jupyterRuntimeDir: path.join(jupyterHome, 'runtime'),
    notebooks: path.join(root, 'notebooks'),
    tslabBin: path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'),
    selfLink: path.join(root, 'node_modules', PACKAGE_NAME),
  };
}

/**
 * The environment Jupyter runs in: the venv's tools first on PATH, and Jupyter's per-user
 * folders (settings, workspaces, runtime files, user kernels) inside .venv, so nothing in
 * your home directory is read or written.
 */
function jupyterEnv(options = {}) {
  const p = projectPaths(options.root);
  const base = options.base ?? process.env;
  return {
    ...base,
    VIRTUAL_ENV: p.venv,
    PATH: [p.venvBin, base.PATH ?? base.Path ?? ''].join(path.delimiter),
    JUPYTER_CONFIG_DIR: p.jupyterConfigDir,
    JUPYTER_DATA_DIR: p.jupyterDataDir,
    JUPYTER_RUNTIME_DIR: options.runtimeDir ?? p.jupyterRuntimeDir,
    JUPYTER_PREFER_ENV_PATH: '1',
    PYTHONNOUSERSITE: '1',
  };
}

/** The kernel spec: this Node running this project's tslab, so PATH does not matter. */
function kernelSpec(p) {
  return {
    argv: [process.execPath, p.tslabBin, 'kernel', '--config-path', '{connection_file}'],
    display_name: KERNEL_DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    env: {},
    metadata: { debugger: false, 'llm-lab': { project: p.root } },
  };
}

// ---------------------------------------------------------------------------------------
// Checks that need no Python

/** dist/ is what `import … from 'llm-lab'` loads; npm install builds it. */
function checkBuild(p) {
  for (const file of ['dist/index.js', 'dist/index.d.ts']) {
    if (!fs.existsSync(path.join(p.root, file))) {
      throw new JupyterSetupError(
        `${file} is missing: the notebooks import the built toolkit.\n` +
          `Run \`npm install\` in ${p.root} (it also builds dist/), or \`npm run build\` after changing src/.`,
      );
    }
  }
  if (!fs.existsSync(p.tslabBin)) {
    throw new JupyterSetupError(
      `tslab (the TypeScript kernel) is not installed: ${path.relative(p.root, p.tslabBin)} is missing.\n` +
        `Run \`npm install\` in ${p.root}.`,
    );
  }
}

/**
 * `node_modules/llm-lab` → the project itself. tslab type-checks and loads a cell's imports
 * the Node10 way, from the notebook's folder upwards, so a package named `llm-lab` must be
 * found in an ancestor's node_modules. npm prunes links it did not make (any `npm install`
 * or `npm ci` removes it), so this runs on every start.
 */
function ensureSelfLink(p) {
  const link = p.selfLink;
  let stat;
  try {
    stat = fs.lstatSync(link);
  } catch {
    stat = undefined;
  }
  if (stat) {
    let target;
    try {
      target = fs.realpathSync(link);
    } catch {
      target = undefined; // a dangling link
    }
    if (target === fs.realpathSync(p.root)) return false;
    if (!stat.isSymbolicLink()) {
      throw new JupyterSetupError(
        `${link} is a folder, not a link to this project, so notebooks would import that copy of '${PACKAGE_NAME}'.\n` +
          `Remove it (rm -r node_modules/${PACKAGE_NAME}) and start again.`,
      );
    }
    fs.unlinkSync(link);
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  // A junction needs no privileges on Windows and must be absolute; elsewhere a relative
  // link keeps working when the project folder is moved.
  if (IS_WINDOWS) fs.symlinkSync(p.root, link, 'junction');
  else fs.symlinkSync('..', link, 'dir');
  return true;
}

// ---------------------------------------------------------------------------------------
// Python

const PROBE = [
  'import sys, json',
  'ok = True',
  'try:',
  '    import venv, ensurepip',
  'except ImportError:',
  '    ok = False',
  'print(json.dumps({"version": list(sys.version_info[:3]), "executable": sys.executable, "venv": ok}))',
].join('\n');

function probePython(command) {
  const result = childProcess.spawnSync(command, ['-c', PROBE], { encoding: 'utf8', timeout: 30000 });
  if (result.error || result.status !== 0) return undefined;
  try {
    return JSON.parse(result.stdout.trim().split('\n').pop());
  } catch {
    return undefined;
  }
}

const versionString = (v) => v.join('.');
const isRecentEnough = (v) => v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]);

const HOW_TO_GET_PYTHON =
  `Install Python ${versionString(MIN_PYTHON)} or newer (https://www.python.org/downloads/; on Debian/Ubuntu: ` +
  '`sudo apt install python3 python3-venv`), or set LLM_LAB_PYTHON to the python to use, ' +
  `or register the kernel in a JupyterLab you already have (see ${DOCS_OWN_JUPYTERLAB}).`;

/** Python ≥ 3.9 with `venv`: LLM_LAB_PYTHON if set, else `python3`, else `python`. */
function findPython(env = process.env) {
  const forced = env.LLM_LAB_PYTHON;
  const candidates = forced ? [forced] : IS_WINDOWS ? ['python', 'python3', 'py'] : ['python3', 'python'];
  const rejected = [];
  for (const command of candidates) {
    const info = probePython(command);
    if (!info) {
      rejected.push(`${command}: not found or does not run`);
      continue;
    }
    if (!isRecentEnough(info.version)) {
      rejected.push(`${command}: Python ${versionString(info.version)} is too old`);
      continue;
    }
    if (!info.venv) {
      rejected.push(
        `${command}: Python ${versionString(info.version)} lacks the venv module (on Debian/Ubuntu: sudo apt install python3-venv)`,
      );
      continue;
    }
    return { command, executable: info.executable, version: versionString(info.version) };
  }
  const where = forced ? `LLM_LAB_PYTHON=${forced}` : candidates.join(', ');
  throw new JupyterSetupError(
    `No usable Python found (tried ${where}):\n  ${rejected.join('\n  ')}\n${HOW_TO_GET_PYTHON}`,
  );
}

/** Runs a command, streaming lines to `onLine`; the whole output goes to `logFile` too. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = childProcess.spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    const tail = [];
    let pending = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      log?.write(text);
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop();
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => {
      log?.end();
      resolve({ code: -1, tail: [String(error.message)] });
    });
    child.on('close', (code) => {
      if (pending) tail.push(pending);
      log?.end();
      resolve({ code: code ?? -1, tail });
    });
  });
}

function hashInputs(p, python) {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ SETUP_FORMAT, root: p.root, python: python.version }));
  hash.update(fs.readFileSync(p.requirements));
  return hash.digest('hex').slice(0, 16);
}

function readStamp(p) {
  try {
    return JSON.parse(fs.readFileSync(p.stamp, 'utf8'));
  } catch {
    return undefined;
  }
}

function venvPythonVersion(p) {
  if (!fs.existsSync(p.venvPython)) return undefined;
  const info = probePython(p.venvPython);
  return info ? versionString(info.version) : undefined;
}

// ---------------------------------------------------------------------------------------
// The lock: two setups at once (npm start and a test, two jest workers) would break .venv.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function withLock(p, log, fn) {
  const deadline = Date.now() + 20 * 60 * 1000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(p.lock);
      fs.writeFileSync(path.join(p.lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(p.lock, 'pid'), 'utf8'));
      } catch {
        // the owner has made the folder but not yet written its pid
      }
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
        fs.rmSync(p.lock, { recursive: true, force: true }); // left by a setup that was killed
        continue;
      }
      if (Date.now() > deadline) {
        throw new JupyterSetupError(
          `Another setup of .venv (process ${owner}) has held ${p.lock} for 20 minutes.\n` +
            `If no setup is running, delete ${p.lock} and start again.`,
        );
      }
      if (!told) log(`waiting for another setup of .venv to finish (process ${owner})…`);
      told = true;
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(p.lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// The setup

function removeVenv(p) {
  if (!fs.existsSync(p.venv)) return;
  if (!fs.existsSync(path.join(p.venv, 'pyvenv.cfg'))) {
    throw new JupyterSetupError(
      `${p.venv} exists but is not a Python virtual environment (no pyvenv.cfg), so it is left alone.\n` +
        'Move or delete it, then start again.',
    );
  }
  fs.rmSync(p.venv, { recursive: true, force: true });
}

async function installPython(p, python, log) {
  // A venv belongs to one Python and one folder (its scripts hold absolute paths).
  const existing = venvPythonVersion(p);
  const madeFor = readStamp(p)?.root;
  if (fs.existsSync(p.venv) && (existing !== python.version || (madeFor !== undefined && madeFor !== p.root))) {
    log(`recreating .venv (it was made ${existing !== python.version ? 'with another Python' : `in ${madeFor}`})`);
    removeVenv(p);
  }
  if (!fs.existsSync(p.venvPython)) {
    log(`creating .venv with Python ${python.version} (${python.executable})`);
    const made = await run(python.executable, ['-m', 'venv', p.venv]);
    if (made.code !== 0) {
      throw new JupyterSetupError(
        `Could not create a virtual environment with ${python.executable}:\n  ${made.tail.slice(-8).join('\n  ')}\n` +
          `${HOW_TO_GET_PYTHON}`,
      );
    }
  }
  log('installing JupyterLab and plotly into .venv (the first time takes a minute or two)…');
  fs.writeFileSync(p.pipLog, '');
  const started = Date.now();
  const pip = await run(
    p.venvPython,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', '-r', p.requirements],
    {
      cwd: p.root,
      env: { ...process.env, PIP_REQUIRE_VIRTUALENV: '1', PYTHONNOUSERSITE: '1' },
      logFile: p.pipLog,
      onLine: (line) => {
        // The packages we asked for by name, then one line when pip starts installing.
        const asked = /^Collecting (\S+) \(from -r [^>]*\)$/.exec(line);
        const installing = /^Installing collected packages: (.*)/.exec(line);
        if (asked) log(`  ${asked[1]}`);
        else if (installing) log(`  installing ${installing[1].split(', ').length} packages (with dependencies)…`);
      },
    },
  );
  if (pip.code !== 0) {
    throw new JupyterSetupError(
      `pip could not install jupyter-requirements.txt into .venv (exit code ${pip.code}). Its last lines:\n` +
        `  ${pip.tail.slice(-12).join('\n  ')}\n` +
        `The whole log is in ${p.pipLog}.\n` +
        'Check the network connection (pip downloads from PyPI; behind a proxy set HTTPS_PROXY or PIP_INDEX_URL), ' +
        `then start again; or use a JupyterLab you already have (see ${DOCS_OWN_JUPYTERLAB}).`,
    );
  }
  log(`Python packages ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = JSON.stringify(value, null, 2) + '\n';
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current !== text) fs.writeFileSync(file, text);
}

/** The kernel spec and JupyterLab settings inside .venv; cheap, so done on every run. */
function writeJupyterFiles(p) {
  writeJson(path.join(p.kernelDir, 'kernel.json'), kernelSpec(p));
  writeJson(path.join(p.labSettingsDir, 'overrides.json'), LAB_SETTINGS_OVERRIDES);
  writeJson(p.serverConfig, SERVER_CONFIG);
  // tslab's own installer registers `tslab` and `jslab`; here only the LLM Lab kernel is offered.
  for (const other of ['tslab', 'jslab']) {
    fs.rmSync(path.join(path.dirname(p.kernelDir), other), { recursive: true, force: true });
  }
  for (const dir of [p.jupyterConfigDir, p.jupyterDataDir, p.jupyterRuntimeDir]) fs.mkdirSync(dir, { recursive: true });
}

const defaultLog = (message) => process.stderr.write(`llm-lab: ${message}\n`);

/**
 * Makes .venv ready to run JupyterLab with the LLM Lab kernel; fast when it already is.
 * @param {{ root?: string, log?: (message: string) => void, force?: boolean }} [options]
 * @returns {Promise<{ python: string, venv: string, kernelName: string, installed: boolean, seconds: number }>}
 */
async function setupJupyter(options = {}) {
  const started = Date.now();
  const p = projectPaths(options.root);
  const log = options.log ?? defaultLog;
  checkBuild(p);
  return withLock(p, log, async () => {
    if (ensureSelfLink(p)) log(`linked node_modules/${PACKAGE_NAME} → the project, for imports in notebooks`);
    const stamp = readStamp(p);
    let installed = false;
    // The stamp is trusted without starting Python when the venv's python is still there;
    // a Python that changed under the venv is noticed by its version in the stamp.
    const upToDate =
      !options.force &&
      stamp !== undefined &&
      stamp.root === p.root &&
      fs.existsSync(p.venvPython) &&
      stamp.hash === hashInputs(p, { version: stamp.python });
    if (!upToDate) {
      const python = findPython();
      await installPython(p, python, log);
      writeJson(p.stamp, {
        hash: hashInputs(p, python),
        root: p.root,
        python: python.version,
        pythonExecutable: python.executable,
        tslab: tslabVersion(p),
        installedAt: new Date().toISOString(),
      });
      installed = true;
    }
    writeJupyterFiles(p);
    return {
      python: p.venvPython,
      venv: p.venv,
      kernelName: KERNEL_NAME,
      installed,
      seconds: (Date.now() - started) / 1000,
    };
  });
}

function tslabVersion(p) {
  try {
    return JSON.parse(fs.readFileSync(path.join(path.dirname(path.dirname(p.tslabBin)), 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * Registers the LLM Lab kernel in a Jupyter you already have, with that Jupyter's own
 * `jupyter kernelspec install` (into its environment, or with `user` into your user's kernels).
 */
async function registerKernelInto(options = {}) {
  const p = projectPaths(options.root);
  const log = options.log ?? defaultLog;
  checkBuild(p);
  ensureSelfLink(p);
  const python = options.python ?? findPython().executable;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-kernel-'));
  try {
    const dir = path.join(tmp, KERNEL_NAME);
    writeJson(path.join(dir, 'kernel.json'), kernelSpec(p));
    const where = options.user ? '--user' : '--sys-prefix';
    const args = ['-m', 'jupyter', 'kernelspec', 'install', dir, '--name', KERNEL_NAME, '--replace', where];
    const result = await run(python, args, { onLine: (line) => log(line) });
    if (result.code !== 0) {
      throw new JupyterSetupError(
        `${python} -m jupyter kernelspec install failed:\n  ${result.tail.slice(-8).join('\n  ')}\n` +
          'Pass --python with the python of the environment your JupyterLab runs in (the one where `jupyter lab` works).',
      );
    }
    log(`registered "${KERNEL_DISPLAY_NAME}" (kernel name ${KERNEL_NAME}); for the charts, install plotly in that environment too`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// Command line

const USAGE = `usage: node scripts/jupyter-setup.js [--force]
       node scripts/jupyter-setup.js --kernel-only [--python PYTHON] [--user]

  (no option)     create .venv/ with JupyterLab and register the "${KERNEL_DISPLAY_NAME}" kernel in it
  --force         reinstall the Python packages even if nothing changed
  --kernel-only   only register the kernel, in the Jupyter that PYTHON runs (default: python3 on PATH)
  --user          with --kernel-only: into your user's Jupyter kernels instead of PYTHON's environment`;

function parseArgs(argv) {
  const options = { force: false, kernelOnly: false, user: false, python: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') options.force = true;
    else if (arg === '--kernel-only') options.kernelOnly = true;
    else if (arg === '--user') options.user = true;
    else if (arg === '--python') options.python = argv[++i];
    else if (arg.startsWith('--python=')) options.python = arg.slice('--python='.length);
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new JupyterSetupError(`Unknown argument '${arg}'.\n${USAGE}`);
  }
  if (options.python === undefined && argv.includes('--python')) {
    throw new JupyterSetupError(`--python needs a value: the path of a python.\n${USAGE}`);
  }
  return options;
}

/** Prints a JupyterSetupError as the message it is, anything else with its stack; exit 1. */
function reportAndExit(error) {
  if (error instanceof JupyterSetupError) process.stderr.write(`llm-lab: ${error.message}\n`);
  else process.stderr.write(`llm-lab: setup failed unexpectedly:\n${error?.stack ?? error}\n`);
  process.exit(1);
}

async function main(argv) {
  const options = parseArgs(argv);
  if (options.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  if (options.kernelOnly) {
    await registerKernelInto({ python: options.python, user: options.user });
    return;
  }
  const result = await setupJupyter({ force: options.force });
  defaultLog(
    result.installed
      ? `ready in ${result.seconds.toFixed(0)} s: JupyterLab in .venv, kernel "${KERNEL_DISPLAY_NAME}"`
      : `already set up (.venv, kernel "${KERNEL_DISPLAY_NAME}")`,
  );
}

if (require.main === module) main(process.argv.slice(2)).catch(reportAndExit);

module.exports = {
  KERNEL_NAME,
  KERNEL_DISPLAY_NAME,
  PROJECT_ROOT,
  JupyterSetupError,
  projectPaths,
  jupyterEnv,
  findPython,
  setupJupyter,
  registerKernelInto,
  reportAndExit,
};
