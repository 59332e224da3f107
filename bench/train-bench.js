#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: LLM Lab's GPT beside the PyTorch reference of the same model and
 * optimizer, in one run on this machine. Each side runs in its own process (so peak memory
 * is its own), one after the other (so they do not compete for the cores), for `--rounds`
 * alternating rounds; the table shows medians over rounds and the ratio tfjs / PyTorch.
 *
 *   npm run bench -- --iters 30 --rounds 2 --batch 12
 *   node bench/train-bench.js --backend webgpu --device cuda --out bench/results/gpu.json
 *
 * Sampling is timed three ways on both sides: 500 new tokens without the key/value cache,
 * with it (past blockSize the window slides and the cache is recomputed, so most steps
 * still run a whole window), and with it inside one window (blockSize − 1 new tokens).
 * Writes bench/results/latest.json. PyTorch comes from Debian (`python3-torch`); without it
 * the tfjs side is still measured and the ratio is left empty.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: {
    batch: { type: 'string', default: '12' },
    iters: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    'sample-tokens': { type: 'string', default: '500' },
    python: { type: 'string', default: process.env.LLM_LAB_PYTHON || '/usr/bin/python3' },
    backend: { type: 'string' },
    device: { type: 'string', default: 'cpu' }, // PyTorch's device: cpu or cuda
    out: { type: 'string', default: path.join(__dirname, 'results', 'latest.json') },
  },
});

const root = path.join(__dirname, '..');
const corpus = path.join(root, 'data', 'tinyshakespeare.txt');
const common = ['--batch', args.batch, '--iters', args.iters, '--warmup', args.warmup, '--sample-tokens', args['sample-tokens']];

// Both sides get the same threads: PyTorch through --threads, the BLAS that runs tfjs's
// matrix products on `wasm` (src/backend/native-matmul.ts) through LLM_LAB_BLAS_THREADS.
const childEnv = { ...process.env, LLM_LAB_BLAS_THREADS: args.threads };

function runJson(label, command, commandArgs) {
  process.stderr.write(`${label}: ${[command, ...commandArgs].join(' ')}\n`);
  const child = spawnSync(command, commandArgs, { cwd: root, env: childEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.error || child.status !== 0) {
    return { error: child.error ? child.error.message : `exited with code ${child.status}` };
  }
  const lastLine = child.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(lastLine);
  } catch {
    return { error: `printed no JSON: ${lastLine}` };
  }
}

function torchAvailable() {
  const probe = spawnSync(args.python, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? null : (probe.error ? probe.error.message : probe.stderr.trim().split('\n').pop());
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const tfjsRuns = [];
const torchRuns = [];
const torchMissing = torchAvailable();
if (torchMissing) {
  process.stderr.write(
    `PyTorch is not available to ${args.python} (${torchMissing}).\n` +
      'Install the reference with: apt-get install python3-torch libopenblas0-pthread\n' +
      'Measuring the tfjs side only.\n',
  );
}
const tfjsArgs = ['bench/tfjs-train-bench.js', ...common, ...(args.backend ? ['--backend', args.backend] : [])];
const torchArgs = ['bench/reference/train_bench.py', '--corpus', corpus, '--preset', 'baby', '--threads', args.threads, '--device', args.device, ...common];
for (let round = 0; round < Number(args.rounds); round++) {
  tfjsRuns.push(runJson(`tfjs, round ${round + 1}`, process.execPath, tfjsArgs));
  if (!torchMissing) torchRuns.push(runJson(`pytorch, round ${round + 1}`, args.python, torchArgs));
}

const failed = [...tfjsRuns, ...torchRuns].filter((r) => r.error);
for (const f of failed) process.stderr.write(`A benchmark run failed: ${f.error}\n`);
if (tfjsRuns.every((r) => r.error)) process.exit(1);

const summarise = (runs, field) => median(runs.filter((r) => !r.error).map((r) => r[field]));
const summary = (runs) => ({
  train: summarise(runs, 'trainTokensPerSecond'),
  sample: summarise(runs, 'sampleTokensPerSecond'),
  sampleCached: summarise(runs, 'sampleCachedTokensPerSecond'),
  sampleWindowCached: summarise(runs, 'sampleWindowCachedTokensPerSecond'),
  rss: summarise(runs, 'peakRssMB'),
});
const tfjs = summary(tfjsRuns);
const torch = summary(torchRuns);
const ratio = (a, b) => (a && b ? a / b : null);
const firstTfjs = tfjsRuns.find((r) => !r.error);
const firstTorch = torchRuns.find((r) => !r.error);

const fmt = (x, digits = 0) => (x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const rows = [
  ['what', 'backend', 'tfjs', 'PyTorch', 'tfjs / PyTorch'],
  ['train tokens/s', firstTfjs.backend, fmt(tfjs.train), fmt(torch.train), fmt(ratio(tfjs.train, torch.train), 3)],
  ['sample tokens/s', firstTfjs.backend, fmt(tfjs.sample, 1), fmt(torch.sample, 1), fmt(ratio(tfjs.sample, torch.sample), 3)],
  ['sample tokens/s, KV cache', firstTfjs.backend, fmt(tfjs.sampleCached, 1), fmt(torch.sampleCached, 1), fmt(ratio(tfjs.sampleCached, torch.sampleCached), 3)],
  [`  within one window (${firstTfjs.blockSize - 1} tokens)`, firstTfjs.backend, fmt(tfjs.sampleWindowCached, 1), fmt(torch.sampleWindowCached, 1), fmt(ratio(tfjs.sampleWindowCached, torch.sampleWindowCached), 3)],
  ['peak RSS (MB)', firstTfjs.backend, fmt(tfjs.rss), fmt(torch.rss), fmt(ratio(tfjs.rss, torch.rss), 2)],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
const line = (r) => '| ' + r.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ') + ' |';
console.log(`\nbaby GPT, batch ${args.batch}, context ${firstTfjs.blockSize}, ${args.iters} timed steps × ${args.rounds} round(s); medians`);
const torchOn = firstTorch && firstTorch.device && firstTorch.device !== 'CPU' ? `on ${firstTorch.device}` : `${firstTorch?.threads} thread(s), BLAS: ${firstTorch?.blas ?? '?'}`;
console.log(`tfjs: ${firstTfjs.device}` + (firstTorch ? `; PyTorch ${firstTorch.torchVersion}, ${torchOn}` : ''));
console.log(line(rows[0]));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows.slice(1)) console.log(line(r));

const results = {
  date: new Date().toISOString(),
  settings: {
    batch: Number(args.batch),
    iters: Number(args.iters),
    warmup: Number(args.warmup),
    rounds: Number(args.rounds),
    threads: Number(args.threads),
    sampleTokens: Number(args['sample-tokens']),
    torchDevice: args.device,
  },
  tfjs: { ...tfjs, runs: tfjsRuns },
  pytorch: { ...torch, runs: torchRuns, missing: torchMissing },
  ratios: {
    train: ratio(tfjs.train, torch.train),
    sample: ratio(tfjs.sample, torch.sample),
    sampleCached: ratio(tfjs.sampleCached, torch.sampleCached),
    sampleWindowCached: ratio(tfjs.sampleWindowCached, torch.sampleWindowCached),
    peakRss: ratio(tfjs.rss, torch.rss),
  },
};
fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
console.log(`\nWrote ${path.relative(root, path.resolve(args.out))}`);
