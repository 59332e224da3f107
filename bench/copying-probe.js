#!/usr/bin/env node
'use strict';
/**
 * Does a base model copy from its context? `copyingProbe` on a checkpoint, or on the
 * checkpoints a pretraining run writes as it goes.
 *
 *   npm run build && node bench/copying-probe.js --checkpoint data/checkpoints/base
 *
 * With --pretrain, runs the base model's pretraining (data/README.md, "The base checkpoint";
 * --iters and --out change it) and probes every checkpoint it writes, so the curve shows when
 * copying forms. Results go to bench/results/copying-probe.json (git-ignored).
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: {
    checkpoint: { type: 'string', default: path.join(__dirname, '..', 'data', 'checkpoints', 'base') },
    pretrain: { type: 'boolean', default: false },
    iters: { type: 'string', default: '500' },
    out: { type: 'string', default: path.join(__dirname, '..', 'build', 'base-probe') },
    orders: { type: 'string', default: '64' },
    results: { type: 'string', default: path.join(__dirname, 'results', 'copying-probe.json') },
  },
});

async function main() {
  const lab = require('../dist');
  await lab.initBackend({});
  const orders = Number(args.orders);
  const rows = [];
  const record = (row) => {
    rows.push(row);
    console.error(JSON.stringify(row));
    fs.mkdirSync(path.dirname(args.results), { recursive: true });
    fs.writeFileSync(args.results, JSON.stringify({ orders, rows }, null, 2) + '\n');
  };
  const probe = (dir) => {
    const { model, tokenizer } = lab.loadCheckpoint(dir);
    const result = lab.copyingProbe(model, tokenizer, { orders });
    model.dispose();
    return result;
  };
  if (!args.pretrain) {
    record({ checkpoint: path.relative(process.cwd(), args.checkpoint), ...probe(args.checkpoint) });
    return;
  }
  const started = Date.now();
  let lastEval;
  const { result } = await lab.pretrain({
    corpus: lab.baseCorpusPath,
    out: args.out,
    tokenizer: 'bpe',
    bpeVocabSize: 1024,
    specialTokens: lab.CHAT_SPECIAL_TOKENS,
    preset: 'baby',
    modelOverrides: { blockSize: 128 },
    iters: Number(args.iters),
    batchSize: 8,
    lr: 1.5e-3,
    evalInterval: 100,
    evalIters: 10,
    callbacks: {
      onEval: (e) => { lastEval = e; },
      onCheckpoint: ({ iter, dir }) =>
        record({ iter, trainLoss: lastEval?.trainLoss, valLoss: lastEval?.valLoss, minutes: (Date.now() - started) / 60000, ...probe(dir) }),
    },
  });
  record({ iter: Number(args.iters), final: true, valLoss: result.finalValLoss, tokensPerSecond: result.tokensPerSecond, minutes: (Date.now() - started) / 60000, ...probe(args.out) });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
