/**
 * `llm-lab check <id>`, `llm-lab grade <submission…>`, `llm-lab exercises build|check`: the
 * autograder from a terminal and in CI. Grading exits 0 whatever the score; only a grading
 * that could not run (or, with --min-score, a score below it) exits non-zero.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { nonNegativeNumber, positiveInt } from './args';

const EXAMPLE_HIDDEN_TESTS = path.join('grading', 'example-hidden');

interface GradeFlags {
  tests?: string;
  out: string;
  minScore?: number;
  jobs?: number;
  caseTimeout?: number;
  memory?: number;
}

export function registerGradingCommands(program: Command): void {
  program
    .command('check')
    .description('run the public cases of one exercise on your exercises/ folder, e.g. llm-lab check 1.2')
    .argument('<id>', 'exercise id, as in the lesson ("1.2")')
    .option('--exercises <dir>', 'folder with your exercise files (default: the nearest exercises/)')
    .action(async (id: string, opts: { exercises?: string }) => {
      const { check } = await import('../grading');
      await check(id, undefined, opts.exercises ? { exercisesDir: opts.exercises } : {});
    });

  program
    .command('grade')
    .description('grade submissions (repositories, folders like exercises/, or notebooks) with public and hidden cases')
    .argument('<submission...>', 'a learner repository, a folder laid out like exercises/, or a .ipynb notebook')
    .option('--tests <dir>', 'folder of hidden cases (.json or .js), kept out of the learners\' repository')
    .option('--out <dir>', 'where reports go (grade.json, junit.xml, summary.md; per learner when several)', 'results')
    .option('--min-score <percent>', 'exit 1 when a submission scores below this percentage', nonNegativeNumber)
    .option('--jobs <n>', 'submissions graded at once (default: the number of CPUs)', positiveInt)
    .option('--case-timeout <ms>', 'time limit of one case', positiveInt)
    .option('--memory <mb>', 'memory limit of a submission\'s process (heap)', positiveInt)
    .action(async (submissions: string[], opts: GradeFlags) => {
      const grading = await import('../grading');
      const exercises = opts.tests ? grading.withHiddenCases(grading.COURSE_EXERCISES, opts.tests) : grading.COURSE_EXERCISES;
      const limits = { ...(opts.caseTimeout ? { caseTimeoutMs: opts.caseTimeout } : {}), ...(opts.memory ? { memoryMb: opts.memory } : {}) };
      let reports;
      if (submissions.length === 1) {
        const report = await grading.gradeSubmission({ submission: submissions[0]!, exercises, limits });
        await grading.writeReports(report, opts.out);
        console.error(`${report.learner}: ${report.points}/${report.maxPoints} points (${report.percent}%) in ${(report.timeMs / 1000).toFixed(1)} s`);
        console.log(grading.markdownReport(report));
        reports = [report];
      } else {
        const started = Date.now();
        reports = await grading.gradeClass({
          submissions,
          exercises,
          limits,
          outDir: opts.out,
          ...(opts.jobs ? { jobs: opts.jobs } : {}),
          onGraded: (r, done, total) => console.error(`[${done}/${total}] ${r.learner}: ${r.points}/${r.maxPoints} points (${r.percent}%)`),
        });
        console.error(`Graded ${reports.length} submissions in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path.join(opts.out, grading.SCORES_CSV)}`);
      }
      if (opts.minScore !== undefined) {
        const failing = reports.filter((r) => r.percent < opts.minScore!).map((r) => ({ learner: r.learner, percent: r.percent }));
        if (failing.length > 0) throw new grading.ScoreBelowMinimumError(failing, opts.minScore);
      }
    });

  const exercises = program
    .command('exercises')
    .description('for authors: build exercises/ from solutions/, or check that solutions pass and stubs score zero');

  exercises
    .command('build')
    .description('write exercises/ from solutions/ (solution regions removed); overwrites the stubs')
    .option('--solutions <dir>', 'reference solutions with // BEGIN SOLUTION … // END SOLUTION regions', 'solutions')
    .option('--exercises <dir>', 'where the learner\'s files go', 'exercises')
    .action(async (opts: { solutions: string; exercises: string }) => {
      const { writeExerciseFiles } = await import('../grading');
      const written = writeExerciseFiles({ solutionsDir: opts.solutions, exercisesDir: opts.exercises });
      for (const file of written) console.log(`wrote ${file}`);
      console.log(`${written.length} exercise file${written.length === 1 ? '' : 's'} written (${opts.exercises}).`);
    });

  exercises
    .command('check')
    .description('exit 1 unless every solution scores full marks, every stub zero, and exercises/ is up to date')
    .option('--solutions <dir>', 'reference solutions', 'solutions')
    .option('--exercises <dir>', 'the learner\'s stubs', 'exercises')
    .option('--tests <dir>', `hidden cases to include (default: ${EXAMPLE_HIDDEN_TESTS} when it exists)`)
    .action(async (opts: { solutions: string; exercises: string; tests?: string }) => {
      const { checkExercises } = await import('../grading');
      const hiddenDir = opts.tests ?? (fs.existsSync(EXAMPLE_HIDDEN_TESTS) ? EXAMPLE_HIDDEN_TESTS : undefined);
      const { solutions, stubs } = await checkExercises({ solutionsDir: opts.solutions, exercisesDir: opts.exercises, ...(hiddenDir ? { hiddenDir } : {}) });
      const cases = solutions.exercises.reduce((sum, e) => sum + e.cases.length, 0);
      console.log(
        `${solutions.exercises.length} exercises, ${cases} cases${hiddenDir ? ` (hidden: ${hiddenDir})` : ''}: ` +
          `solutions ${solutions.points}/${solutions.maxPoints}, stubs ${stubs.points}/${stubs.maxPoints}; exercises/ up to date.`,
      );
    });
}
