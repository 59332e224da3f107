/**
 * Data: text corpora, the synthetic corpus with known next-token probabilities, the batches
 * a model trains on, and the JSONL datasets of fine-tuning (instructions, labelled text,
 * and the course's own generated datasets). Nothing here uses tensors: batches are typed
 * arrays.
 */
export { readTextCorpus, splitTrainVal, toTokenArray, tinyShakespearePath } from './corpus';
export type { SplitOptions, TrainValSplit } from './corpus';

export { sampleBatch, evaluationBatches, sequentialBatches } from './batches';
export type {
  Batch,
  BatchOptions,
  EvaluationBatchOptions,
  SequentialBatchOptions,
} from './batches';

export {
  simpleEnglishGrammar,
  enumerateSentences,
  validateGrammar,
  sentenceText,
  SENTENCE_END,
} from './grammar';
export type {
  SentenceGrammar,
  GrammarSlot,
  IndependentSlot,
  DependentSlot,
  WordProbabilities,
  SentenceProbability,
} from './grammar';

export { generateSyntheticCorpus, sampleSentence } from './synthetic';
export type { SyntheticCorpusOptions } from './synthetic';

export {
  trueNextTokenDistribution,
  nextTokenEntropy,
  nextWordDistribution,
  bestPossibleLoss,
} from './true-distribution';
export type {
  NextTokenProbability,
  NextTokenDistribution,
  NextWordProbability,
  TrueDistributionOptions,
  BestLossOptions,
} from './true-distribution';

export { entropy, crossEntropy, klDivergence, toProbabilityVector } from './divergence';
export { bigramProbabilities, crossEntropyFromLogits, klDivergenceOfVectors, softmax } from './from-scratch';
export type { DivergenceOptions } from './divergence';

export { JsonlError, formatJsonl, parseJsonl, readJsonl } from './jsonl';
export type { JsonlRecord } from './jsonl';

export {
  CHAT_ROLES,
  ConversationError,
  checkConversation,
  conversationFromRecord,
  parseInstructionDataset,
  readInstructionDataset,
} from './instructions';
export type { ChatMessage, ChatRole, Conversation } from './instructions';

export { labelledTextFromRecord, parseLabelledDataset, readLabelledDataset } from './labelled-text';
export type { LabelledDataset, LabelledText } from './labelled-text';

export {
  COURSE_DATASETS,
  COURSE_DATASET_SEED,
  baseCorpusPath,
  courseCheckpointPath,
  courseDataDirectory,
  courseDatasetFileName,
  courseDatasetPath,
  generateCourseDatasets,
  writeCourseDatasets,
} from './course-datasets';
export type { CourseCheckpointName, CourseDatasetName, DatasetSplit } from './course-datasets';
export { AI_GLOSSARY, QA_HELD_OUT_TEMPLATES, QA_TRAIN_TEMPLATES, askAbout, generateQaTerms } from './qa-terms';
export type { GlossaryTerm, QuestionAnswer, QuestionTemplate } from './qa-terms';
export {
  EXTRACT_INSTRUCTION,
  EXTRACT_TEST_SIZE,
  EXTRACT_TRAIN_SIZE,
  formatOrderFields,
  generateExtractionDataset,
  parseFieldList,
} from './extract-fields';
export type { ExtractionExample, OrderFields } from './extract-fields';
export { DOMAIN_TEST_AGREEMENTS, DOMAIN_TRAIN_AGREEMENTS, generateDomainCorpus } from './domain-corpus';
export {
  SENTIMENT_LABELS,
  SENTIMENT_TEST_SIZE,
  SENTIMENT_TRAIN_SIZE,
  generateSentimentDataset,
} from './sentiment';
export type { SentimentLabel } from './sentiment';

export {
  CorpusFileError,
  CorpusTooShortError,
  GrammarError,
  PrefixNotInGrammarError,
} from './errors';

export { BASE_CORPUS_PARAGRAPHS, COPIED_FIELDS, generateBaseCorpus, orderToldTwice } from './base-corpus';
export type { BaseCorpusOptions, CopiedField, OrderToldTwice, TextSpan } from './base-corpus';
export { countingModelLoss, ngramLoss, previousTokens, tokensAround } from './ngram';
export type { ContextOf, CountingModelOptions, CountingModelResult } from './ngram';
