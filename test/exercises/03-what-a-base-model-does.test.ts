/** Lesson 03's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionTemperature from '../../solutions/03-what-a-base-model-does/temperature';
import * as solutionTopP from '../../solutions/03-what-a-base-model-does/top-p';
import * as stubTemperature from '../../exercises/03-what-a-base-model-does/temperature';
import * as stubTopP from '../../exercises/03-what-a-base-model-does/top-p';

const lesson03 = [
  ['3.1', solutionTemperature, stubTemperature],
  ['3.2', solutionTopP, stubTopP],
] as const;

describeSolutionsAndStubs(lesson03);
