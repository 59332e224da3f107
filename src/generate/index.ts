export {
  filterProbabilities,
  generate,
  generateText,
  nextTokenDistribution,
  nextTokenProbabilities,
  topTokens,
} from './sampling';
export type { SamplingOptions, TokenProbability } from './sampling';
export { continuationLogProb, softmaxWithTemperature, topPFilter } from './from-scratch';
