import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  LessonBuildError,
  LessonsFolderError,
  buildAllLessons,
  checkLessons,
  formatCheckReport,
  writeNotebooks,
} from '../../src/lessons';
import { lesson } from './lesson-helpers';

let root: string;
let lessonsDir: string;
let outDir: string;
const options = () => ({ lessonsDir, outDir });

const write = (file: string, text: string) => fs.writeFileSync(file, text);
const solved = (id: string) => ['```ts exercise=' + id, '// BEGIN SOLUTION', 'x;', '// END SOLUTION', '```'];
const notebookFiles = () => fs.readdirSync(outDir).sort();

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-lessons-'));
  lessonsDir = path.join(root, 'lessons');
  outDir = path.join(root, 'notebooks');
  fs.mkdirSync(lessonsDir);
  write(path.join(lessonsDir, '01-first.md'), lesson('One.', '', ...solved('1.1')));
  write(path.join(lessonsDir, '02-second.md'), lesson('Two.', '', '```ts', 'two();', '```'));
  write(path.join(lessonsDir, 'README.md'), 'How the lessons are written: not a lesson.\n');
  write(path.join(lessonsDir, 'notes.txt'), 'not Markdown\n');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('buildAllLessons', () => {
  it('builds every NN-name.md in order, in memory, skipping README.md', () => {
    const built = buildAllLessons(options());
    expect(built.map((b) => [b.lessonPath, b.notebookPath, b.exercises.map((e) => e.id)])).toEqual([
      [path.join(lessonsDir, '01-first.md'), path.join(outDir, '01-first.ipynb'), ['1.1']],
      [path.join(lessonsDir, '02-second.md'), path.join(outDir, '02-second.ipynb'), []],
    ]);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('reports the problems of every lesson at once, with file:line', () => {
    write(path.join(lessonsDir, '01-first.md'), lesson('```ts exercise=1', '```'));
    write(path.join(lessonsDir, '02-second.md'), 'no front matter\n');
    write(path.join(lessonsDir, 'Third Lesson.md'), lesson('x'));
    const error = catchError(() => buildAllLessons(options()));
    expect(error).toBeInstanceOf(LessonBuildError);
    expect((error as LessonBuildError).errors.map((e) => [path.basename(e.file), e.line])).toEqual([
      ['Third Lesson.md', undefined],
      ['01-first.md', 7],
      ['02-second.md', 1],
    ]);
    expect(error.message).toMatch(/^3 problems in the lessons:\n {2}.*Third Lesson\.md: 'Third Lesson\.md' is not a lesson file name/);
  });

  it('rejects two lessons with one number, and one exercise id in two lessons', () => {
    write(path.join(lessonsDir, '02-again.md'), lesson(...solved('1.1')));
    const error = catchError(() => buildAllLessons(options())) as LessonBuildError;
    expect(error.errors.map((e) => e.message)).toEqual([
      `${path.join(lessonsDir, '02-second.md')}: lesson number 02 is also used by ${path.join(lessonsDir, '02-again.md')}: give each lesson its own number.`,
      `${path.join(lessonsDir, '02-again.md')}:7: exercise 1.1 is also defined at ${path.join(lessonsDir, '01-first.md')}:9: exercise ids must be unique across the lessons.`,
    ]);
  });

  it('says when the lessons folder is missing or has no lessons', () => {
    expect(() => buildAllLessons({ lessonsDir: path.join(root, 'nope'), outDir })).toThrow(
      new LessonsFolderError(`The lessons folder ${path.join(root, 'nope')} does not exist: run from the project folder, or pass --lessons <folder>.`),
    );
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    expect(() => buildAllLessons({ lessonsDir: empty, outDir })).toThrow(/No lessons \(NN-name.md files\) in .*empty/);
  });
});

describe('writeNotebooks', () => {
  it('writes the notebooks, then leaves unchanged ones untouched', () => {
    const first = writeNotebooks(options());
    expect(first.written.map((f) => path.basename(f))).toEqual(['01-first.ipynb', '02-second.ipynb']);
    expect(notebookFiles()).toEqual(['01-first.ipynb', '02-second.ipynb']);
    const file = path.join(outDir, '01-first.ipynb');
    fs.utimesSync(file, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const bytes = fs.readFileSync(file);

    const second = writeNotebooks(options());
    expect([second.written, second.unchanged.length, second.removed]).toEqual([[], 2, []]);
    expect(fs.readFileSync(file)).toEqual(bytes);
    expect(fs.statSync(file).mtime.getFullYear()).toBe(2000);
  });

  it('removes NN-*.ipynb whose lesson is gone, and nothing else', () => {
    writeNotebooks(options());
    for (const other of ['notes.ipynb', 'README.md', '99-old-lesson.ipynb']) write(path.join(outDir, other), '{}\n');
    fs.rmSync(path.join(lessonsDir, '02-second.md'));
    const report = writeNotebooks(options());
    expect(report.removed).toEqual([path.join(outDir, '02-second.ipynb'), path.join(outDir, '99-old-lesson.ipynb')]);
    expect(notebookFiles()).toEqual(['01-first.ipynb', 'README.md', 'notes.ipynb']);
  });

  it('writes nothing when a lesson has a problem', () => {
    write(path.join(lessonsDir, '02-second.md'), lesson('```ts exercise=2.1', 'no solution;', '```'));
    expect(() => writeNotebooks(options())).toThrow(/02-second\.md:7: exercise 2\.1 has no solution region/);
    expect(fs.existsSync(outDir)).toBe(false);
  });
});

describe('checkLessons', () => {
  beforeEach(() => {
    writeNotebooks(options());
  });

  it('finds nothing when the notebooks are what the lessons build to', () => {
    const report = checkLessons(options());
    expect(report).toEqual({ upToDate: true, differ: [], missing: [], extra: [] });
    expect(formatCheckReport(report)).toBe('The notebooks are up to date with their lessons.');
  });

  it('finds a changed, a missing and an extra notebook, and writes nothing', () => {
    const changed = path.join(outDir, '01-first.ipynb');
    const text = fs.readFileSync(changed, 'utf8');
    write(changed, text.replace('"execution_count": null', '"execution_count": 3'));
    fs.rmSync(path.join(outDir, '02-second.ipynb'));
    write(path.join(outDir, '03-removed.ipynb'), '{}\n');
    const before = notebookFiles();

    const report = checkLessons(options());
    expect(report.upToDate).toBe(false);
    expect(report.differ).toEqual([{ notebookPath: changed, lessonPath: path.join(lessonsDir, '01-first.md'), line: text.split('\n').findIndex((l) => l.includes('execution_count')) + 1 }]);
    expect(report.missing).toEqual([{ notebookPath: path.join(outDir, '02-second.ipynb'), lessonPath: path.join(lessonsDir, '02-second.md') }]);
    expect(report.extra).toEqual([path.join(outDir, '03-removed.ipynb')]);
    expect(notebookFiles()).toEqual(before);

    const message = formatCheckReport(report);
    expect(message.split('\n')).toEqual([
      '3 notebooks are out of date with the lessons:',
      `  ${changed} differs from what ${path.join(lessonsDir, '01-first.md')} builds to (from line ${report.differ[0]?.line})`,
      `  ${path.join(outDir, '02-second.ipynb')} is missing (built from ${path.join(lessonsDir, '02-second.md')})`,
      `  ${path.join(outDir, '03-removed.ipynb')} has no lesson (no 03-removed.md in the lessons folder)`,
      'Run `npm run lessons:build` and commit the notebooks.',
    ]);
  });

  it('sees a changed lesson as a notebook that differs', () => {
    write(path.join(lessonsDir, '02-second.md'), lesson('Two, edited.', '', '```ts', 'two();', '```'));
    expect(checkLessons(options()).differ.map((d) => path.basename(d.notebookPath))).toEqual(['02-second.ipynb']);
  });

  it('treats every notebook as missing when the folder is absent', () => {
    fs.rmSync(outDir, { recursive: true });
    expect(checkLessons(options()).missing).toHaveLength(2);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
