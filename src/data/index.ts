/**
 * Data: text corpora, the synthetic corpus with known next-token probabilities, and the
 * batches a model trains on. Nothing here uses tensors: batches are typed arrays.
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
export type { DivergenceOptions } from './divergence';

export {
  CorpusFileError,
  CorpusTooShortError,
  GrammarError,
  PrefixNotInGrammarError,
} from './errors';
