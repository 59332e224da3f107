#!/usr/bin/env node
'use strict';
/**
 * Times training (and sampling) of the LLM Lab GPT on Shakespeare's characters, with the
 * same setup as bench/reference/train_bench.py: character vocabulary, first 90% for
 * training, random windows, AdamW (betas 0.9/0.99, weight decay 0.1 on matrices), gradient
 * clipping at 1.0, lr 1e-3. Each step is timed on its own; tokens/s uses the median step.
 *
 *   node bench/tfjs-train-bench.js --batch 12 --iters 30 --warmup 5 --sample-tokens 500
 *
 * Prints ONE JSON line on stdout (progress goes to stderr).
 */
const path = require('node:path');
const { parseArgs } = require('node:util');
const lab = require(process.env.LLM_LAB_DIST || '../dist'); // the GPU bundle carries its own dist

const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.join(__dirname, '..', 'data', 'tinyshakespeare.txt') },
    preset: { type: 'string', default: 'baby' },
    batch: { type: 'string', default: '12' },
    iters: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1337' },
    'sample-tokens': { type: 'string', default: '500' },
    backend: { type: 'string' },
  },
});

async function main() {
  const backend = await lab.initBackend({ backend: args.backend });
  const batchSize = Number(args.batch);
  const iters = Number(args.iters);
  const warmup = Number(args.warmup);
  const seed = Number(args.seed);
  const text = lab.readTextCorpus(args.corpus);
  const tokenizer = lab.CharTokenizer.fromText(text);
  const { train } = lab.splitTrainVal(tokenizer.encode(text));
  const config = lab.resolveConfig(args.preset, { vocabSize: tokenizer.vocabSize });
  const model = new lab.GPT(config, { seed });

  const stepMs = [];
  let finalLoss = NaN;
  const result = await lab.train({
    model,
    train,
    iters: warmup + iters,
    batchSize,
    lr: 1e-3,
    minLr: 1e-3, // a constant rate, as the reference
    warmupIters: 0,
    weightDecay: 0.1,
    gradClip: 1,
    evalInterval: 1e9, // no evaluation inside the timed loop
    evalIters: 1,
    seed,
    callbacks: {
      onStep(info) {
        if (info.iter >= warmup) stepMs.push(info.stepMs);
        finalLoss = info.loss;
        if (info.iter % 10 === 0) process.stderr.write(`  tfjs step ${info.iter}: loss ${info.loss.toFixed(3)}, ${info.stepMs.toFixed(0)} ms\n`);
      },
    },
  });
  void result;
  const sorted = [...stepMs].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const medianMs = lab.median(stepMs);

  // Sampling from a one-token prompt (id 0), temperature 1: without the key/value cache
  // (the whole window every step), with it, and with it inside one window (blockSize − 1
  // new tokens: the cache never has to be recomputed; the median of 5 runs).
  const sampleTokens = Number(args['sample-tokens']);
  const tokensPerSecond = (maxNewTokens, kvCache) => {
    const started = performance.now();
    lab.generate(model, [0], { maxNewTokens, seed, kvCache });
    return (maxNewTokens * 1000) / (performance.now() - started);
  };
  let sampleTokensPerSecond = null;
  let sampleCachedTokensPerSecond = null;
  let sampleWindowCachedTokensPerSecond = null;
  if (sampleTokens > 0) {
    tokensPerSecond(8, true); // first calls of the cached path compile its kernels
    sampleTokensPerSecond = tokensPerSecond(sampleTokens, false);
    sampleCachedTokensPerSecond = tokensPerSecond(sampleTokens, true);
    sampleWindowCachedTokensPerSecond = lab.median(Array.from({ length: 5 }, () => tokensPerSecond(config.blockSize - 1, true)));
  }
  const out = {
    framework: 'tfjs',
    tfjsVersion: backend.tfjsVersion,
    backend: backend.name,
    device: backend.device,
    matrixProducts: backend.name === 'wasm' ? lab.nativeMatMulStatus().summary : backend.device,
    batch: batchSize,
    blockSize: config.blockSize,
    iters,
    parameters: model.numParameters(),
    trainTokensPerSecond: (batchSize * config.blockSize * 1000) / medianMs,
    trainMsPerStep: { median: medianMs, p10: pick(0.1), p90: pick(0.9) },
    sampleTokensPerSecond,
    sampleCachedTokensPerSecond,
    sampleWindowCachedTokensPerSecond,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    finalLoss,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
