export { AdamW, clipGradientsByGlobalNorm, clipScale, globalGradientNorm } from './adamw';
export type { AdamWOptions } from './adamw';
export { learningRateAt } from './schedule';
export type { LearningRateSchedule } from './schedule';
export { TRAINER_FILES, TrainingDivergedError, decayedNames, estimateLoss, namedVariableGrads, train } from './trainer';
export type { BatchSource, EvalInfo, StepInfo, TrainCallbacks, TrainingBatch, TrainOptions, TrainResult } from './trainer';
export { combineCallbacks, formatDuration, terminalProgress } from './progress';
export type { TerminalProgressOptions } from './progress';
export { buildTokenizer, pretrain } from './pretrain';
export type { PretrainOptions, PretrainResult, TokenizerChoice } from './pretrain';
export {
  RECORDED_RUN_FILE,
  RECORDED_RUN_RECIPES,
  RecordedRunError,
  loadRecordedRun,
  recordCommand,
  recordRun,
  recordedRunRecipe,
  recordedRunsDirectory,
} from './recorded-runs';
export type { LoadRecordedRunOptions, RecordRunOptions, RecordedRun, RecordedRunLog, RecordedRunName, RecordedRunRecipe } from './recorded-runs';
export { type TokenLossOptions, tokenLosses } from './token-losses';
