/**
 * Recorded runs: a run longer than a learner's patience, shipped with the course.
 *
 * A lesson shows what 2,000 iterations of pretraining or fine-tuning reach without making the
 * learner wait for them: the run was made once by a named recipe, its log (and, where a
 * lesson needs it, the trained checkpoint) ships in `data/recorded/<name>/`, and the lesson
 * loads it with one call that prints the exact command regenerating it:
 *
 *   const recorded = loadRecordedRun('shakespeare-baby');
 *   // Recorded run 'shakespeare-baby': … regenerate it with `npx llm-lab record shakespeare-baby`
 *
 *   npx llm-lab record shakespeare-baby     # runs the recipe again and rewrites the folder
 *
 * The recipe is code (`RECORDED_RUN_RECIPES`), so the command, the settings written beside
 * the results, and what the lesson says about them cannot drift apart. Every log also says
 * what made it: the toolkit's version and commit, the backend, whether the BLAS ran the
 * matrix products (and on how many threads), and the machine.
 *
 * Two kinds of recipe:
 * - `pretrain`: next-token prediction on a corpus; the log holds the loss of every step and
 *   the loss estimates; the trained checkpoint ships beside it.
 * - `finetune`: instruction fine-tuning of the course's base model on a course dataset; the
 *   log holds the losses and, every `answersInterval` iterations, how well the model answers
 *   the held-out requests (fields right, exact matches), so a lesson can plot quality against
 *   training, not only the loss.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentBackend, nativeMatMulActive, nativeMatMulStatus } from '../backend';
import { type CourseDatasetName, courseCheckpointPath, courseDataDirectory, courseDatasetPath, readInstructionDataset, tinyShakespearePath } from '../data';
import { type FinetuneMethod, type LoraConfig, evaluateAnswers, finetune } from '../finetune';
import { CHECKPOINT_FILES, type GPT, loadCheckpoint, readJson, writeFilesAtomically } from '../model';
import type { Tokenizer } from '../tokenizer';
import { type EvalInfo, type PretrainOptions, type TrainCallbacks, combineCallbacks, pretrain } from '../train';
import { version } from '../version';

/** Where the course's recorded runs live: one folder per run. */
export const recordedRunsDirectory: string = path.join(courseDataDirectory, 'recorded');

/** The file of a recorded run that holds its log and settings. */
export const RECORDED_RUN_FILE = 'run.json';

/** The weights a `finetune` recipe trains, by name: the linear layers' weights, at full rank. */
const LINEAR_WEIGHTS = /\.(c_attn|c_proj|c_fc)\.weight$/;

/** A pretraining recipe: what `llm-lab record <name>` runs. */
export interface PretrainRecipe {
  readonly kind: 'pretrain';
  readonly name: string;
  /** One line: what the run is and why a lesson shows it. */
  readonly description: string;
  /** The pretraining it runs (the corpus, tokenizer, model and training settings); `out` is the run's folder. */
  readonly pretrain: Omit<PretrainOptions, 'out' | 'callbacks'>;
}

/** What a `finetune` recipe runs: the course's base model tuned on a course dataset. */
export interface FinetuneRecipeSettings {
  /** The course dataset: its `train` split teaches, its `test` split is held out. */
  readonly dataset: CourseDatasetName;
  /**
   * `full` trains every weight; `linear` every linear layer's weight at full rank (embeddings
   * and layer norms frozen); `lora` the adapters `lora` describes.
   */
  readonly method: 'full' | 'linear' | 'lora';
  readonly lora?: LoraConfig;
  readonly iters: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /** Iterations between loss estimates. */
  readonly evalInterval: number;
  /** Batches per loss estimate. */
  readonly evalIters: number;
  /** Iterations between evaluations of the answers to the held-out requests (greedy). */
  readonly answersInterval: number;
  /** How many held-out requests (the first of the test split). */
  readonly evalExamples: number;
}

/** A fine-tuning recipe: what `llm-lab record <name>` runs. */
export interface FinetuneRecipe {
  readonly kind: 'finetune';
  readonly name: string;
  readonly description: string;
  readonly finetune: FinetuneRecipeSettings;
}

export type RecordedRunRecipe = PretrainRecipe | FinetuneRecipe;

/** The three ways of fine-tuning on extract-fields that lesson 05 compares, at one budget. */
const extractFields = {
  dataset: 'extract-fields',
  iters: 2000,
  batchSize: 16,
  seed: 1337,
  evalInterval: 100,
  evalIters: 2,
  answersInterval: 200,
  evalExamples: 40,
} as const;

/** The runs the course ships. */
export const RECORDED_RUN_RECIPES = {
  'shakespeare-baby': {
    kind: 'pretrain',
    name: 'shakespeare-baby',
    description:
      "The 'baby' GPT (4 layers, 4 heads, 128 wide, context 64) pretrained on the Shakespeare characters for 2,000 iterations: nanoGPT's CPU recipe, which lesson 02 runs a short piece of live.",
    pretrain: {
      corpus: tinyShakespearePath,
      tokenizer: 'char',
      preset: 'baby',
      iters: 2000,
      batchSize: 16,
      lr: 1e-3,
      evalInterval: 100,
      evalIters: 20,
      seed: 1337,
    },
  },
  'extract-full': {
    kind: 'finetune',
    name: 'extract-full',
    description: 'Full fine-tuning of the base model on extract-fields for 2,000 iterations (lr 1e-3): the reference lesson 05 holds LoRA against.',
    finetune: { ...extractFields, method: 'full', lr: 1e-3 },
  },
  'extract-lora-embedding': {
    kind: 'finetune',
    name: 'extract-lora-embedding',
    description:
      'LoRA on extract-fields for 2,000 iterations: rank 1 on attn + mlp and rank 8 on the token embedding, 1.83% of the model (lr 2e-2); the adapters shipped as data/checkpoints/extract-fields-lora.',
    finetune: { ...extractFields, method: 'lora', lora: { rank: 1, alpha: 2, dropout: 0, targets: ['attn', 'mlp'], embeddingRank: 8 }, lr: 2e-2 },
  },
  'extract-lora-linear': {
    kind: 'finetune',
    name: 'extract-lora-linear',
    description:
      'LoRA on the linear layers alone (rank 8 on attn + mlp, the usual recipe, plus the chat markers’ embedding rows) on extract-fields for 2,000 iterations (lr 2e-2): what lesson 05 shows failing.',
    finetune: { ...extractFields, method: 'lora', lora: { rank: 8, alpha: 16, dropout: 0, targets: ['attn', 'mlp'] }, lr: 2e-2 },
  },
  'extract-linear-full-rank': {
    kind: 'finetune',
    name: 'extract-linear-full-rank',
    description:
      'Every linear weight trained at full rank (84% of the model), the embeddings and layer norms frozen, on extract-fields for 2,000 iterations (lr 1e-3): is what LoRA on the linear layers lacks rank, or place?',
    finetune: { ...extractFields, method: 'linear', lr: 1e-3 },
  },
} as const satisfies Record<string, RecordedRunRecipe>;

export type RecordedRunName = keyof typeof RECORDED_RUN_RECIPES;

/** Where and with what a run was made: its numbers depend a little on the backend, its speed a lot on the machine. */
export interface RecordedRunEnvironment {
  /** The toolkit's version, and the git commit it was built from (`unknown` outside a clone; `+changes` when its sources had uncommitted edits). */
  readonly llmLab: string;
  readonly commit: string;
  readonly node: string;
  readonly backend: string;
  readonly device: string;
  /** Whether the BLAS ran the matrix products, and which library on how many threads. */
  readonly blasProducts: boolean;
  readonly blas: string;
  readonly cpus: number;
  readonly cpuModel: string;
}

/** How well a fine-tuned model answered the held-out requests at one iteration. */
export interface AnswersAt {
  readonly iter: number;
  /** Share of the answers' fields right (0–1). */
  readonly fieldAccuracy: number;
  /** Share of answers right in full (0–1). */
  readonly exactMatch: number;
  /** Mean word F1 against the reference answers (0–1). */
  readonly f1: number;
}

/** What a recorded run's `run.json` holds. */
export interface RecordedRunLog {
  readonly name: string;
  readonly kind: RecordedRunRecipe['kind'];
  readonly description: string;
  /** The command that made it (and makes it again). */
  readonly command: string;
  /** The recipe's settings, as run. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly environment: RecordedRunEnvironment;
  readonly recordedAt: string;
  readonly wallSeconds: number;
  /** Median training tokens per second over the run. */
  readonly tokensPerSecond: number;
  /** The training loss of every step. */
  readonly steps: readonly { readonly iter: number; readonly loss: number }[];
  /** The loss estimates, at every `evalInterval` and at the end. */
  readonly evals: readonly EvalInfo[];
  readonly finalTrainLoss: number;
  readonly finalValLoss: number;
  /** Whether the folder holds the trained checkpoint too. */
  readonly hasCheckpoint: boolean;
  /** `finetune` runs: numbers the optimizer updated, and their share of the model (%). */
  readonly trainableParameters?: number;
  readonly trainablePercent?: number;
  /** `finetune` runs: the held-out answers' scores over training (the last at the final iteration). */
  readonly answers?: readonly AnswersAt[];
  /** `finetune` runs: the first held-out requests with the final model's answers. */
  readonly examples?: readonly { readonly request: string; readonly reference: string; readonly answer: string }[];
}

/** A recorded run as a lesson uses it: its log, its folder, and its model when one ships. */
export interface RecordedRun extends RecordedRunLog {
  readonly dir: string;
  /** Loads the trained model and its tokenizer (a `RecordedRunError` when the run has none). */
  loadModel(): { readonly model: GPT; readonly tokenizer: Tokenizer };
}

/** Raised for a run that is not a recipe, or a folder that holds no recorded run. */
export class RecordedRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordedRunError';
  }
}

/** The command that regenerates a recorded run. */
export function recordCommand(name: string): string {
  return `npx llm-lab record ${name}`;
}

export function recordedRunRecipe(name: string): RecordedRunRecipe {
  if (!Object.prototype.hasOwnProperty.call(RECORDED_RUN_RECIPES, name)) {
    throw new RecordedRunError(`There is no recorded run '${name}'. The course records: ${Object.keys(RECORDED_RUN_RECIPES).join(', ')}.`);
  }
  return RECORDED_RUN_RECIPES[name as RecordedRunName];
}

export interface LoadRecordedRunOptions {
  /** The folder of recorded runs. @default the course's (`data/recorded/`) */
  readonly dir?: string;
  /** Print where the run came from and the command that regenerates it. @default true */
  readonly announce?: boolean;
}

/** Loads a shipped run's log (and, on demand, its model); prints the command that regenerates it. */
export function loadRecordedRun(name: string, options: LoadRecordedRunOptions = {}): RecordedRun {
  recordedRunRecipe(name); // an unknown name is an error that lists the known ones
  const dir = path.join(options.dir ?? recordedRunsDirectory, name);
  const file = path.join(dir, RECORDED_RUN_FILE);
  if (!fs.existsSync(file)) {
    throw new RecordedRunError(`${file} is missing: the recorded run '${name}' has not been made here. Make it with \`${recordCommand(name)}\`.`);
  }
  const log = readJson(file) as RecordedRunLog;
  if (log.name !== name || !Array.isArray(log.evals) || !Array.isArray(log.steps)) {
    throw new RecordedRunError(`${file} is not the log of the recorded run '${name}': regenerate it with \`${recordCommand(name)}\`.`);
  }
  if (options.announce ?? true) {
    const env = log.environment;
    console.log(
      `Recorded run '${name}' (${log.steps.length.toLocaleString('en-US')} iterations in ${Math.round(log.wallSeconds)} s on ${env.cpus} × ${env.cpuModel}, ` +
        `${env.backend}${env.blasProducts ? ' with the BLAS products' : ''}, ${log.recordedAt.slice(0, 10)}): ` +
        `regenerate it with \`${log.command}\``,
    );
  }
  return {
    ...log,
    dir,
    loadModel: () => {
      if (!log.hasCheckpoint) {
        throw new RecordedRunError(
          `The recorded run '${name}' ships its log, not its model: its scores over training are in .answers, its settings in .settings (train with them to have the model).`,
        );
      }
      const { model, tokenizer } = loadCheckpoint(dir);
      return { model, tokenizer };
    },
  };
}

export interface RecordRunOptions {
  /** The folder of recorded runs. @default the course's (`data/recorded/`) */
  readonly dir?: string;
  /** Train for fewer iterations than the recipe (to try the command; a lesson wants the full run). @default the recipe's */
  readonly iters?: number;
  /** Progress while it trains (e.g. `terminalProgress()`). */
  readonly callbacks?: TrainCallbacks;
  /** `finetune` recipes: told after each evaluation of the held-out answers. */
  readonly onAnswers?: (answers: AnswersAt) => void;
}

/**
 * Runs a recipe and writes its folder: `run.json`, and for a pretraining recipe the trained
 * checkpoint (without the optimizer state: nobody resumes a recorded run). The old folder is
 * replaced only once the new run has finished, so an interrupted recording loses nothing.
 */
export async function recordRun(name: string, options: RecordRunOptions = {}): Promise<RecordedRunLog> {
  const recipe = recordedRunRecipe(name);
  const files = new Map<string, string | Uint8Array>();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `llm-lab-record-${name}-`));
  try {
    // What runs is what was loaded at the start: record that, not what the tree holds at the end.
    const environment = recordedEnvironment();
    const started = performance.now();
    const run = recipe.kind === 'pretrain' ? await runPretrainRecipe(recipe, scratch, files, options) : await runFinetuneRecipe(recipe, options);
    const log: RecordedRunLog = {
      name,
      kind: recipe.kind,
      description: recipe.description,
      command: recordCommand(name),
      ...run.log,
      environment: environment,
      recordedAt: new Date().toISOString(),
      wallSeconds: (performance.now() - started) / 1000,
      ...run.results,
    };
    files.set(RECORDED_RUN_FILE, `${JSON.stringify(log, null, 1)}\n`);
    const dir = path.join(options.dir ?? recordedRunsDirectory, name);
    writeFilesAtomically(dir, files);
    for (const stale of fs.readdirSync(dir)) if (!files.has(stale)) fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
    return log;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

type RunParts = {
  readonly log: Pick<RecordedRunLog, 'settings'>;
  readonly results: Omit<RecordedRunLog, 'name' | 'kind' | 'description' | 'command' | 'settings' | 'environment' | 'recordedAt' | 'wallSeconds'>;
};

/** The course's files are recorded relative to the project, so a log reads the same on every machine. */
function projectRelative(file: string): string {
  return path.relative(path.resolve(courseDataDirectory, '..'), file);
}

async function runPretrainRecipe(recipe: PretrainRecipe, scratch: string, files: Map<string, string | Uint8Array>, options: RecordRunOptions): Promise<RunParts> {
  const settings = { ...recipe.pretrain, ...(options.iters !== undefined ? { iters: options.iters } : {}) };
  const steps: { iter: number; loss: number }[] = [];
  const { model, result } = await pretrain({
    ...settings,
    out: scratch,
    callbacks: combineCallbacks({ onStep: (s) => steps.push({ iter: s.iter, loss: s.loss }) }, options.callbacks ?? {}),
  });
  model.dispose();
  for (const file of [CHECKPOINT_FILES.config, CHECKPOINT_FILES.weights, CHECKPOINT_FILES.tokenizer]) {
    files.set(file, fs.readFileSync(path.join(scratch, file)));
  }
  return {
    log: { settings: { ...settings, corpus: projectRelative(settings.corpus) } },
    results: {
      tokensPerSecond: result.tokensPerSecond,
      steps,
      evals: result.evals,
      finalTrainLoss: result.finalTrainLoss,
      finalValLoss: result.finalValLoss,
      hasCheckpoint: true,
    },
  };
}

async function runFinetuneRecipe(recipe: FinetuneRecipe, options: RecordRunOptions): Promise<RunParts> {
  const settings = { ...recipe.finetune, ...(options.iters !== undefined ? { iters: options.iters } : {}) };
  const basePath = courseCheckpointPath('base');
  const { model, tokenizer } = loadCheckpoint(basePath);
  try {
    const train = readInstructionDataset(courseDatasetPath(settings.dataset, 'train'));
    const heldOut = readInstructionDataset(courseDatasetPath(settings.dataset, 'test')).slice(0, settings.evalExamples);
    const answers: AnswersAt[] = [];
    const scoreAnswers = (iter: number): void => {
      const evaluation = evaluateAnswers(model, tokenizer, heldOut);
      const at = { iter, fieldAccuracy: evaluation.fieldAccuracy, exactMatch: evaluation.exactMatch, f1: evaluation.f1 };
      answers.push(at);
      options.onAnswers?.(at);
    };
    const steps: { iter: number; loss: number }[] = [];
    const method: FinetuneMethod = settings.method === 'linear' ? 'full' : settings.method;
    const run = await finetune({
      model,
      tokenizer,
      method,
      ...(settings.method === 'lora' ? { lora: settings.lora } : {}),
      ...(settings.method === 'linear' ? { trainOnly: (parameter: string) => LINEAR_WEIGHTS.test(parameter) } : {}),
      train,
      val: heldOut,
      iters: settings.iters,
      batchSize: settings.batchSize,
      lr: settings.lr,
      seed: settings.seed,
      evalInterval: settings.evalInterval,
      evalIters: settings.evalIters,
      callbacks: combineCallbacks(
        {
          onStep: (s) => steps.push({ iter: s.iter, loss: s.loss }),
          // The answers are scored before the step of their iteration, as the loss estimates are.
          onEval: (e) => {
            if (e.iter % settings.answersInterval === 0) scoreAnswers(e.iter);
          },
        },
        options.callbacks ?? {},
      ),
    });
    // …and once more after the last step: what the finished run answers.
    const final = evaluateAnswers(model, tokenizer, heldOut);
    const done = { iter: settings.iters, fieldAccuracy: final.fieldAccuracy, exactMatch: final.exactMatch, f1: final.f1 };
    answers.push(done);
    options.onAnswers?.(done);
    return {
      log: { settings: { base: projectRelative(basePath), ...settings } },
      results: {
        tokensPerSecond: run.training.tokensPerSecond,
        steps,
        evals: run.training.evals,
        finalTrainLoss: run.training.finalTrainLoss,
        finalValLoss: run.training.finalValLoss,
        hasCheckpoint: false,
        trainableParameters: run.trainableParameters,
        trainablePercent: run.trainablePercent,
        answers,
        examples: final.rows.slice(0, 5).map((r) => ({ request: r.request, reference: r.reference, answer: r.answer })),
      },
    };
  } finally {
    model.dispose();
  }
}

/** The build, the backend, the BLAS and the machine, as a log records them. */
export function recordedEnvironment(): RecordedRunEnvironment {
  const backend = currentBackend();
  const cpu = os.cpus();
  const blas = nativeMatMulStatus();
  return {
    llmLab: version,
    commit: gitCommit(),
    node: process.version,
    backend: backend?.name ?? 'unknown',
    device: backend?.device ?? 'unknown',
    blasProducts: nativeMatMulActive(),
    blas: blas.summary,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
  };
}

/**
 * The commit the toolkit was built from, `+changes` when its sources or packages differ from
 * that commit (edits elsewhere, to docs or data, do not change what runs); `unknown` outside a
 * git clone.
 */
function gitCommit(): string {
  const root = path.resolve(__dirname, '..', '..');
  try {
    const run = (args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = run(['rev-parse', 'HEAD']);
    const changed = run(['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bin', 'scripts', 'package.json', 'package-lock.json']);
    return changed === '' ? commit : `${commit}+changes`;
  } catch {
    return 'unknown';
  }
}
