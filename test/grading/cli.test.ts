/** `llm-lab grade`, `check` and `exercises check` as a user runs them (the built CLI). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBuiltCli, runCli } from '../helpers/cli';
import { COURSE_EXERCISES, withHiddenCases } from '../../src/grading';
import { exampleHiddenDir, fixturesDir, root, solutionsDir, stubsDir, tempDir } from './helpers';

beforeAll(requireBuiltCli);

/** The course's points, and its cases with the example hidden ones: what every report below adds up to. */
const coursePoints = COURSE_EXERCISES.reduce((sum, e) => sum + e.points, 0);
const courseCases = withHiddenCases(COURSE_EXERCISES, exampleHiddenDir).reduce((sum, e) => sum + e.cases.length, 0);

function readReports(out: string) {
  return {
    json: JSON.parse(fs.readFileSync(path.join(out, 'grade.json'), 'utf8')) as { schemaVersion: number; points: number; maxPoints: number; percent: number },
    xml: fs.readFileSync(path.join(out, 'junit.xml'), 'utf8'),
    markdown: fs.readFileSync(path.join(out, 'summary.md'), 'utf8'),
  };
}

/** Well-formed enough for a CI's JUnit reader: a declaration, balanced tags, counts that add up. */
function expectJUnit(xml: string, tests: number, failures: number): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  expect(xml).toMatch(new RegExp(`<testsuites name="[^"]*" tests="${tests}" failures="${failures}" errors="0"`));
  const opened = (xml.match(/<testcase /g) ?? []).length;
  const closed = (xml.match(/<\/testcase>|<testcase [^>]*\/>/g) ?? []).length;
  expect(opened).toBe(tests);
  expect(closed).toBe(tests);
  expect((xml.match(/<failure>/g) ?? []).length).toBe(failures);
}

describe('llm-lab grade', () => {
  it('gives the solutions full marks, with grade.json, JUnit XML and a Markdown summary', () => {
    const out = tempDir('out');
    const result = runCli(['grade', solutionsDir, '--tests', exampleHiddenDir, '--out', out]);
    expect(result.status).toBe(0);
    const { json, xml, markdown } = readReports(out);
    expect(json).toMatchObject({ schemaVersion: 1, points: coursePoints, maxPoints: coursePoints, percent: 100 });
    expectJUnit(xml, courseCases, 0);
    expect(markdown).toMatch(new RegExp(`^## Grade: solutions — ${coursePoints} / ${coursePoints} points \\(100%\\)`));
  });

  it('gives the stubs zero and still exits 0; --min-score makes it exit 1', () => {
    const out = tempDir('out');
    const graded = runCli(['grade', stubsDir, '--tests', exampleHiddenDir, '--out', out]);
    expect(graded.status).toBe(0);
    const { json, xml, markdown } = readReports(out);
    expect(json.points).toBe(0);
    expectJUnit(xml, courseCases, courseCases);
    expect(markdown).toContain('### What failed');
    const gated = runCli(['grade', stubsDir, '--out', out, '--min-score', '50']);
    expect(gated.status).toBe(1);
    expect(gated.stderr).toMatch(/exercises scored 0\.0%: below --min-score 50%/);
  });

  it('grades a class in parallel: one folder per learner and a CSV of scores', () => {
    const out = tempDir('class');
    const result = runCli(['grade', solutionsDir, stubsDir, path.join(fixturesDir, 'wrong', 'naive'), '--out', out, '--jobs', '2']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/\[3\/3\]/);
    const csv = fs.readFileSync(path.join(out, 'scores.csv'), 'utf8');
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['learner,exercise,points,max_points', 'solutions,1.1,10,10']);
    expect(csv).toContain(`naive,total,19.67,${coursePoints}`); // lesson 01 partly right, the other lessons' files missing
    expect(csv).toContain(`exercises,total,0,${coursePoints}`);
    for (const learner of ['solutions', 'exercises', 'naive']) expect(fs.existsSync(path.join(out, learner, 'junit.xml'))).toBe(true);
  });

  it('cannot run without a submission or with a missing hidden-tests folder: exit 1 with what to do', () => {
    const result = runCli(['grade', solutionsDir, '--tests', path.join(root, 'no-such-folder'), '--out', tempDir('out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/hidden tests folder does not exist/);
    expect(runCli(['grade', path.join(root, 'nothing-here')]).stderr).toMatch(/cannot grade .*no such file or folder/);
  });
});

describe('llm-lab check and exercises check', () => {
  it('check shows the table of one exercise', () => {
    const result = runCli(['check', '1.2', '--exercises', solutionsDir]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Exercise 1\.2 — cross-entropy: 6\/6 cases, 10\/10 points/);
  });

  it('exercises check passes on the course', () => {
    const result = runCli(['exercises', 'check']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`solutions ${coursePoints}/${coursePoints}, stubs 0/${coursePoints}; exercises/ up to date`));
    expect(result.status).toBe(0);
  });
});
