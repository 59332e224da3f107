/** Lesson 05's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionForward from '../../solutions/05-lora/lora-forward';
import * as solutionMerge from '../../solutions/05-lora/merge';
import * as solutionCount from '../../solutions/05-lora/adapter-parameters';
import * as stubForward from '../../exercises/05-lora/lora-forward';
import * as stubMerge from '../../exercises/05-lora/merge';
import * as stubCount from '../../exercises/05-lora/adapter-parameters';

const lesson05 = [
  ['5.1', solutionForward, stubForward],
  ['5.3', solutionMerge, stubMerge],
  ['5.2', solutionCount, stubCount],
] as const;

describeSolutionsAndStubs(lesson05);
