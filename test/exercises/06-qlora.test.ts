/** Lesson 06's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionInt8 from '../../solutions/06-qlora/int8';
import * as solutionNF4 from '../../solutions/06-qlora/nf4';
import * as stubInt8 from '../../exercises/06-qlora/int8';
import * as stubNF4 from '../../exercises/06-qlora/nf4';

const lesson06 = [
  ['6.1', solutionInt8, stubInt8],
  ['6.2', solutionNF4, stubNF4],
] as const;

describeSolutionsAndStubs(lesson06);
