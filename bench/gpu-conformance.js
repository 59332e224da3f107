#!/usr/bin/env node
'use strict';
/**
 * The backend conformance checks of test/backend/conformance.test.ts, without jest (which
 * the GPU bundle does not carry): on each backend asked for, the GPT's forward pass, its
 * gradients and one AdamW step agree with the plain-JavaScript `cpu` reference, and decoding
 * with the key/value cache gives the logits of a full forward pass.
 *
 *   node bench/gpu-conformance.js --backends webgpu,tensorflow
 *
 * A backend that cannot start is reported with the reason and skipped. Prints one line per
 * backend, then ONE JSON line; exits 1 if a backend that started disagrees with cpu, 2 if
 * none of the backends asked for started, else 0.
 */
const { parseArgs } = require('node:util');
const lab = require(process.env.LLM_LAB_DIST || '../dist');

const { tf } = lab;
const { values: args } = parseArgs({ options: { backends: { type: 'string', default: 'webgpu,tensorflow' } } });

const config = lab.resolveConfig('tiny', { vocabSize: 40, bias: true, dropout: 0 });
const B = 3;
const T = 12;
const ids = Array.from({ length: B * T }, (_, i) => (i * 17 + 3) % 40);
const targets = Array.from({ length: B * T }, (_, i) => (i * 11 + 5) % 40);
// Tolerances of the jest suite.
const TOLERANCE = { logits: 1e-4, loss: 1e-5, grad: 1e-4, step: 1e-3, cached: 1e-5 };

const maxAbsDiff = (a, b) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return a.length === b.length ? worst : Infinity;
};

/** The same model, batch and optimizer step on one backend (as the jest suite's runOn). */
async function runOn(backend) {
  await lab.useBackend(backend);
  const model = new lab.GPT(config, { seed: 42 });
  const idx = tf.tensor2d(ids, [B, T], 'int32');
  const tgt = tf.tensor2d(targets, [B, T], 'int32');
  const logits = tf.tidy(() => model.forward(idx).dataSync());
  const names = new Map([...model.params].map(([name, v]) => [v.name, name]));
  const { value, grads } = tf.variableGrads(() => model.loss(idx, tgt), [...model.params.values()]);
  const named = {};
  const gradArrays = new Map();
  for (const [internal, g] of Object.entries(grads)) {
    named[names.get(internal)] = g;
    gradArrays.set(names.get(internal), g.dataSync());
  }
  const optimizer = new lab.AdamW(model.params, { decay: new Set(model.decayedParameterNames()) });
  optimizer.step(named, 1e-3);
  const lossAfterStep = tf.tidy(() => model.loss(idx, tgt).dataSync()[0]);
  const loss = value.dataSync()[0];
  // Decoding with the cache: 5 tokens, then one at a time, against full forward passes.
  const sequence = ids.slice(0, config.blockSize);
  const cache = model.createKVCache();
  let cachedDiff = 0;
  for (let seen = 0; seen < sequence.length; ) {
    const n = seen === 0 ? 5 : 1;
    const fresh = sequence.slice(seen, seen + n);
    const cached = tf.tidy(() => model.nextTokenLogitsCached(tf.tensor2d(fresh, [1, n], 'int32'), cache).dataSync());
    seen += n;
    const full = tf.tidy(() => model.nextTokenLogits(tf.tensor2d(sequence.slice(0, seen), [1, seen], 'int32')).dataSync());
    cachedDiff = Math.max(cachedDiff, maxAbsDiff(cached, full));
  }
  cache.dispose();
  tf.dispose([idx, tgt, value, ...Object.values(grads)]);
  optimizer.dispose();
  model.dispose();
  return { logits, loss, grads: gradArrays, lossAfterStep, cachedDiff };
}

function compare(result, reference) {
  let grad = 0;
  for (const [name, g] of reference.grads) grad = Math.max(grad, maxAbsDiff(result.grads.get(name) ?? [], g));
  const measured = {
    logits: maxAbsDiff(result.logits, reference.logits),
    loss: Math.abs(result.loss - reference.loss),
    grad,
    step: Math.abs(result.lossAfterStep - reference.lossAfterStep),
    cached: result.cachedDiff,
  };
  const failures = Object.entries(measured)
    .filter(([what, diff]) => !(diff < TOLERANCE[what]))
    .map(([what, diff]) => `${what} differs by ${diff.toExponential(2)} (tolerance ${TOLERANCE[what]})`);
  if (!(result.lossAfterStep < result.loss)) failures.push('one AdamW step did not lower the loss');
  return { measured, failures };
}

async function main() {
  const asked = args.backends.split(',').map((b) => b.trim()).filter((b) => b);
  const attempts = await lab.availableBackends();
  const reference = await runOn('cpu');
  const report = [];
  for (const backend of asked) {
    const attempt = attempts.find((a) => a.name === backend);
    if (!attempt || !attempt.ok) {
      const reason = attempt ? attempt.reason : `no backend named '${backend}'`;
      console.log(`  - ${backend.padEnd(10)} unavailable: ${reason}`);
      report.push({ backend, started: false, reason });
      continue;
    }
    try {
      const result = await runOn(backend);
      const { measured, failures } = compare(result, reference);
      const device = lab.currentBackend().device;
      const summary = Object.entries(measured).map(([w, d]) => `${w} ${d.toExponential(1)}`).join(', ');
      console.log(`  ${failures.length === 0 ? '✓' : '✗'} ${backend.padEnd(10)} ${device}: max |diff| vs cpu: ${summary}`);
      for (const f of failures) console.log(`      ${f}`);
      report.push({ backend, started: true, device, measured, passed: failures.length === 0, failures });
    } catch (error) {
      console.log(`  ✗ ${backend.padEnd(10)} started, then failed: ${error && error.message ? error.message : error}`);
      report.push({ backend, started: true, passed: false, failures: [String(error && error.message)] });
    }
  }
  process.stdout.write(JSON.stringify({ conformance: report }) + '\n');
  if (report.some((r) => r.started && !r.passed)) process.exit(1);
  if (!report.some((r) => r.started)) process.exit(2);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
