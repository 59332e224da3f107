/** From verdicts to points: an exercise's points shared by its cases, by weight. */
import type { Verdict } from './judge';
import { type CaseResult, type ExerciseResult, roundPoints } from './result';
import { type ExerciseSpec, type GradingCase, lessonFolderOf } from './spec';
import { describeValue } from './wire';

/** How a case is shown: its name, or its call (public) / its number (hidden). */
export function caseName(testCase: GradingCase, spec: ExerciseSpec, index: number, hiddenIndex: number): string {
  if (testCase.name) return testCase.name;
  if (testCase.visibility === 'hidden') return `hidden case ${hiddenIndex}`;
  if (testCase.question) return `question ${testCase.question.id}`;
  const call = testCase.call ?? spec.exports[0];
  return `${call}(${testCase.args.map((a) => describeValue(a, 60)).join(', ')})`;
}

export function scoreExercise(spec: ExerciseSpec, verdicts: readonly (Verdict & { timeMs: number })[], problem?: string): ExerciseResult {
  const totalWeight = spec.cases.reduce((sum, c) => sum + (c.weight ?? 1), 0);
  let hiddenSeen = 0;
  const cases = spec.cases.map((testCase, i): CaseResult => {
    if (testCase.visibility === 'hidden') hiddenSeen += 1;
    const verdict = verdicts[i] ?? { passed: false, message: 'not run', timeMs: 0 };
    const maxPoints = (spec.points * (testCase.weight ?? 1)) / totalWeight;
    return {
      name: caseName(testCase, spec, i, hiddenSeen),
      visibility: testCase.visibility ?? 'public',
      passed: verdict.passed,
      points: roundPoints(verdict.passed ? maxPoints : 0),
      maxPoints: roundPoints(maxPoints),
      message: verdict.message,
      ...(verdict.passed ? {} : { hint: testCase.hint }),
      timeMs: verdict.timeMs,
    };
  });
  const earned = spec.cases.reduce((sum, c, i) => sum + (verdicts[i]?.passed ? (spec.points * (c.weight ?? 1)) / totalWeight : 0), 0);
  return {
    id: spec.id,
    title: spec.title,
    file: spec.file,
    points: roundPoints(earned),
    maxPoints: spec.points,
    ...(problem ? { problem } : {}),
    cases,
  };
}

/** Exercises in lesson order, then by number. */
export function byExerciseId(a: { id: string }, b: { id: string }): number {
  const [al, an] = a.id.split('.').map(Number);
  const [bl, bn] = b.id.split('.').map(Number);
  return al! - bl! || an! - bn!;
}

export { lessonFolderOf };
