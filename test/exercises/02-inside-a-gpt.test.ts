/** Lesson 02's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionMask from '../../solutions/02-inside-a-gpt/causal-mask';
import * as solutionHead from '../../solutions/02-inside-a-gpt/attention-head';
import * as solutionCount from '../../solutions/02-inside-a-gpt/parameter-count';
import * as stubMask from '../../exercises/02-inside-a-gpt/causal-mask';
import * as stubHead from '../../exercises/02-inside-a-gpt/attention-head';
import * as stubCount from '../../exercises/02-inside-a-gpt/parameter-count';

const lesson02 = [
  ['2.1', solutionMask, stubMask],
  ['2.2', solutionHead, stubHead],
  ['2.3', solutionCount, stubCount],
] as const;

describeSolutionsAndStubs(lesson02);
