#!/usr/bin/env node
/**
 * `npm start`: JupyterLab on the course notebooks, with the "TypeScript (LLM Lab)" kernel.
 *
 * The first run sets up .venv/ (see jupyter-setup.js), later runs start at once. Arguments
 * go to `jupyter lab` as they are, e.g. `npm start -- --no-browser --port 8899`.
 */
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const { JupyterSetupError, jupyterEnv, projectPaths, reportAndExit, setupJupyter } = require('./jupyter-setup');

/** Arguments that choose the folder JupyterLab serves; when given, ours is left out. */
const ROOT_DIR_ARGS = /^--(notebook-dir|ServerApp\.root_dir|ServerApp\.notebook_dir)(=|$)/;

async function main(args) {
  const p = projectPaths();
  await setupJupyter();
  const ownRootDir = args.some((arg) => ROOT_DIR_ARGS.test(arg));
  if (!ownRootDir && !fs.existsSync(p.notebooks)) {
    throw new JupyterSetupError(
      `${p.notebooks} is missing: it holds the course notebooks JupyterLab opens.\n` +
        'Restore it from git (git checkout -- notebooks), or pass --notebook-dir=FOLDER to open another folder of this project.',
    );
  }
  const labArgs = ownRootDir ? args : [`--notebook-dir=${p.notebooks}`, ...args];
  // JupyterLab refuses to run as root unless told; as root here is a container or CI.
  if (process.getuid?.() === 0 && !labArgs.includes('--allow-root')) labArgs.push('--allow-root');
  process.stderr.write(`llm-lab: starting JupyterLab from .venv${ownRootDir ? '' : ' on notebooks/'}; Ctrl+C stops it\n`);
  const lab = childProcess.spawn(p.venvPython, ['-m', 'jupyterlab', ...labArgs], {
    cwd: p.root,
    env: jupyterEnv(),
    stdio: 'inherit',
  });
  // Ctrl+C reaches JupyterLab too (same terminal): it asks whether to stop, so we wait for it.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (lab.exitCode === null) lab.kill(signal);
    });
  }
  lab.on('error', (error) => {
    reportAndExit(new JupyterSetupError(`Could not start JupyterLab from ${p.venvPython}: ${error.message}.\n` +
      'Delete .venv/ and run `npm start` again to reinstall it.'));
  });
  lab.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main(process.argv.slice(2)).catch(reportAndExit);
