'use strict';
/**
 * Preloaded by bench/gpu-bundle.sh (`node --require bench/gpu-bundle-trace.js …`): records
 * every file under node_modules/ that the process loads (modules through require, and data
 * such as the .wasm binaries through fs), and appends the list to $GPU_BUNDLE_TRACE at exit.
 * What the benchmark and the conformance checks load is what the GPU bundle must carry.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const out = process.env.GPU_BUNDLE_TRACE;
const seen = new Set();
const note = (file) => {
  if (typeof file === 'string' && file.includes(`${path.sep}node_modules${path.sep}`)) seen.add(path.resolve(file));
};

const load = Module._load;
Module._load = function tracedLoad(request, parent, isMain) {
  try {
    note(Module._resolveFilename(request, parent, isMain));
  } catch {
    // Unresolvable (an optional package that is absent): the real load reports it.
  }
  return load.apply(this, arguments);
};
for (const name of ['readFileSync', 'readFile', 'openSync', 'open', 'existsSync', 'statSync']) {
  const original = fs[name];
  fs[name] = function traced(file) {
    note(file instanceof URL ? file.pathname : file);
    return original.apply(this, arguments);
  };
}
const promised = fs.promises.readFile;
fs.promises.readFile = function traced(file) {
  note(file instanceof URL ? file.pathname : file);
  return promised.apply(this, arguments);
};

process.on('exit', () => {
  if (out) fs.appendFileSync(out, [...seen].filter((f) => fs.existsSync(f) && fs.statSync(f).isFile()).join('\n') + '\n');
});
