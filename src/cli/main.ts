/**
 * The `llm-lab` command: a thin shell over the public API. Every command here is a few
 * lines that parse flags and call the same functions a notebook calls.
 */
import { Command, CommanderError, Option } from 'commander';
import { initBackend } from '../backend';
import { CHAT_SPECIAL_TOKENS } from '../finetune';
import { generate, nextTokenDistribution } from '../generate';
import { GPT_PRESETS, loadCheckpoint } from '../model';
import { RECORDED_RUN_RECIPES, recordRun, recordedRunRecipe } from '../recorded';
import { type TokenizerChoice, pretrain, terminalProgress } from '../train';
import { version } from '../version';
import { nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber, probability } from './args';
import { doctor, formatDoctor } from './doctor';
import { registerDecideCommand } from './decide';
import { registerFinetuneCommands } from './finetune';
import { registerGradingCommands } from './grading';
import { registerLessonsCommand } from './lessons';

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // usage already printed
    console.error(`llm-lab: ${(error as Error).message ?? String(error)}`);
    if (process.env['LLM_LAB_DEBUG']) console.error((error as Error).stack);
    return 1;
  }
}

function buildProgram(): Command {
  const program = new Command('llm-lab')
    .description('Build, pretrain and fine-tune small language models.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const backendOption = () =>
    new Option('--backend <name>', 'force a tfjs backend (default: fastest that works, or LLM_LAB_BACKEND)').choices([
      'tensorflow',
      'webgpu',
      'wasm',
      'cpu',
    ]);

  program
    .command('doctor')
    .description('show the backend in use and why, versions, and what is missing')
    .option('--json', 'print the report as JSON')
    .addOption(backendOption())
    .action(async (opts: { json?: boolean; backend?: string }) => {
      const report = await doctor({ backend: opts.backend });
      console.log(opts.json ? JSON.stringify(report, null, 2) : await formatDoctor(report));
    });

  program
    .command('pretrain')
    .description('pretrain a GPT on a text file by next-token prediction')
    .requiredOption('--corpus <file>', 'UTF-8 text file to learn from')
    .requiredOption('--out <dir>', 'checkpoint folder (written as training goes)')
    .addOption(new Option('--tokenizer <kind>', 'tokenizer').choices(['char', 'bpe', 'gpt2']).default('char'))
    .option('--bpe-vocab <n>', 'vocabulary size of a BPE tokenizer', positiveInt, 512)
    .option('--chat-tokens', 'reserve the chat template markers (<|user|>, <|assistant|>, …) as BPE special tokens, for a base model to instruction-tune later')
    .addOption(new Option('--preset <name>', 'model size').choices(Object.keys(GPT_PRESETS)).default('baby'))
    .option('--block-size <n>', 'context length (overrides the preset)', positiveInt)
    .option('--dropout <p>', 'dropout rate (overrides the preset)', nonNegativeNumber)
    .option('--iters <n>', 'training iterations', positiveInt, 2000)
    .option('--batch-size <n>', 'windows per batch (nanoGPT\'s CPU recipe: 12)', positiveInt, 16)
    .option('--lr <x>', 'peak learning rate', positiveNumber, 1e-3)
    .option('--min-lr <x>', 'final learning rate (default: lr / 10)', nonNegativeNumber)
    .option('--warmup <n>', 'warmup iterations (default: min(100, iters / 10))', nonNegativeInt)
    .option('--weight-decay <x>', 'AdamW weight decay', nonNegativeNumber, 0.1)
    .option('--grad-clip <x>', 'maximum gradient norm (0: off)', nonNegativeNumber, 1)
    .option('--eval-interval <n>', 'iterations between loss estimates and checkpoints', positiveInt, 250)
    .option('--eval-iters <n>', 'batches per loss estimate', positiveInt, 20)
    .option('--seed <n>', 'random seed', nonNegativeInt, 1337)
    .option('--resume', 'continue the training saved in --out')
    .addOption(backendOption())
    .action(async (opts: PretrainFlags) => {
      const backend = await initBackend({ backend: opts.backend });
      console.error(`Backend: ${backend.name} (${backend.device})`);
      const overrides = {
        ...(opts.blockSize !== undefined ? { blockSize: opts.blockSize } : {}),
        ...(opts.dropout !== undefined ? { dropout: opts.dropout } : {}),
      };
      const { model, tokenizer } = await pretrain({
        corpus: opts.corpus,
        out: opts.out,
        tokenizer: opts.tokenizer,
        bpeVocabSize: opts.bpeVocab,
        specialTokens: opts.chatTokens ? CHAT_SPECIAL_TOKENS : [],
        preset: opts.preset as keyof typeof GPT_PRESETS,
        modelOverrides: overrides,
        iters: opts.iters,
        batchSize: opts.batchSize,
        lr: opts.lr,
        minLr: opts.minLr,
        warmupIters: opts.warmup,
        weightDecay: opts.weightDecay,
        gradClip: opts.gradClip,
        evalInterval: opts.evalInterval,
        evalIters: opts.evalIters,
        seed: opts.seed,
        resume: opts.resume,
        callbacks: terminalProgress(),
      });
      console.error(`Saved to ${opts.out} (${tokenizer.kind} tokenizer, vocabulary ${tokenizer.vocabSize}, ${model.numParameters()} parameters).`);
    });

  program
    .command('record <name>')
    .description(`run a recorded run's recipe and rewrite its folder in data/recorded/ (the runs: ${Object.keys(RECORDED_RUN_RECIPES).join(', ')})`)
    .option('--dir <dir>', 'folder of recorded runs (default: the course\'s data/recorded)')
    .option('--iters <n>', 'fewer iterations than the recipe, to try the command (a lesson wants the full run)', positiveInt)
    .addOption(backendOption())
    .action(async (name: string, opts: { dir?: string; iters?: number; backend?: string }) => {
      const recipe = recordedRunRecipe(name);
      const backend = await initBackend({ backend: opts.backend });
      console.error(`Recording '${name}': ${recipe.description}\nBackend: ${backend.name} (${backend.device})`);
      const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
      const log = await recordRun(name, {
        dir: opts.dir,
        iters: opts.iters,
        callbacks: recipe.kind === 'sweep' ? undefined : terminalProgress(),
        onAnswers: (a) => console.error(`  held-out answers at iteration ${a.iter}: ${percent(a.fieldAccuracy)} of fields right, ${percent(a.exactMatch)} exact`),
        onPoint: (p, done, total) =>
          console.error(
            `  [${done}/${total}] from ${p.init}, ${p.rowsPerAnswer} row(s) per answer (${p.trainRows} rows), seed ${p.seed}: ` +
              `${percent(p.exactMatch)} exact, word F1 ${p.f1.toFixed(3)} (${Math.round(p.trainSeconds)} s)`,
          ),
      });
      if (log.kind === 'sweep') {
        console.error(`Recorded the sweep '${name}' in ${Math.round(log.wallSeconds)} s: ${log.points.length} fine-tunings, in ${opts.dir ?? 'data/recorded'}/${name}.`);
        return;
      }
      const last = log.answers?.at(-1);
      console.error(
        `Recorded '${name}' in ${Math.round(log.wallSeconds)} s: validation loss ${log.finalValLoss.toFixed(3)}, ` +
          (last ? `${percent(last.fieldAccuracy)} of held-out fields right, ` : '') +
          `${Math.round(log.tokensPerSecond).toLocaleString('en-US')} tokens/s, in ${opts.dir ?? 'data/recorded'}/${name}.`,
      );
    });

  program
    .command('sample')
    .description('continue a prompt with a trained model, or show its next-token odds (--top)')
    .requiredOption('--checkpoint <dir>', 'checkpoint folder')
    .requiredOption('--prompt <text>', 'text to continue')
    .option('--tokens <n>', 'new tokens to generate', nonNegativeInt, 200)
    .option('--temperature <x>', 'divide logits by this before sampling', positiveNumber, 1)
    .option('--top-k <k>', 'sample only from the k most likely tokens', positiveInt)
    .option('--top-p <p>', 'sample only from the smallest set of tokens with this total probability', probability)
    .option('--greedy', 'always take the most likely token')
    .option('--seed <n>', 'random seed', nonNegativeInt, 0)
    .option('--top <n>', 'instead of generating, show the n most likely next tokens', positiveInt)
    .addOption(backendOption())
    .action(async (opts: SampleFlags) => {
      await initBackend({ backend: opts.backend });
      const { model, tokenizer } = loadCheckpoint(opts.checkpoint);
      if (opts.top !== undefined) {
        const rows = nextTokenDistribution(model, tokenizer, opts.prompt, { top: opts.top, temperature: opts.temperature });
        console.log(`Next-token probabilities after ${JSON.stringify(opts.prompt)}:`);
        for (const row of rows) {
          const bar = '█'.repeat(Math.round(row.probability * 40));
          console.log(`  ${JSON.stringify(row.text).padEnd(12)} ${row.probability.toFixed(4)}  ${bar}`);
        }
        return;
      }
      process.stdout.write(opts.prompt);
      // Stream tokens as they come; decode the whole continuation at the end for multi-byte tokens.
      const ids = generate(model, tokenizer.encode(opts.prompt), {
        maxNewTokens: opts.tokens,
        temperature: opts.temperature,
        topK: opts.topK,
        topP: opts.topP,
        greedy: opts.greedy,
        seed: opts.seed,
        onToken: tokenizer.kind === 'char' ? (t) => process.stdout.write(tokenizer.decode([t])) : undefined,
      });
      if (tokenizer.kind !== 'char') process.stdout.write(tokenizer.decode(ids));
      process.stdout.write('\n');
    });

  registerLessonsCommand(program);
  registerDecideCommand(program);
  registerFinetuneCommands(program);
  registerGradingCommands(program);

  return program;
}

interface PretrainFlags {
  corpus: string;
  out: string;
  tokenizer: TokenizerChoice;
  bpeVocab: number;
  chatTokens?: boolean;
  preset: string;
  blockSize?: number;
  dropout?: number;
  iters: number;
  batchSize: number;
  lr: number;
  minLr?: number;
  warmup?: number;
  weightDecay: number;
  gradClip: number;
  evalInterval: number;
  evalIters: number;
  seed: number;
  resume?: boolean;
  backend?: string;
}

interface SampleFlags {
  checkpoint: string;
  prompt: string;
  tokens: number;
  temperature: number;
  topK?: number;
  topP?: number;
  greedy?: boolean;
  seed: number;
  top?: number;
  backend?: string;
}
