/** What grading gives: per case, per exercise, per submission. `grade.json` is a `GradeReport`. */
import type { CaseVisibility } from './spec';

/** Bumped when a field changes meaning or goes away (new fields do not bump it). */
export const GRADE_SCHEMA_VERSION = 1;

export interface CaseResult {
  readonly name: string;
  readonly visibility: CaseVisibility;
  readonly passed: boolean;
  readonly points: number;
  readonly maxPoints: number;
  /** Why it failed ('' when passed). A hidden case's message never shows its inputs or expected value. */
  readonly message: string;
  /** What to look at (failed cases only). */
  readonly hint?: string;
  readonly timeMs: number;
}

export interface ExerciseResult {
  readonly id: string;
  readonly title: string;
  /** The learner's file, relative to exercises/. */
  readonly file: string;
  readonly points: number;
  readonly maxPoints: number;
  /** Set when the exercise could not run at all (its file is missing or does not compile). */
  readonly problem?: string;
  readonly cases: readonly CaseResult[];
}

export interface GradeReport {
  readonly schemaVersion: typeof GRADE_SCHEMA_VERSION;
  readonly learner: string;
  readonly submission: string;
  readonly points: number;
  readonly maxPoints: number;
  /** points / maxPoints × 100. */
  readonly percent: number;
  readonly exercises: readonly ExerciseResult[];
  readonly gradedAt: string;
  readonly timeMs: number;
}

/** Points rounded for reports: two decimals, no float noise. */
export function roundPoints(points: number): number {
  return Math.round(points * 100) / 100;
}
