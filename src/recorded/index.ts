export {
  RECORDED_RUN_FILE,
  RECORDED_RUN_RECIPES,
  RecordedRunError,
  loadRecordedRun,
  recordCommand,
  recordRun,
  recordedEnvironment,
  recordedRunRecipe,
  recordedRunsDirectory,
} from './recorded-runs';
export type {
  AnswersAt,
  FinetuneRecipe,
  FinetuneRecipeSettings,
  LoadRecordedRunOptions,
  PretrainRecipe,
  RecordRunOptions,
  RecordedRun,
  RecordedRunEnvironment,
  RecordedRunLog,
  RecordedRunName,
  RecordedRunRecipe,
} from './recorded-runs';
