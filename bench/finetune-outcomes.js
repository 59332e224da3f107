#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:finetune`: what each way of adapting the base model achieves, measured on
 * the course's held-out sets on this machine.
 *
 *   extract-fields  the repeated structured task, every method at one budget (--structured-iters,
 *                   2,000 by default: adapters need more steps than full fine-tuning, and the
 *                   comparison is only fair at equal training): base prompted few-shot · full ·
 *                   full from random weights · LoRA with the token embedding adapted (1.83% of
 *                   the parameters) · the same adapters on a 4-bit and on an 8-bit base (QLoRA)
 *   qa-terms        base (few-shot) vs LoRA-tuned: word F1 against the reference definitions;
 *                   full fine-tuning of the base and of a randomly initialised model
 *   sentiment       classification head on the frozen base vs on a random body
 *   domain          continued pretraining: domain and general perplexity before/after
 *
 * Writes bench/results/finetune-outcomes.json after every stage (a stage that is already
 * there is skipped, so an interrupted run continues; --fresh starts over). Each stage records
 * beside its figures the command that ran it, the toolkit's version and commit, the backend,
 * the BLAS and its threads, and the machine (`recordedWith`). Each save merges
 * into what the file holds, so two runs with different --only stages can share one file (one
 * per core: a stage trains on one thread). --save-adapters also writes the tuned adapters into
 * data/checkpoints/ (how the shipped ones were made).
 *
 *   npm run build && node bench/finetune-outcomes.js --only extractLoraEmbedding,extractQlora
 *   LLM_LAB_BLAS_THREADS=1 npm run bench:finetune -- --save-adapters
 *
 * The README's figures at the command's default budget come from
 *   node bench/finetune-outcomes.js --structured-iters 300 --out bench/results/finetune-outcomes-300.json \
 *     --only extractFull,extractRandomInitFull,extractLoraEmbedding
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: path.join(__dirname, '..', 'data', 'checkpoints', 'base') },
    iters: { type: 'string', default: '300' },
    'structured-iters': { type: 'string', default: '2000' },
    eval: { type: 'string', default: '40' },
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
  const structuredIters = Number(args['structured-iters']);
  const evalCount = Number(args.eval);
  const batchSize = Number(args['batch-size']);
  // Every training run of the bench starts from this seed (the results record it once).
  const seed = 1337;
  const commandLine = ['node', path.relative(process.cwd(), process.argv[1]), ...process.argv.slice(2)].join(' ');
  // The build and the BLAS are read once, before any stage runs: a commit made while a long
  // run goes on must not be credited with figures the earlier build produced.
  const environment = lab.recordedEnvironment();
  const readResults = () => (fs.existsSync(args.out) ? JSON.parse(fs.readFileSync(args.out, 'utf8')) : {});
  const results = args.fresh ? {} : readResults();
  results.conditions = { iters, structuredIters, batchSize, evalCount, seed, base: path.relative(process.cwd(), args.base), backend: lab.tf.getBackend() };
  // Read again and merge just before writing: another run may have added its stages meanwhile.
  // The file is replaced by a rename, so a reader never sees half of it.
  const save = () => {
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    const merged = { ...readResults(), ...results };
    fs.writeFileSync(`${args.out}.tmp`, JSON.stringify(merged, null, 2) + '\n');
    fs.renameSync(`${args.out}.tmp`, args.out);
  };
  const stage = async (name, run) => {
    if (args.only && !args.only.split(',').includes(name)) return;
    if (results[name]) return console.error(`${name}: already measured (use --fresh to measure again)`);
    console.error(`\n== ${name}`);
    const started = Date.now();
    // Each stage says what made it: stages from separate runs can share the file, so the
    // command, the build and the BLAS are recorded per stage, not once for the file.
    const recordedWith = { command: commandLine, ...environment, recordedAt: new Date().toISOString() };
    results[name] = { ...(await run()), seconds: (Date.now() - started) / 1000, recordedWith };
    console.error(JSON.stringify(results[name]));
    save();
  };
  const loadBase = () => lab.loadCheckpoint(args.base);
  // The base's shape and tokenizer with fresh random weights: what pretraining gave, taken away.
  const loadRandomInit = () => {
    const { model: base, tokenizer } = loadBase();
    const model = new lab.GPT(base.config, { seed: 2024 });
    base.dispose();
    return { model, tokenizer };
  };
  const data = (name, split) => lab.readInstructionDataset(lab.courseDatasetPath(name, split));
  const progress = () => ({ onEval: (e) => console.error(`  iter ${e.iter}: train ${e.trainLoss.toFixed(3)}, val ${e.valLoss.toFixed(3)}`) });
  const summary = (evaluation) => ({ exactMatch: evaluation.exactMatch, fieldAccuracy: evaluation.fieldAccuracy, f1: evaluation.f1, examples: evaluation.rows.slice(0, 3).map((r) => ({ reference: r.reference, answer: r.answer })) });

  // --- extract-fields: the repeated structured task -------------------------------------------
  // Every method trains for the same number of iterations (structuredIters), from the same
  // seed; full fine-tuning at lr 1e-3, adapters at 2e-2 (they start from zero).
  const extractTrain = data('extract-fields', 'train');
  const extractTest = data('extract-fields', 'test').slice(0, evalCount);
  const tune = async (method, model, tokenizer, extra = {}) => {
    const lr = method === 'full' ? 1e-3 : 2e-2;
    const started = Date.now();
    const run = await lab.finetune({ model, tokenizer, method, train: extractTrain, val: extractTest, iters: structuredIters, batchSize, lr, evalInterval: 100, evalIters: 2, seed, callbacks: progress(), baseCheckpoint: args.base, ...extra });
    const evaluation = lab.evaluateAnswers(model, tokenizer, extractTest);
    return {
      iters: structuredIters,
      lr,
      trainableParameters: run.trainableParameters,
      trainablePercent: run.trainablePercent,
      valLoss: run.training.finalValLoss,
      tokensPerSecond: run.training.tokensPerSecond,
      trainingSeconds: (Date.now() - started) / 1000,
      weightBytes: run.memory.held,
      floatWeightBytes: run.memory.model.float32,
      ...summary(evaluation),
    };
  };
  await stage('extractBaseFewShot', async () => {
    const { model, tokenizer } = loadBase();
    const evaluation = lab.evaluateAnswers(model, tokenizer, extractTest, { prompting: 'few-shot', examples: extractTrain.slice(0, 3), shots: 3 });
    const shots = lab.fewShotAnswer(model, tokenizer, extractTrain.slice(0, 3), lab.splitRequest(extractTest[0]).request, { shots: 3 }).shots;
    return { shots, ...summary(evaluation) };
  });
  await stage('extractFull', async () => {
    const { model, tokenizer } = loadBase();
    return tune('full', model, tokenizer);
  });
  await stage('extractRandomInitFull', async () => {
    const { model, tokenizer } = loadRandomInit();
    return tune('full', model, tokenizer);
  });
  // LoRA at 1.83% of the model: rank 1 on attn + mlp, and rank 8 on the token embedding (which
  // this GPT also uses as its output head; adapters on the linear layers alone do not learn
  // this task: README, "What each way of adapting the base achieves").
  const loraEmbedding = { rank: 1, alpha: 2, dropout: 0, targets: ['attn', 'mlp'], embeddingRank: 8 };
  await stage('extractLoraEmbedding', async () => {
    const { model, tokenizer } = loadBase();
    const result = { lora: loraEmbedding, ...(await tune('lora', model, tokenizer, { lora: loraEmbedding, out: savedAt('extract-fields-lora') })) };
    keepOnlyAdapters(savedAt('extract-fields-lora'));
    return result;
  });
  for (const bits of [4, 8]) {
    await stage(bits === 4 ? 'extractQlora' : 'extractQlora8', async () => {
      const { model, tokenizer } = loadBase();
      return { lora: loraEmbedding, bits, ...(await tune('qlora', model, tokenizer, { lora: loraEmbedding, bits })) };
    });
  }

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
    const run = await lab.finetune({ model, tokenizer, method: 'lora', lora: qaLora, train: qaTrain, val: qaTest, iters, batchSize, lr: 1e-2, evalInterval: 50, evalIters: 2, seed, callbacks: progress(), baseCheckpoint: args.base, out: savedAt('qa-terms-lora') });
    keepOnlyAdapters(savedAt('qa-terms-lora'));
    return { lora: qaLora, trainablePercent: run.trainablePercent, valLoss: run.training.finalValLoss, ...summary(lab.evaluateAnswers(model, tokenizer, qaTest)) };
  });
  // Does pretraining matter where the answers are knowledge? The same full fine-tuning of the
  // base and of a randomly initialised model (the definitions are in the base's corpus, and
  // in the training answers; the held-out questions are worded as training never words them).
  const qaFull = async (model, tokenizer) => {
    const lr = 1e-3;
    const run = await lab.finetune({ model, tokenizer, method: 'full', train: qaTrain, val: qaTest, iters, batchSize, lr, evalInterval: 50, evalIters: 2, seed, callbacks: progress() });
    return { iters, lr, valLoss: run.training.finalValLoss, ...summary(lab.evaluateAnswers(model, tokenizer, qaTest)) };
  };
  await stage('qaFull', async () => {
    const { model, tokenizer } = loadBase();
    return qaFull(model, tokenizer);
  });
  await stage('qaRandomInitFull', async () => {
    const { model, tokenizer } = loadRandomInit();
    return qaFull(model, tokenizer);
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
    const { model, tokenizer } = loadRandomInit();
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
