/** The ways grading can fail to run: each says what was wrong and what to do. A learner's failing case is not an error. */

/** `check("9.9")` or a hidden case for an exercise the course does not have. */
export class UnknownExerciseError extends Error {
  constructor(id: string, known: readonly string[]) {
    super(`there is no exercise ${JSON.stringify(id)}; the exercises are ${known.join(', ')}. Write the id as in the lesson, e.g. check("1.2").`);
    this.name = 'UnknownExerciseError';
  }
}

/** A spec (the course's or a hidden-tests file) that cannot be graded as written. */
export class InvalidSpecError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'InvalidSpecError';
  }
}

/** The submission path is neither a folder with exercises nor a notebook. */
export class SubmissionNotFoundError extends Error {
  constructor(submission: string, problem: string) {
    super(`cannot grade ${submission}: ${problem}`);
    this.name = 'SubmissionNotFoundError';
  }
}

/** An optional package the grader loads on demand is not installed. */
export class GraderDependencyMissingError extends Error {
  constructor(pkg: string, why: string) {
    super(`the grader needs the package '${pkg}' to ${why}, and it is not installed. Run \`npm install\` in the project folder.`);
    this.name = 'GraderDependencyMissingError';
  }
}

/** `llm-lab grade --min-score`: grading ran, and a score is below the bar. */
export class ScoreBelowMinimumError extends Error {
  constructor(readonly failing: readonly { readonly learner: string; readonly percent: number }[], minimum: number) {
    super(`${failing.map((f) => `${f.learner} scored ${f.percent.toFixed(1)}%`).join(', ')}: below --min-score ${minimum}%.`);
    this.name = 'ScoreBelowMinimumError';
  }
}

/** `llm-lab exercises check`: a solution without full marks, a stub with points, or a stale exercises/ folder. */
export class ExercisesCheckError extends Error {
  constructor(problems: readonly string[]) {
    super(`the exercises are not consistent:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ExercisesCheckError';
  }
}
