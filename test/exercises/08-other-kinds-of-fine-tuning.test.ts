/** Lesson 08's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionConstantLabel from '../../solutions/08-other-kinds-of-fine-tuning/constant-label';
import * as solutionPerplexity from '../../solutions/08-other-kinds-of-fine-tuning/perplexity';
import * as solutionForgettingBudget from '../../solutions/08-other-kinds-of-fine-tuning/forgetting-budget';
import * as stubConstantLabel from '../../exercises/08-other-kinds-of-fine-tuning/constant-label';
import * as stubPerplexity from '../../exercises/08-other-kinds-of-fine-tuning/perplexity';
import * as stubForgettingBudget from '../../exercises/08-other-kinds-of-fine-tuning/forgetting-budget';

const lesson08 = [
  ['8.1', solutionConstantLabel, stubConstantLabel],
  ['8.2', solutionPerplexity, stubPerplexity],
  ['8.3', solutionForgettingBudget, stubForgettingBudget],
] as const;

describeSolutionsAndStubs(lesson08);
