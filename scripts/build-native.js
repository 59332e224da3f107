#!/usr/bin/env node
'use strict';
/**
 * Compiles the optional native matrix-product addon (src/backend/native/blas-matmul.c) into
 * dist/native/blas-matmul.node. Part of `npm run build`.
 *
 * The addon lets the `wasm` backend hand its matrix products to the machine's BLAS
 * (OpenBLAS, MKL, Apple's Accelerate), 3-5x faster than WebAssembly. It is optional: where
 * there is no C compiler (or on Windows) this prints why and what to install, and the
 * toolkit runs the products in WebAssembly as before. The build never fails because of it.
 *
 *   node scripts/build-native.js            # build when the source is newer than the addon
 *   node scripts/build-native.js --force    # build again
 *
 * Needs: a C compiler (`cc`, or $CC) and Node-API headers (Node's own include/node, or the
 * `node-api-headers` package). No BLAS is needed to build: the addon opens one at run time.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'backend', 'native', 'blas-matmul.c');
const output = path.join(root, 'dist', 'native', 'blas-matmul.node');
const force = process.argv.includes('--force');

function say(message) {
  process.stdout.write(`build-native: ${message}\n`);
}

/** Where node_api.h is: Node's own headers first, then the node-api-headers package. */
function nodeApiIncludeDir() {
  const candidates = [path.resolve(process.execPath, '..', '..', 'include', 'node')];
  try {
    candidates.push(require('node-api-headers').include_dir);
  } catch {
    // not installed: Node's own headers must do
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
}

function compilerCommand() {
  const candidates = process.env.CC ? [process.env.CC] : ['cc', 'gcc', 'clang'];
  return candidates.find((cc) => spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0);
}

function upToDate() {
  if (force || !fs.existsSync(output)) return false;
  const built = fs.statSync(output).mtimeMs;
  return built >= fs.statSync(source).mtimeMs && built >= fs.statSync(path.join(__dirname, 'build-native.js')).mtimeMs;
}

function main() {
  if (upToDate()) return;
  const skip = (why, what) => say(`${why}; matrix products will run in WebAssembly (slower). ${what}`);
  if (process.platform === 'win32') return skip('not built on Windows', 'Use WSL for the native BLAS products.');
  const includeDir = nodeApiIncludeDir();
  if (!includeDir) {
    return skip(
      "no Node-API headers found (Node's include/node beside its binary, or the node-api-headers package)",
      'Get them with `npm install --no-save node-api-headers`, then `npm run build`.',
    );
  }
  const cc = compilerCommand();
  if (!cc) {
    return skip(
      'no C compiler found',
      'Install one (Debian/Ubuntu: `sudo apt-get install gcc`; macOS: `xcode-select --install`), then `npm run build`.',
    );
  }
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const platformFlags = process.platform === 'darwin' ? ['-bundle', '-undefined', 'dynamic_lookup'] : ['-shared', '-fPIC'];
  const partial = `${output}.partial`; // never leave a half-written addon where the loader looks
  const args = ['-O2', '-std=c11', '-Wall', ...platformFlags, `-I${includeDir}`, '-o', partial, source];
  if (process.platform === 'linux') args.push('-ldl');
  const result = spawnSync(cc, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    fs.rmSync(partial, { force: true });
    return skip(`${cc} failed to compile ${path.relative(root, source)}:\n${result.stderr || result.stdout}`, '');
  }
  fs.renameSync(partial, output);
  say(`built ${path.relative(root, output)} with ${cc}`);
}

main();
