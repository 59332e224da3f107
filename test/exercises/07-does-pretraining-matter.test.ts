/** Lesson 07's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionFirstReaching from '../../solutions/07-does-pretraining-matter/first-reaching';
import * as solutionSeedMargin from '../../solutions/07-does-pretraining-matter/seed-margin';
import * as stubFirstReaching from '../../exercises/07-does-pretraining-matter/first-reaching';
import * as stubSeedMargin from '../../exercises/07-does-pretraining-matter/seed-margin';

const lesson07 = [
  ['7.1', solutionFirstReaching, stubFirstReaching],
  ['7.2', solutionSeedMargin, stubSeedMargin],
] as const;

describeSolutionsAndStubs(lesson07);
