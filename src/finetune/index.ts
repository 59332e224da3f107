export { LINEAR_TARGETS, LinearTargetError, isLinearTarget, listLinearLayers, selectLinearLayers } from './linear-layers';
export type { LinearKind, LinearLayerInfo, LinearTarget } from './linear-layers';
export { LoraConfigError, resolveLoraConfig } from './lora-config';
export type { LoraConfig, ResolvedLoraConfig } from './lora-config';
export { EMBEDDING_LAYER, LoraAdapters, LoraError, addLora, loraVariableName } from './lora';
export type { AdapterStatus, AddLoraOptions, LoraFactors } from './lora';
export { ADAPTER_FILES, AdapterLoadError, adapterFiles, loadAdapters, saveAdapters } from './adapter-files';
export type { SavedAdapterConfig } from './adapter-files';
export { NF4_LEVELS, NF4_MAX_GAP, NF4_OFFSET, normalQuantile } from './normal-float';
export {
  DEFAULT_BLOCK_SIZE,
  bytesPerForm,
  dequantize,
  int8ErrorBound,
  nf4ErrorBound,
  quantize,
  quantizationError,
  quantizedBytes,
  quantizeInt8,
  quantizeNF4,
} from './quantize';
export type { Int8Tensor, NF4Tensor, QuantizationErrorReport, QuantizeOptions, QuantizedBytes, QuantizedTensor } from './quantize';
export { QuantizeModelError, QuantizedModel, quantizeModel, weightMemory } from './qlora';
export type { FormBytes, LayerMemory, QuantizeModelOptions, RequantizedMergeChange, WeightMemoryReport } from './qlora';
export {
  CHAT_MARKERS,
  CHAT_SPECIAL_TOKENS,
  ChatTemplateError,
  PromptTooLongError,
  encodeForTraining,
  encodePrompt,
  formatConversation,
  formatPrompt,
  responseText,
} from './instruct';
export type { EncodeForTrainingOptions, EncodedExample } from './instruct';
export { exampleBatches, instructionBatches, sequentialInstructionBatches } from './instruction-batches';
export type { InstructionBatch, InstructionBatchOptions } from './instruction-batches';
export { exactMatch, tokenAccuracy } from './answer-metrics';
export { DEFAULT_LORA, finetune, trainableShare } from './finetune';
export type { FinetuneOptions, FinetuneResult } from './finetune';
export { FINETUNE_INFO_FILE, FinetunedLoadError, loadFinetuned, writeFinetuneInfo } from './finetuned-checkpoint';
export type { FinetuneInfo, FinetuneMethod, FinetunedModel } from './finetuned-checkpoint';
export { answerRequest, evaluateAnswers, fewShotAnswer, fewShotPrompt, scoreAnswer, splitRequest, wordF1 } from './evaluate';
export type { AnswerEvaluation, AnswerOptions, AnswerScore, EvaluateAnswersOptions, EvaluatedAnswer } from './evaluate';
export { bestStepWithinForgetting, continuedPretraining, perplexity, perplexityFromLosses } from './domain';
export type { ContinuedPretrainingOptions, ContinuedPretrainingResult, ForgettingPoint, PerplexityOptions } from './domain';
export { SequenceClassifier, classificationReport, constantLabelAccuracy, trainClassifier } from './classifier';
export type { ClassificationReport, TrainClassifierOptions } from './classifier';
export { TRAINABLE_TOKENS_FILE, TrainableTokens, addTrainableTokens, loadTrainableTokens } from './trainable-tokens';
export { copyingProbe } from './copying-probe';
export type { CopyingProbeOptions, CopyingProbeResult, FieldLosses } from './copying-probe';
export { adapterParameterCount, answerLossMask, loraForward, mergeLora, quantizeInt8Blocks, quantizeNF4Blocks, relativeChange } from './from-scratch';
export type { BlockCodes } from './from-scratch';
