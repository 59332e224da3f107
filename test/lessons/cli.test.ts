import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireBuiltCli, runCli } from '../helpers/cli';
import { lesson } from './lesson-helpers';

let root: string;
const fixtures = path.join(__dirname, 'fixtures');

beforeAll(() => {
  requireBuiltCli();
});

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-lessons-cli-'));
  fs.mkdirSync(path.join(root, 'lessons'));
  fs.writeFileSync(path.join(root, 'lessons', '01-first.md'), lesson('One.', '', '```ts', 'one();', '```'));
  fs.writeFileSync(path.join(root, 'lessons', '02-second.md'), lesson('Two.'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('llm-lab lessons', () => {
  it('build writes the notebooks and says what it wrote; check then passes', () => {
    const built = runCli(['lessons', 'build'], { cwd: root });
    expect([built.status, built.stderr]).toEqual([0, '']);
    expect(built.stdout.split('\n')).toEqual([
      `wrote ${path.join('notebooks', '01-first.ipynb')} (3 cells, 0 exercises)`,
      `wrote ${path.join('notebooks', '02-second.ipynb')} (2 cells, 0 exercises)`,
      '2 lessons in lessons: 2 written, 0 unchanged, 0 removed (in notebooks).',
      '',
    ]);
    expect(fs.readdirSync(path.join(root, 'notebooks'))).toEqual(['01-first.ipynb', '02-second.ipynb']);

    const checked = runCli(['lessons', 'check'], { cwd: root });
    expect([checked.status, checked.stdout, checked.stderr]).toEqual([0, 'The notebooks are up to date with their lessons.\n', '']);
  });

  it('check exits 1 listing what is out of date and the command that fixes it', () => {
    runCli(['lessons', 'build'], { cwd: root });
    fs.writeFileSync(path.join(root, 'lessons', '03-third.md'), lesson('Three.'));
    fs.rmSync(path.join(root, 'lessons', '02-second.md'));
    const checked = runCli(['lessons', 'check'], { cwd: root });
    expect(checked.status).toBe(1);
    expect(checked.stderr).toBe(
      [
        'llm-lab: 2 notebooks are out of date with the lessons:',
        `  ${path.join('notebooks', '03-third.ipynb')} is missing (built from ${path.join('lessons', '03-third.md')})`,
        `  ${path.join('notebooks', '02-second.ipynb')} has no lesson (no 02-second.md in the lessons folder)`,
        'Run `npm run lessons:build` and commit the notebooks.',
        '',
      ].join('\n'),
    );

    const rebuilt = runCli(['lessons', 'build'], { cwd: root });
    expect(rebuilt.stdout).toContain(`removed ${path.join('notebooks', '02-second.ipynb')} (its lesson is gone)`);
    expect(fs.readdirSync(path.join(root, 'notebooks'))).toEqual(['01-first.ipynb', '03-third.ipynb']);
  });

  it('exits 1 with file:line when a lesson has a problem', () => {
    fs.writeFileSync(path.join(root, 'lessons', '02-second.md'), lesson('```ts exercise=2.1 hidden', '```'));
    const built = runCli(['lessons', 'build'], { cwd: root });
    expect(built.status).toBe(1);
    expect(built.stderr).toMatch(/^llm-lab: 1 problem in the lessons:\n {2}lessons\/02-second\.md:7: unknown cell option 'hidden'/);
    expect(fs.existsSync(path.join(root, 'notebooks'))).toBe(false);
  });

  it('takes --lessons and --out; the committed fixture notebooks are up to date', () => {
    const args = ['--lessons', path.join(fixtures, 'lessons'), '--out', path.join(fixtures, 'notebooks')];
    const checked = runCli(['lessons', 'check', ...args]);
    expect([checked.status, checked.stderr]).toEqual([0, '']);
  });
});
