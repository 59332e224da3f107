/**
 * Later cells of a lesson use the learner's function once its check passes:
 *
 *   const softmaxCheck = await check('1.1', { softmax });
 *   const useSoftmax = yoursOrToolkit(softmaxCheck, softmax, toolkitSoftmax);
 *
 * Every public case passed: the learner's function, and a line saying so. Otherwise the
 * toolkit's own, and a line saying which cells fall back, so the lesson still runs (and the
 * learner knows the numbers below are not yet theirs).
 */
import { showOutput } from '../notebook/sink';
import type { ExerciseResult } from './result';

export function yoursOrToolkit<F extends (...args: never[]) => unknown>(result: ExerciseResult, yours: F, toolkit: F): F {
  const passed = result.cases.filter((c) => c.passed).length;
  const all = result.cases.length > 0 && passed === result.cases.length;
  const text = all
    ? `Exercise ${result.id} (${result.title}) passes: the cells below use your function.`
    : `Exercise ${result.id} (${result.title}) passes ${passed} of ${result.cases.length} cases: the cells below use the toolkit's version until yours passes (fix it, rerun its cell and the check, then the cells below).`;
  showOutput({ 'text/plain': text });
  return all ? yours : toolkit;
}
