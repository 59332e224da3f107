/** Lesson 09's exercises: the reference solutions pass every public case, the stubs none (solutions-and-stubs.ts). */
import { describeSolutionsAndStubs } from './solutions-and-stubs';
import * as solutionDecisionRule from '../../solutions/09-prompting-or-fine-tuning/decision-rule';
import * as solutionBreakEven from '../../solutions/09-prompting-or-fine-tuning/break-even';
import * as stubDecisionRule from '../../exercises/09-prompting-or-fine-tuning/decision-rule';
import * as stubBreakEven from '../../exercises/09-prompting-or-fine-tuning/break-even';

const lesson09 = [
  ['9.1', solutionDecisionRule, stubDecisionRule],
  ['9.2', solutionBreakEven, stubBreakEven],
] as const;

describeSolutionsAndStubs(lesson09);
