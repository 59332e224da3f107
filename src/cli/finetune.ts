/**
 * `llm-lab finetune` and `llm-lab chat`: instruction-tune a checkpoint (full, LoRA or QLoRA)
 * and talk to the result. Each is a few calls of the public API (`finetune`,
 * `evaluateAnswers`, `loadFinetuned`, `answerRequest`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { type Command, Option } from 'commander';
import { initBackend } from '../backend';
import { type Conversation, courseCheckpointPath, parseFieldList, readInstructionDataset } from '../data';
import {
  type FinetuneMethod,
  answerRequest,
  evaluateAnswers,
  finetune,
  loadFinetuned,
  type LinearTarget,
  trainableShare,
} from '../finetune';
import { countParameters, loadCheckpoint } from '../model';
import { terminalProgress } from '../train';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from './args';

interface FinetuneFlags {
  checkpoint?: string;
  method: FinetuneMethod;
  data: string;
  test?: string;
  out: string;
  rank: number;
  alpha: number;
  embeddingRank: number;
  loraDropout: number;
  targets: string;
  bits: string;
  iters: number;
  batchSize: number;
  lr?: number;
  maskPrompt: boolean;
  evalInterval: number;
  evalExamples: number;
  seed: number;
  backend?: string;
}

interface ChatFlags {
  checkpoint: string;
  maxTokens: number;
  backend?: string;
}

/** The learning rate each method usually wants: adapters start at zero and need bigger steps. */
const DEFAULT_LR: Record<FinetuneMethod, number> = { full: 1e-3, lora: 1e-2, qlora: 1e-2 };

export function registerFinetuneCommands(program: Command): void {
  program
    .command('finetune')
    .description('instruction-tune a checkpoint on a JSONL file of conversations (full, LoRA or QLoRA), then evaluate it on held-out ones')
    .option('--checkpoint <dir>', 'the pretrained checkpoint to start from (default: the course\'s base model, data/checkpoints/base)')
    .requiredOption('--data <file>', 'JSONL training conversations: {"instruction","input","output"} or {"messages":[…]}')
    .requiredOption('--out <dir>', 'where to save the result (the model for full, the adapters for lora and qlora)')
    .addOption(new Option('--method <name>', 'what trains').choices(['full', 'lora', 'qlora']).default('lora'))
    .option('--test <file>', 'held-out conversations to evaluate on (default: the data file\'s .test.jsonl sibling, if there is one)')
    .option('--rank <r>', 'LoRA rank', positiveInt, 8)
    .option('--alpha <a>', 'LoRA alpha (scaling = alpha / rank)', positiveNumber, 16)
    .option('--embedding-rank <r>', 'LoRA: rank of a change to the token embedding, which is also the output head (0: frozen)', nonNegativeInt, 0)
    .option('--lora-dropout <p>', 'dropout on the adapters\' input', nonNegativeNumber, 0)
    .option('--targets <list>', 'layers that get adapters: attn, mlp, c_attn, c_proj, c_fc, all, or full names, comma-separated', 'attn,mlp')
    .addOption(new Option('--bits <n>', 'bits of the quantized base (qlora)').choices(['4', '8']).default('4'))
    .option('--iters <n>', 'training iterations', positiveInt, 300)
    .option('--batch-size <n>', 'conversations per batch', positiveInt, 16)
    .option('--lr <x>', 'peak learning rate (default: 1e-3 for full, 1e-2 for lora and qlora)', positiveNumber)
    .option('--no-mask-prompt', 'count the prompt tokens in the loss too (by default only the answer counts)')
    .option('--eval-interval <n>', 'iterations between loss estimates and checkpoints', positiveInt, 100)
    .option('--eval-examples <n>', 'held-out conversations to answer at the end (0: skip)', nonNegativeInt, 40)
    .option('--seed <n>', 'random seed', nonNegativeInt, 1337)
    .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(['tensorflow', 'webgpu', 'wasm', 'cpu']))
    .action(async (opts: FinetuneFlags) => {
      const backend = await initBackend({ backend: opts.backend });
      console.error(`Backend: ${backend.name} (${backend.device})`);
      const checkpoint = opts.checkpoint ?? courseCheckpointPath('base');
      const trainSet = readInstructionDataset(opts.data);
      const testFile = opts.test ?? siblingTestFile(opts.data);
      const testSet = testFile ? readInstructionDataset(testFile) : [];
      const { model, tokenizer } = loadCheckpoint(checkpoint);
      const bits = Number(opts.bits) as 4 | 8;
      const progress = terminalProgress();
      const run = await finetune({
        model,
        tokenizer,
        method: opts.method,
        train: trainSet,
        val: testSet.length > 0 ? testSet : undefined,
        lora: { rank: opts.rank, alpha: opts.alpha, embeddingRank: opts.embeddingRank, dropout: opts.loraDropout, targets: opts.targets.split(',').map((t) => t.trim()) as LinearTarget[] },
        bits,
        maskPrompt: opts.maskPrompt,
        iters: opts.iters,
        batchSize: opts.batchSize,
        lr: opts.lr ?? DEFAULT_LR[opts.method],
        evalInterval: opts.evalInterval,
        evalIters: 4,
        seed: opts.seed,
        out: opts.out,
        baseCheckpoint: checkpoint,
        callbacks: {
          ...progress,
          onStart: (info) => {
            // every base weight, quantized ones included (QLoRA takes those out of model.params)
            console.error(describeRun(opts, checkpoint, countParameters(model.config), info.parameters, trainSet.length, testFile));
            progress.onStart?.(info);
          },
        },
      });
      const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
      const rows = run.trainableTokens ? `, including the embedding rows of ${run.trainableTokens.tokenIds.length} chat markers the base never read` : '';
      console.log(`\nFine-tuned with ${opts.method}: ${run.trainableParameters.toLocaleString('en-US')} trainable parameters (${run.trainablePercent.toFixed(2)}% of the model${rows}).`);
      console.log(`Weights held: ${mb(run.memory.held)} (all float32: ${mb(run.memory.model.float32)}; int8: ${mb(run.memory.model.int8)}; nf4: ${mb(run.memory.model.nf4)}).`);
      if (run.truncatedExamples > 0) console.log(`${run.truncatedExamples} training conversations were longer than the context and cut.`);
      console.log(`Saved to ${opts.out}. Talk to it: llm-lab chat --checkpoint ${opts.out} "…"`);
      if (opts.evalExamples > 0 && testSet.length > 0) {
        printEvaluation(testSet.slice(0, opts.evalExamples), (held) => {
          const tuned = evaluateAnswers(model, tokenizer, held, { onAnswer: progressDots('tuned') });
          const base = loadCheckpoint(checkpoint);
          const before = evaluateAnswers(base.model, base.tokenizer, held, {
            prompting: 'few-shot',
            examples: trainSet.slice(0, 3),
            onAnswer: progressDots('base, few-shot'),
          });
          base.model.dispose();
          return { tuned, before };
        });
      }
    });

  program
    .command('chat')
    .description('answer requests with an instruction-tuned model (from the arguments, or one per line from standard input)')
    .argument('[requests...]', 'requests to answer; without any, reads them from standard input')
    .requiredOption('--checkpoint <dir>', 'a fine-tuned folder (full, lora or qlora) or a checkpoint')
    .option('--max-tokens <n>', 'the longest answer, in tokens', positiveInt, 64)
    .addOption(new Option('--backend <name>', 'force a tfjs backend').choices(['tensorflow', 'webgpu', 'wasm', 'cpu']))
    .action(async (requests: string[], opts: ChatFlags) => {
      await initBackend({ backend: opts.backend });
      const { model, tokenizer, info } = loadFinetuned(opts.checkpoint);
      if (!info) console.error('(This checkpoint was not instruction-tuned: expect it to continue your text rather than answer it.)');
      const reply = (request: string): void => {
        console.log(answerRequest(model, tokenizer, request, { maxNewTokens: opts.maxTokens }));
      };
      if (requests.length > 0) {
        requests.forEach(reply);
        return;
      }
      const lines = readline.createInterface({ input: process.stdin, terminal: false });
      if (process.stdin.isTTY) console.error('Type a request and press Enter; Ctrl-D to quit.');
      for await (const line of lines) if (line.trim() !== '') reply(line.trim());
    });
}

/** `data/qa.train.jsonl` → `data/qa.test.jsonl`, when that file exists. */
function siblingTestFile(data: string): string | undefined {
  if (!/\.train\.jsonl$/.test(data)) return undefined;
  const candidate = data.replace(/\.train\.jsonl$/, '.test.jsonl');
  return fs.existsSync(candidate) ? candidate : undefined;
}

function describeRun(opts: FinetuneFlags, checkpoint: string, modelParameters: number, trainable: number, examples: number, testFile: string | undefined): string {
  const method =
    opts.method === 'full'
      ? 'full fine-tuning (every weight trains)'
      : `${opts.method === 'qlora' ? `QLoRA (base in ${opts.bits} bits) ` : 'LoRA '}rank ${opts.rank}, alpha ${opts.alpha} on ${opts.targets}${opts.embeddingRank > 0 ? ` and the token embedding (rank ${opts.embeddingRank})` : ''}`;
  return (
    `Fine-tuning ${path.basename(path.resolve(checkpoint))} with ${method}: ` +
    `${trainable.toLocaleString('en-US')} of ${modelParameters.toLocaleString('en-US')} base parameters train ` +
    `(${trainableShare(trainable, modelParameters, opts.method).toFixed(2)}%). ${examples} conversations from ${opts.data}` +
    `${testFile ? `, held out: ${testFile}` : ''}; loss on ${opts.maskPrompt ? 'the answers only' : 'every token'}.`
  );
}

function progressDots(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (done === 1) process.stderr.write(`Answering ${total} held-out requests (${label}) `);
    process.stderr.write('.');
    if (done === total) process.stderr.write('\n');
  };
}

function printEvaluation(
  held: readonly Conversation[],
  run: (held: readonly Conversation[]) => { tuned: ReturnType<typeof evaluateAnswers>; before: ReturnType<typeof evaluateAnswers> },
): void {
  const { tuned, before } = run(held);
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  // "fields right" only means something when the answers are `key=value` lists (extract-fields);
  // for free-text answers it would be a column of zeros.
  const fields = tuned.rows.some((row) => parseFieldList(row.reference).size > 0);
  const row = (name: string, e: typeof tuned): string => `| ${name} | ${pct(e.exactMatch)} |${fields ? ` ${pct(e.fieldAccuracy)} |` : ''} ${pct(e.f1)} |`;
  console.log(`\nHeld-out evaluation (${held.length} requests)`);
  console.log(fields ? '| model | exact match | fields right | word F1 |' : '| model | exact match | word F1 |');
  console.log(fields ? '| --- | --- | --- | --- |' : '| --- | --- | --- |');
  console.log(row('base, few-shot prompt', before));
  console.log(row('fine-tuned', tuned));
  console.log('\nSide by side:');
  for (let i = 0; i < Math.min(3, held.length); i++) {
    const t = tuned.rows[i]!;
    console.log(`  request:    ${JSON.stringify(t.request)}`);
    console.log(`  expected:   ${JSON.stringify(t.reference)}`);
    console.log(`  base:       ${JSON.stringify(before.rows[i]!.answer)}`);
    console.log(`  fine-tuned: ${JSON.stringify(t.answer)}\n`);
  }
}
