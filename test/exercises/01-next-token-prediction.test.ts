/** Lesson 01's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionSoftmax from '../../solutions/01-next-token-prediction/softmax';
import * as solutionCrossEntropy from '../../solutions/01-next-token-prediction/cross-entropy';
import * as solutionBigrams from '../../solutions/01-next-token-prediction/bigrams';
import * as solutionKl from '../../solutions/01-next-token-prediction/kl-divergence';
import * as stubSoftmax from '../../exercises/01-next-token-prediction/softmax';
import * as stubCrossEntropy from '../../exercises/01-next-token-prediction/cross-entropy';
import * as stubBigrams from '../../exercises/01-next-token-prediction/bigrams';
import * as stubKl from '../../exercises/01-next-token-prediction/kl-divergence';

const lesson01 = [
  ['1.1', solutionSoftmax, stubSoftmax],
  ['1.2', solutionCrossEntropy, stubCrossEntropy],
  ['1.3', solutionBigrams, stubBigrams],
  ['1.4', solutionKl, stubKl],
] as const;

describeSolutionsAndStubs(lesson01);
