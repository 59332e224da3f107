#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: LLM Lab's GPT beside the PyTorch reference of the same model and
 * optimizer, in one run on this machine. Each side runs in its own process (so peak memory
 * is its own), one after the other (so they do not compete for the cores), for `--rounds`
 * alternating rounds; the table shows medians over rounds and the ratio tfjs / PyTorch.
 *
 *   npm run bench -- --iters 30 --rounds 2 --batch 12
 *
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
  },
});

const root = path.join(__dirname, '..');
const corpus = path.join(root, 'data', 'tinyshakespeare.txt');
const common = ['--batch', args.batch, '--iters', args.iters, '--warmup', args.warmup, '--sample-tokens', args['sample-tokens']];

function runJson(label, command, commandArgs) {
  process.stderr.write(`${label}: ${[command, ...commandArgs].join(' ')}\n`);
  const child = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
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
const torchArgs = ['bench/reference/train_bench.py', '--corpus', corpus, '--preset', 'baby', '--threads', args.threads, ...common];
for (let round = 0; round < Number(args.rounds); round++) {
  tfjsRuns.push(runJson(`tfjs, round ${round + 1}`, process.execPath, tfjsArgs));
  if (!torchMissing) torchRuns.push(runJson(`pytorch, round ${round + 1}`, args.python, torchArgs));
}

const failed = [...tfjsRuns, ...torchRuns].filter((r) => r.error);
for (const f of failed) process.stderr.write(`A benchmark run failed: ${f.error}\n`);
if (tfjsRuns.every((r) => r.error)) process.exit(1);

const summarise = (runs, field) => median(runs.filter((r) => !r.error).map((r) => r[field]));
const tfjs = {
  train: summarise(tfjsRuns, 'trainTokensPerSecond'),
  sample: summarise(tfjsRuns, 'sampleTokensPerSecond'),
  rss: summarise(tfjsRuns, 'peakRssMB'),
};
const torch = {
  train: summarise(torchRuns, 'trainTokensPerSecond'),
  sample: summarise(torchRuns, 'sampleTokensPerSecond'),
  rss: summarise(torchRuns, 'peakRssMB'),
};
const ratio = (a, b) => (a && b ? a / b : null);
const firstTfjs = tfjsRuns.find((r) => !r.error);
const firstTorch = torchRuns.find((r) => !r.error);

const fmt = (x, digits = 0) => (x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const rows = [
  ['what', 'backend', 'tfjs', 'PyTorch', 'tfjs / PyTorch'],
  ['train tokens/s', firstTfjs.backend, fmt(tfjs.train), fmt(torch.train), fmt(ratio(tfjs.train, torch.train), 3)],
  ['sample tokens/s', firstTfjs.backend, fmt(tfjs.sample, 1), fmt(torch.sample, 1), fmt(ratio(tfjs.sample, torch.sample), 3)],
  ['peak RSS (MB)', firstTfjs.backend, fmt(tfjs.rss), fmt(torch.rss), fmt(ratio(tfjs.rss, torch.rss), 2)],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
const line = (r) => '| ' + r.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ') + ' |';
console.log(`\nbaby GPT, batch ${args.batch}, context ${firstTfjs.blockSize}, ${args.iters} timed steps × ${args.rounds} round(s); medians`);
console.log(`tfjs: ${firstTfjs.device}` + (firstTorch ? `; PyTorch ${firstTorch.torchVersion}, ${firstTorch.threads} thread(s), BLAS: ${firstTorch.blas ?? '?'}` : ''));
console.log(line(rows[0]));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const r of rows.slice(1)) console.log(line(r));

const results = {
  date: new Date().toISOString(),
  settings: { batch: Number(args.batch), iters: Number(args.iters), warmup: Number(args.warmup), rounds: Number(args.rounds), threads: Number(args.threads) },
  tfjs: { ...tfjs, runs: tfjsRuns },
  pytorch: { ...torch, runs: torchRuns, missing: torchMissing },
  ratios: { train: ratio(tfjs.train, torch.train), sample: ratio(tfjs.sample, torch.sample), peakRss: ratio(tfjs.rss, torch.rss) },
};
const outDir = path.join(__dirname, 'results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nWrote ${path.relative(root, path.join(outDir, 'latest.json'))}`);
