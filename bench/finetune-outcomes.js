#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:finetune`: what each way of adapting the base model achieves, measured on
 * the course's held-out sets in one run on this machine.
 *
 *   extract-fields  base prompted few-shot · full · LoRA (≤ 2% of the parameters, rank 8, and with the
 *                   token embedding adapted) · QLoRA
 *                   (4-bit base) · full fine-tuning of a randomly initialised model
 *   qa-terms        base (few-shot) vs LoRA-tuned: word F1 against the reference definitions
 *   sentiment       classification head on the frozen base vs on a random body
 *   domain          continued pretraining: domain and general perplexity before/after
 *
 * Writes bench/results/finetune-outcomes.json after every stage (a stage that is already
 * there is skipped, so an interrupted run continues; --fresh starts over). --save-adapters
 * also writes the tuned LoRA adapters into data/checkpoints/ (how the shipped ones were made).
 *
 *   npm run build && node bench/finetune-outcomes.js --iters 300 --eval 40
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: path.join(__dirname, '..', 'data', 'checkpoints', 'base') },
    iters: { type: 'string', default: '300' },
    eval: { type: 'string', default: '50' },
    'batch-size': { type: 'string', default: '16' },
    out: { type: 'string', default: path.join(__dirname, 'results', 'finetune-outcomes.json') },
    'save-adapters': { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

async function main() {
  const lab = require('../dist');
  await lab.initBackend({});
  const iters = Number(args.iters);
  const evalCount = Number(args.eval);
  const batchSize = Number(args['batch-size']);
  const results = !args.fresh && fs.existsSync(args.out) ? JSON.parse(fs.readFileSync(args.out, 'utf8')) : {};
  results.conditions = { iters, batchSize, evalCount, base: path.relative(process.cwd(), args.base), backend: lab.tf.getBackend() };
  const save = () => {
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
  };
  const stage = async (name, run) => {
    if (args.only && !args.only.split(',').includes(name)) return;
    if (results[name]) return console.error(`${name}: already measured (use --fresh to measure again)`);
    console.error(`\n== ${name}`);
    const started = Date.now();
    results[name] = { ...(await run()), seconds: (Date.now() - started) / 1000 };
    console.error(JSON.stringify(results[name]));
    save();
  };
  const loadBase = () => lab.loadCheckpoint(args.base);
  const data = (name, split) => lab.readInstructionDataset(lab.courseDatasetPath(name, split));
  const progress = () => ({ onEval: (e) => console.error(`  iter ${e.iter}: train ${e.trainLoss.toFixed(3)}, val ${e.valLoss.toFixed(3)}`) });
  const summary = (evaluation) => ({ exactMatch: evaluation.exactMatch, fieldAccuracy: evaluation.fieldAccuracy, f1: evaluation.f1, examples: evaluation.rows.slice(0, 3).map((r) => ({ reference: r.reference, answer: r.answer })) });

  // --- extract-fields: the repeated structured task -------------------------------------------
  const extractTrain = data('extract-fields', 'train');
  const extractTest = data('extract-fields', 'test').slice(0, evalCount);
  const tune = async (method, model, tokenizer, extra = {}) => {
    const lr = method === 'full' ? 1e-3 : 2e-2;
    const run = await lab.finetune({ model, tokenizer, method, train: extractTrain, val: extractTest, iters, batchSize, lr, evalInterval: 50, evalIters: 2, seed: 1337, callbacks: progress(), baseCheckpoint: args.base, ...extra });
    const evaluation = lab.evaluateAnswers(model, tokenizer, extractTest);
    return { run, evaluation };
  };
  await stage('extractBaseFewShot', async () => {
    const { model, tokenizer } = loadBase();
    const evaluation = lab.evaluateAnswers(model, tokenizer, extractTest, { prompting: 'few-shot', examples: extractTrain.slice(0, 3), shots: 3 });
    const shots = lab.fewShotAnswer(model, tokenizer, extractTrain.slice(0, 3), lab.splitRequest(extractTest[0]).request, { shots: 3 }).shots;
    return { shots, ...summary(evaluation) };
  });
  await stage('extractFull', async () => {
    const { model, tokenizer } = loadBase();
    const { run, evaluation } = await tune('full', model, tokenizer);
    return { trainablePercent: run.trainablePercent, valLoss: run.training.finalValLoss, tokensPerSecond: run.training.tokensPerSecond, ...summary(evaluation) };
  });
  const lora = { rank: 2, alpha: 4, dropout: 0, targets: ['attn', 'mlp'] };
  await stage('extractLora', async () => {
    const { model, tokenizer } = loadBase();
    const { run, evaluation } = await tune('lora', model, tokenizer, { lora, out: savedAt('extract-fields-lora') });
    keepOnlyAdapters(savedAt('extract-fields-lora'));
    return { lora, trainableParameters: run.trainableParameters, trainablePercent: run.trainablePercent, valLoss: run.training.finalValLoss, tokensPerSecond: run.training.tokensPerSecond, ...summary(evaluation) };
  });
  await stage('extractLoraRank8', async () => {
    const { model, tokenizer } = loadBase();
    const wide = { rank: 8, alpha: 16, dropout: 0, targets: ['attn', 'mlp'] };
    const { run, evaluation } = await tune('lora', model, tokenizer, { lora: wide });
    return { lora: wide, trainableParameters: run.trainableParameters, trainablePercent: run.trainablePercent, valLoss: run.training.finalValLoss, ...summary(evaluation) };
  });
  // The same share of parameters, spent partly on the token embedding (the tied output head):
  // rank 1 on attn + mlp and rank 8 on the embedding, 1.83% of the model.
  const loraEmbedding = { rank: 1, alpha: 2, dropout: 0, targets: ['attn', 'mlp'], embeddingRank: 8 };
  await stage('extractLoraEmbedding', async () => {
    const { model, tokenizer } = loadBase();
    const { run, evaluation } = await tune('lora', model, tokenizer, { lora: loraEmbedding });
    return { lora: loraEmbedding, trainableParameters: run.trainableParameters, trainablePercent: run.trainablePercent, valLoss: run.training.finalValLoss, ...summary(evaluation) };
  });
  await stage('extractQlora', async () => {
    const { model, tokenizer } = loadBase();
    const { run, evaluation } = await tune('qlora', model, tokenizer, { lora, bits: 4 });
    return { lora, bits: 4, weightBytes: run.memory.held, floatWeightBytes: run.memory.model.float32, valLoss: run.training.finalValLoss, tokensPerSecond: run.training.tokensPerSecond, ...summary(evaluation) };
  });
  await stage('extractRandomInitFull', async () => {
    const { model: base, tokenizer } = loadBase();
    const model = new lab.GPT(base.config, { seed: 2024 });
    base.dispose();
    const { run, evaluation } = await tune('full', model, tokenizer);
    return { valLoss: run.training.finalValLoss, ...summary(evaluation) };
  });

  // --- qa-terms: answering requests at all ----------------------------------------------------
  const qaTrain = data('qa-terms', 'train');
  const qaTest = data('qa-terms', 'test').slice(0, evalCount);
  await stage('qaBaseFewShot', async () => {
    const { model, tokenizer } = loadBase();
    return summary(lab.evaluateAnswers(model, tokenizer, qaTest, { prompting: 'few-shot', examples: qaTrain.slice(0, 3) }));
  });
  await stage('qaLora', async () => {
    const { model, tokenizer } = loadBase();
    const qaLora = { rank: 8, alpha: 16, dropout: 0, targets: ['attn', 'mlp'] };
    const run = await lab.finetune({ model, tokenizer, method: 'lora', lora: qaLora, train: qaTrain, val: qaTest, iters, batchSize, lr: 1e-2, evalInterval: 50, evalIters: 2, seed: 1337, callbacks: progress(), baseCheckpoint: args.base, out: savedAt('qa-terms-lora') });
    keepOnlyAdapters(savedAt('qa-terms-lora'));
    return { lora: qaLora, trainablePercent: run.trainablePercent, valLoss: run.training.finalValLoss, ...summary(lab.evaluateAnswers(model, tokenizer, qaTest)) };
  });

  // --- sentiment: a classification head -------------------------------------------------------
  const sentiment = lab.readLabelledDataset(lab.courseDatasetPath('sentiment', 'train'));
  const sentimentTest = lab.readLabelledDataset(lab.courseDatasetPath('sentiment', 'test'));
  const classify = async (model, tokenizer) => {
    const classifier = new lab.SequenceClassifier(model, sentiment.labels, { seed: 1 });
    const { trainableParameters } = await lab.trainClassifier({ classifier, tokenizer, train: sentiment.examples, iters: 150, batchSize: 32, lr: 3e-3 });
    const predicted = classifier.predict(tokenizer, sentimentTest.examples.map((e) => e.text));
    const report = lab.classificationReport(sentiment.labels, sentimentTest.examples.map((e) => e.label), predicted);
    return { trainableParameters, accuracy: report.accuracy, macroF1: report.macroF1, confusion: report.confusion };
  };
  await stage('sentimentHeadOnBase', async () => {
    const { model, tokenizer } = loadBase();
    return classify(model, tokenizer);
  });
  await stage('sentimentHeadOnRandomBody', async () => {
    const { model: base, tokenizer } = loadBase();
    const model = new lab.GPT(base.config, { seed: 2024 });
    base.dispose();
    return classify(model, tokenizer);
  });

  // --- domain: continued pretraining ----------------------------------------------------------
  await stage('domainContinuedPretraining', async () => {
    const { model, tokenizer } = loadBase();
    const general = tokenizer.encode(lab.readTextCorpus(lab.baseCorpusPath));
    const { val: generalTest } = lab.splitTrainVal(general, { valFraction: 0.1 });
    const result = await lab.continuedPretraining({
      model,
      domainTrain: tokenizer.encode(lab.readTextCorpus(lab.courseDatasetPath('domain', 'train'))),
      domainTest: tokenizer.encode(lab.readTextCorpus(lab.courseDatasetPath('domain', 'test'))),
      generalTest,
      iters: Math.round(iters / 2),
      batchSize: 8,
      lr: 5e-4,
      evalInterval: 50,
      evalIters: 2,
      callbacks: progress(),
    });
    return { before: result.before, after: result.after, iters: Math.round(iters / 2) };
  });

  save();
  console.log(JSON.stringify(results, null, 2));
}

/** Where --save-adapters writes a tuned model (data/checkpoints/<name>), or nowhere. */
function savedAt(name) {
  return args['save-adapters'] ? path.join(__dirname, '..', 'data', 'checkpoints', name) : undefined;
}

/** The shipped adapters need no optimizer state: nobody resumes them. */
function keepOnlyAdapters(dir) {
  if (!dir) return;
  for (const file of ['optimizer.safetensors', 'trainer-state.json']) fs.rmSync(path.join(dir, file), { force: true });
  console.error(`  adapters saved to ${path.relative(process.cwd(), dir)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
