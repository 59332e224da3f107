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
 * - `finetune`: instruction fine-tuning of the course's base model (or of random weights of
 *   its shape) on a course dataset; the log holds the losses and, every `answersInterval`
 *   iterations, how well the model answers the held-out requests (fields right, exact
 *   matches), so a lesson can plot quality against training, not only the loss.
 * - `sweep`: a data-efficiency sweep, many short fine-tunings instead of one long one: the
 *   same recipe on 1, 2, … training rows per answer, from the base and from random weights,
 *   with several seeds; the log holds every run's scores (`loadRecordedSweep`).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentBackend, nativeMatMulActive, nativeMatMulStatus } from '../backend';
import { type Conversation, type CourseDatasetName, courseCheckpointPath, courseDataDirectory, courseDatasetPath, readInstructionDataset, tinyShakespearePath } from '../data';
import { type FinetuneMethod, type LoraConfig, evaluateAnswers, finetune, splitRequest } from '../finetune';
import { SeededRandom } from '../util';
import { CHECKPOINT_FILES, GPT, loadCheckpoint, readJson, writeFilesAtomically } from '../model';
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
  /**
   * Where the weights start: the course's base model, or random weights of the same shape
   * (seeded by `initSeed`; the base's tokenizer), to ask what pretraining bought.
   * @default 'base'
   */
  readonly init?: 'base' | 'random';
  /** The random weights' seed (`init: 'random'`). @default 2024 */
  readonly initSeed?: number;
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

/**
 * What a `sweep` recipe runs: for every start, seed and size, the base (or random weights)
 * fully fine-tuned on `rowsPerAnswer` of the training rows of each answer, then scored on the
 * held-out requests whose answers it was taught.
 */
export interface SweepRecipeSettings {
  readonly dataset: CourseDatasetName;
  /** How many training rows of each distinct answer to keep (a seeded draw), one size per point. */
  readonly rowsPerAnswer: readonly number[];
  readonly inits: readonly ('base' | 'random')[];
  /** Seeds of the draw of rows, the batches and (plus 2024) the random weights. */
  readonly seeds: readonly number[];
  readonly iters: number;
  readonly batchSize: number;
  readonly lr: number;
}

/** A data-efficiency sweep: what `llm-lab record <name>` runs. */
export interface SweepRecipe {
  readonly kind: 'sweep';
  readonly name: string;
  readonly description: string;
  readonly sweep: SweepRecipeSettings;
}

export type RecordedRunRecipe = PretrainRecipe | FinetuneRecipe | SweepRecipe;

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
  'extract-random': {
    kind: 'finetune',
    name: 'extract-random',
    description:
      'The full fine-tuning of extract-full, from random weights of the same shape instead of the base (lr 1e-3, 2,000 iterations): what lesson 07 asks pretraining to beat on a format task.',
    finetune: { ...extractFields, method: 'full', lr: 1e-3, init: 'random', initSeed: 2024 },
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
  'qa-data-efficiency': {
    kind: 'sweep',
    name: 'qa-data-efficiency',
    description:
      'qa-terms with 1, 2, 3 and all 6 training wordings of each of the 49 terms, fully fine-tuned for 300 iterations (lr 1e-3) from the base and from random weights, seeds 1–3: how much data each start needs (lesson 07).',
    sweep: { dataset: 'qa-terms', rowsPerAnswer: [1, 2, 3, 6], inits: ['base', 'random'], seeds: [1, 2, 3], iters: 300, batchSize: 16, lr: 1e-3 },
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

/** What every recorded log starts with: what it is, the command that made it, and where and when. */
export interface RecordedLogHeader {
  readonly name: string;
  readonly description: string;
  /** The command that made it (and makes it again). */
  readonly command: string;
  /** The recipe's settings, as run. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly environment: RecordedRunEnvironment;
  readonly recordedAt: string;
  readonly wallSeconds: number;
}

/** A held-out request, its reference answer, and the answer a model gave. */
export interface AnswerExample {
  readonly request: string;
  readonly reference: string;
  readonly answer: string;
}

/** What a recorded run's `run.json` holds. */
export interface RecordedRunLog extends RecordedLogHeader {
  readonly kind: 'pretrain' | 'finetune';
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
  readonly examples?: readonly AnswerExample[];
}

/** One fine-tuning of a sweep, and how well it answered. */
export interface SweepPoint {
  readonly init: 'base' | 'random';
  readonly rowsPerAnswer: number;
  readonly seed: number;
  /** Training rows it learned from. */
  readonly trainRows: number;
  /** Share of the held-out requests answered exactly (0–1). */
  readonly exactMatch: number;
  /** Mean word F1 of those answers (0–1). */
  readonly f1: number;
  /** Mean training loss of its last 10 steps. */
  readonly finalTrainLoss: number;
  readonly trainSeconds: number;
  /** Its answers to the first held-out requests. */
  readonly examples: readonly AnswerExample[];
}

/** What a sweep's `run.json` holds. */
export interface RecordedSweepLog extends RecordedLogHeader {
  readonly kind: 'sweep';
  /** How many held-out requests each point was scored on. */
  readonly heldOutRequests: number;
  /** Every fine-tuning, in the order they ran (start, then size, then seed). */
  readonly points: readonly SweepPoint[];
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
  // An unknown name is an error that lists the known ones.
  if (recordedRunRecipe(name).kind === 'sweep') {
    throw new RecordedRunError(`'${name}' is a sweep of many runs, not one run: load it with loadRecordedSweep('${name}').`);
  }
  const { dir, file } = recordedRunFile(name, options);
  const log = readJson(file) as RecordedRunLog;
  if (log.name !== name || !Array.isArray(log.evals) || !Array.isArray(log.steps)) {
    throw new RecordedRunError(`${file} is not the log of the recorded run '${name}': regenerate it with \`${recordCommand(name)}\`.`);
  }
  if (options.announce ?? true) announceRecorded(`run '${name}'`, `${log.steps.length.toLocaleString('en-US')} iterations`, log);
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

/** Prints where a recorded log came from and the command that regenerates it. */
function announceRecorded(what: string, work: string, log: RecordedLogHeader): void {
  const env = log.environment;
  console.log(
    `Recorded ${what} (${work} in ${Math.round(log.wallSeconds)} s on ${env.cpus} × ${env.cpuModel}, ` +
      `${env.backend}${env.blasProducts ? ' with the BLAS products' : ''}, ${log.recordedAt.slice(0, 10)}): ` +
      `regenerate it with \`${log.command}\``,
  );
}

/** Where a recorded run's log is; an error naming the command that makes it when it is missing. */
function recordedRunFile(name: string, options: LoadRecordedRunOptions): { readonly dir: string; readonly file: string } {
  const dir = path.join(options.dir ?? recordedRunsDirectory, name);
  const file = path.join(dir, RECORDED_RUN_FILE);
  if (!fs.existsSync(file)) {
    throw new RecordedRunError(`${file} is missing: the recorded run '${name}' has not been made here. Make it with \`${recordCommand(name)}\`.`);
  }
  return { dir, file };
}

/** Loads a shipped sweep's log; prints the command that regenerates it. */
export function loadRecordedSweep(name: string, options: LoadRecordedRunOptions = {}): RecordedSweepLog & { readonly dir: string } {
  if (recordedRunRecipe(name).kind !== 'sweep') {
    throw new RecordedRunError(`'${name}' is one run, not a sweep: load it with loadRecordedRun('${name}').`);
  }
  const { dir, file } = recordedRunFile(name, options);
  const log = readJson(file) as RecordedSweepLog;
  if (log.name !== name || log.kind !== 'sweep' || !Array.isArray(log.points)) {
    throw new RecordedRunError(`${file} is not the log of the recorded sweep '${name}': regenerate it with \`${recordCommand(name)}\`.`);
  }
  if (options.announce ?? true) announceRecorded(`sweep '${name}'`, `${log.points.length} fine-tunings`, log);
  return { ...log, dir };
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
  /** `sweep` recipes: a smaller sweep than the recipe's (to try the command), and how many held-out requests to score. */
  readonly sweep?: Partial<SweepRecipeSettings> & { readonly heldOutRequests?: number };
  /** `sweep` recipes: told after each fine-tuning of the sweep. */
  readonly onPoint?: (point: SweepPoint, done: number, total: number) => void;
}

/**
 * Runs a recipe and writes its folder: `run.json`, and for a pretraining recipe the trained
 * checkpoint (without the optimizer state: nobody resumes a recorded run). The old folder is
 * replaced only once the new run has finished, so an interrupted recording loses nothing.
 */
export async function recordRun(name: string, options: RecordRunOptions = {}): Promise<RecordedRunLog | RecordedSweepLog> {
  const recipe = recordedRunRecipe(name);
  const files = new Map<string, string | Uint8Array>();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `llm-lab-record-${name}-`));
  const writeRun = (log: RecordedRunLog | RecordedSweepLog): void => {
    files.set(RECORDED_RUN_FILE, `${JSON.stringify(log, null, 1)}\n`);
    const dir = path.join(options.dir ?? recordedRunsDirectory, name);
    writeFilesAtomically(dir, files);
    for (const stale of fs.readdirSync(dir)) if (!files.has(stale)) fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
  };
  try {
    // What runs is what was loaded at the start: record that, not what the tree holds at the end.
    const environment = recordedEnvironment();
    const started = performance.now();
    if (recipe.kind === 'sweep') {
      const sweep = await runSweepRecipe(recipe, options);
      const log: RecordedSweepLog = {
        name,
        kind: 'sweep',
        description: recipe.description,
        command: recordCommand(name),
        settings: sweep.settings,
        environment: environment,
        recordedAt: new Date().toISOString(),
        wallSeconds: (performance.now() - started) / 1000,
        heldOutRequests: sweep.heldOutRequests,
        points: sweep.points,
      };
      writeRun(log);
      return log;
    }
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
    writeRun(log);
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
  const { model, tokenizer } = startingModel(loadCheckpoint(basePath), settings.init ?? 'base', settings.initSeed ?? 2024);
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

/**
 * `rowsPerAnswer` training rows of each distinct answer, drawn with `seed`, in the order the
 * answers first appear: every answer stays taught, each with fewer wordings of its request.
 */
export function rowsPerAnswer(rows: readonly Conversation[], perAnswer: number, seed: number): Conversation[] {
  if (!Number.isInteger(perAnswer) || perAnswer < 1) throw new RangeError(`rowsPerAnswer: keep at least 1 row of each answer, got ${perAnswer}.`);
  const byAnswer = new Map<string, Conversation[]>();
  for (const row of rows) {
    const answer = splitRequest(row).reference;
    byAnswer.set(answer, [...(byAnswer.get(answer) ?? []), row]);
  }
  const rng = new SeededRandom(seed);
  const kept: Conversation[] = [];
  for (const group of byAnswer.values()) {
    const order = [...group];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    kept.push(...order.slice(0, perAnswer));
  }
  return kept;
}

async function runSweepRecipe(
  recipe: SweepRecipe,
  options: RecordRunOptions,
): Promise<{ readonly settings: Record<string, unknown>; readonly heldOutRequests: number; readonly points: SweepPoint[] }> {
  const { heldOutRequests: limit, ...override } = options.sweep ?? {};
  const settings: SweepRecipeSettings = { ...recipe.sweep, ...override, ...(options.iters !== undefined ? { iters: options.iters } : {}) };
  const basePath = courseCheckpointPath('base');
  const train = readInstructionDataset(courseDatasetPath(settings.dataset, 'train'));
  const taught = new Set(train.map((row) => splitRequest(row).reference));
  // New wordings of requests whose answers training taught: what more or fewer wordings should change.
  const heldOut = readInstructionDataset(courseDatasetPath(settings.dataset, 'test'))
    .filter((row) => taught.has(splitRequest(row).reference))
    .slice(0, limit);
  const points: SweepPoint[] = [];
  const total = settings.inits.length * settings.rowsPerAnswer.length * settings.seeds.length;
  for (const init of settings.inits) {
    for (const perAnswer of settings.rowsPerAnswer) {
      for (const seed of settings.seeds) {
        const { model, tokenizer } = startingModel(loadCheckpoint(basePath), init, 2024 + seed);
        try {
          const rows = rowsPerAnswer(train, perAnswer, seed);
          const losses: number[] = [];
          const started = performance.now();
          await finetune({
            model,
            tokenizer,
            method: 'full',
            train: rows,
            iters: settings.iters,
            batchSize: settings.batchSize,
            lr: settings.lr,
            seed,
            evalInterval: settings.iters,
            evalIters: 1,
            callbacks: combineCallbacks({ onStep: (s) => losses.push(s.loss) }, options.callbacks ?? {}),
          });
          const trainSeconds = (performance.now() - started) / 1000;
          const evaluation = evaluateAnswers(model, tokenizer, heldOut);
          const last = losses.slice(-10);
          const point: SweepPoint = {
            init,
            rowsPerAnswer: perAnswer,
            seed,
            trainRows: rows.length,
            exactMatch: evaluation.exactMatch,
            f1: evaluation.f1,
            finalTrainLoss: last.reduce((a, b) => a + b, 0) / last.length,
            trainSeconds,
            examples: evaluation.rows.slice(0, 3).map((r) => ({ request: r.request, reference: r.reference, answer: r.answer })),
          };
          points.push(point);
          options.onPoint?.(point, points.length, total);
        } finally {
          model.dispose();
        }
      }
    }
  }
  return { settings: { base: projectRelative(basePath), ...settings }, heldOutRequests: heldOut.length, points };
}

/** The model a fine-tuning starts from: the base as loaded, or random weights of its shape (the base disposed). */
function startingModel(base: { readonly model: GPT; readonly tokenizer: Tokenizer }, init: 'base' | 'random', initSeed: number): { readonly model: GPT; readonly tokenizer: Tokenizer } {
  if (init === 'base') return base;
  const random = new GPT(base.model.config, { seed: initSeed });
  base.model.dispose();
  return { model: random, tokenizer: base.tokenizer };
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
