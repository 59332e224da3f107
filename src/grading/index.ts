/**
 * Grading: exercise specs, `check()` in a notebook, and the CI grader (`llm-lab grade`)
 * that runs untrusted submissions in sandboxed child processes and writes its reports.
 */
export type { ExerciseSpec, GradingCase, JsonValue, OutputProperty, CaseVisibility, QuizQuestion, QuizAnswers } from './spec';
export { COURSE_EXERCISES, findExercise } from './specs';
export { gradeSubmission } from './grade';
export type { GradeOptions } from './grade';
export type { GradeReport, ExerciseResult, CaseResult } from './result';
export { GRADE_SCHEMA_VERSION } from './result';
export { withHiddenCases } from './hidden';
export { validateExercise } from './validate';
export { readSubmission } from './submission';
export type { Submission, SubmissionFile } from './submission';
export { DEFAULT_LIMITS } from './sandbox';
export type { SandboxLimits } from './sandbox';
export {
  UnknownExerciseError,
  InvalidSpecError,
  SubmissionNotFoundError,
  GraderDependencyMissingError,
  ScoreBelowMinimumError,
  ExercisesCheckError,
} from './errors';
export { check, showCheck } from './check';
export type { CheckOptions } from './check';
export { gradeClass, SCORES_CSV, CLASS_SUMMARY } from './grade-class';
export type { GradeClassOptions } from './grade-class';
export { writeReports, markdownReport, scoresCsv, REPORT_FILES } from './reports';
export { buildExerciseFiles, writeExerciseFiles, checkExercises } from './authoring';
export type { ExercisesFolders, ExercisesCheckReport } from './authoring';
export { yoursOrToolkit } from './yours-or-toolkit';
