/** Lesson 04's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionMask from '../../solutions/04-instruction-fine-tuning/loss-mask';
import * as solutionChange from '../../solutions/04-instruction-fine-tuning/relative-change';
import * as stubMask from '../../exercises/04-instruction-fine-tuning/loss-mask';
import * as stubChange from '../../exercises/04-instruction-fine-tuning/relative-change';

const lesson04 = [
  ['4.1', solutionMask, stubMask],
  ['4.2', solutionChange, stubChange],
] as const;

describeSolutionsAndStubs(lesson04);
