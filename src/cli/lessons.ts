/** `llm-lab lessons build|check`: the notebooks, built from the lesson sources. */
import type { Command } from 'commander';

interface LessonsFlags {
  lessons: string;
  out: string;
}

export function registerLessonsCommand(program: Command): void {
  const lessons = program
    .command('lessons')
    .description('build the notebooks from the lesson sources (lessons/*.md), or check that they are up to date');

  lessons
    .command('build')
    .description('build NN-name.ipynb from every NN-name.md; remove the notebooks whose lesson is gone')
    .option('--lessons <dir>', 'folder of lesson sources', 'lessons')
    .option('--out <dir>', 'folder of notebooks', 'notebooks')
    .action(async (opts: LessonsFlags) => {
      // Loaded here, not at start-up: no other command needs the Markdown parser.
      const { writeNotebooks } = await import('../lessons');
      const report = writeNotebooks({ lessonsDir: opts.lessons, outDir: opts.out });
      const written = new Set(report.written);
      for (const notebook of report.notebooks) {
        if (!written.has(notebook.notebookPath)) continue;
        const { cells } = notebook.notebook;
        console.log(`wrote ${notebook.notebookPath} (${count(cells.length, 'cell')}, ${count(notebook.exercises.length, 'exercise')})`);
      }
      for (const file of report.removed) console.log(`removed ${file} (its lesson is gone)`);
      console.log(
        `${count(report.notebooks.length, 'lesson')} in ${opts.lessons}: ${report.written.length} written, ` +
          `${report.unchanged.length} unchanged, ${report.removed.length} removed (in ${opts.out}).`,
      );
    });

  lessons
    .command('check')
    .description('exit 1 if the notebooks differ from what the lessons build to (writes nothing)')
    .option('--lessons <dir>', 'folder of lesson sources', 'lessons')
    .option('--out <dir>', 'folder of notebooks', 'notebooks')
    .action(async (opts: LessonsFlags) => {
      const { checkLessons, formatCheckReport, NotebooksOutOfDateError } = await import('../lessons');
      const report = checkLessons({ lessonsDir: opts.lessons, outDir: opts.out });
      if (!report.upToDate) throw new NotebooksOutOfDateError(formatCheckReport(report));
      console.log(formatCheckReport(report));
    });
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
