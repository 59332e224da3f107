/** Lesson 10's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionQuiz from '../../solutions/10-review/quiz';
import * as solutionNumbers from '../../solutions/10-review/numbers';
import * as stubQuiz from '../../exercises/10-review/quiz';
import * as stubNumbers from '../../exercises/10-review/numbers';

const lesson10 = [
  ['10.1', solutionQuiz, stubQuiz],
  ['10.2', solutionNumbers, stubNumbers],
] as const;

describeSolutionsAndStubs(lesson10);
