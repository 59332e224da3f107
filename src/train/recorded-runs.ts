/**
 * Recorded runs: a run longer than a learner's patience, shipped with the course.
 *
 * A lesson shows what 2,000 iterations of pretraining reach without making the learner wait
 * for them: the run was made once by a named recipe, its loss log (and, where a lesson needs
 * it, the trained checkpoint) ships in `data/recorded/<name>/`, and the lesson loads it with
 * one call that prints the exact command regenerating it:
 *
 *   const recorded = loadRecordedRun('shakespeare-baby');
 *   // Recorded run 'shakespeare-baby': … regenerate it with `npx llm-lab record shakespeare-baby`
 *
 *   npx llm-lab record shakespeare-baby     # runs the recipe again and rewrites the folder
 *
 * The recipe is code (`RECORDED_RUN_RECIPES`), so the command, the settings written beside
 * the results, and what the lesson says about them cannot drift apart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentBackend, nativeMatMulActive } from '../backend';
import { courseDataDirectory, tinyShakespearePath } from '../data';
import { CHECKPOINT_FILES, type GPT, loadCheckpoint, readJson, writeFilesAtomically } from '../model';
import type { Tokenizer } from '../tokenizer';
import { version } from '../version';
import { type PretrainOptions, pretrain } from './pretrain';
import { combineCallbacks } from './progress';
import type { EvalInfo, TrainCallbacks } from './trainer';

/** Where the course's recorded runs live: one folder per run. */
export const recordedRunsDirectory: string = path.join(courseDataDirectory, 'recorded');

/** The file of a recorded run that holds its log and settings. */
export const RECORDED_RUN_FILE = 'run.json';

/** A recipe: what `llm-lab record <name>` runs. */
export interface RecordedRunRecipe {
  readonly name: string;
  /** One line: what the run is and why a lesson shows it. */
  readonly description: string;
  /** The pretraining it runs (the corpus, tokenizer, model and training settings); `out` is the run's folder. */
  readonly pretrain: Omit<PretrainOptions, 'out' | 'callbacks'>;
}

/** The runs the course ships. */
export const RECORDED_RUN_RECIPES = {
  'shakespeare-baby': {
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
} as const satisfies Record<string, RecordedRunRecipe>;

export type RecordedRunName = keyof typeof RECORDED_RUN_RECIPES;

/** What a recorded run's `run.json` holds. */
export interface RecordedRunLog {
  readonly name: string;
  readonly description: string;
  /** The command that made it (and makes it again). */
  readonly command: string;
  /** The recipe's settings, as run. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Where and on what it ran: the numbers depend a little on the backend, the speed a lot on the machine. */
  readonly environment: {
    readonly llmLab: string;
    readonly node: string;
    readonly backend: string;
    readonly device: string;
    readonly blasProducts: boolean;
    readonly cpus: number;
    readonly cpuModel: string;
  };
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
}

/** A recorded run as a lesson uses it: its log, its folder, and its model when one ships. */
export interface RecordedRun extends RecordedRunLog {
  readonly dir: string;
  /** Loads the trained model and its tokenizer (a `CheckpointError` when the run has none). */
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
}

/**
 * Runs a recipe and writes its folder: `run.json` and the trained checkpoint (without the
 * optimizer state: nobody resumes a recorded run). The old folder is replaced only once the
 * new run has finished, so an interrupted recording loses nothing.
 */
export async function recordRun(name: string, options: RecordRunOptions = {}): Promise<RecordedRunLog> {
  const recipe = recordedRunRecipe(name);
  const settings = { ...recipe.pretrain, ...(options.iters !== undefined ? { iters: options.iters } : {}) };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `llm-lab-record-${name}-`));
  try {
    const steps: { iter: number; loss: number }[] = [];
    const started = performance.now();
    const { model, result } = await pretrain({
      ...settings,
      out: scratch,
      callbacks: combineCallbacks({ onStep: (s) => steps.push({ iter: s.iter, loss: s.loss }) }, options.callbacks ?? {}),
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const backend = currentBackend();
    const cpu = os.cpus();
    const log: RecordedRunLog = {
      name,
      description: recipe.description,
      command: recordCommand(name),
      settings: { ...settings, corpus: path.relative(path.resolve(courseDataDirectory, '..'), settings.corpus) },
      environment: {
        llmLab: version,
        node: process.version,
        backend: backend?.name ?? 'unknown',
        device: backend?.device ?? 'unknown',
        blasProducts: nativeMatMulActive(),
        cpus: cpu.length,
        cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      },
      recordedAt: new Date().toISOString(),
      wallSeconds,
      tokensPerSecond: result.tokensPerSecond,
      steps,
      evals: result.evals,
      finalTrainLoss: result.finalTrainLoss,
      finalValLoss: result.finalValLoss,
      hasCheckpoint: true,
    };
    model.dispose();
    const files = new Map<string, string | Uint8Array>();
    for (const file of [CHECKPOINT_FILES.config, CHECKPOINT_FILES.weights, CHECKPOINT_FILES.tokenizer]) {
      files.set(file, fs.readFileSync(path.join(scratch, file)));
    }
    files.set(RECORDED_RUN_FILE, `${JSON.stringify(log, null, 1)}\n`);
    const dir = path.join(options.dir ?? recordedRunsDirectory, name);
    writeFilesAtomically(dir, files);
    for (const stale of fs.readdirSync(dir)) if (!files.has(stale)) fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
    return log;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
