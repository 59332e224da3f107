import { buildLesson, extractExercises } from '../../src/lessons';
import { BODY_FIRST_LINE as L, FILE, buildError, cellTexts, lesson } from './lesson-helpers';

const exercise = (meta: string, ...code: string[]) => ['```ts ' + meta, ...code, '```'];

describe('exercise cells', () => {
  const code = [
    'export function double(x: number): number {',
    '  // BEGIN SOLUTION',
    '  return 2 * x;',
    '  // END SOLUTION',
    "  throw new Error('Exercise 1.1: replace this line with your code');",
    '}',
  ];
  let built: ReturnType<typeof buildLesson>;
  beforeAll(() => {
    built = buildLesson(lesson('Prose.', '', ...exercise('exercise=1.1', ...code)), FILE);
  });

  it('are tagged, carry their id, and show the learner version', () => {
    const cell = built.notebook.cells[2];
    expect(cell).toMatchObject({ cell_type: 'code', id: 'exercise-1-1', metadata: { tags: ['exercise'], llm_lab: { exercise: '1.1' } } });
    expect(cellTexts(built.notebook)[2]).toBe(
      "export function double(x: number): number {\n  throw new Error('Exercise 1.1: replace this line with your code');\n}",
    );
  });

  it('are returned with the full solution, the learner text and where they are', () => {
    expect(built.exercises).toEqual([
      {
        id: '1.1',
        file: FILE,
        line: L + 2,
        solution: code.join('\n'),
        learner: cellTexts(built.notebook)[2],
      },
    ]);
    expect(extractExercises(lesson(...exercise('exercise=1.1', ...code)), FILE)).toEqual([{ ...built.exercises[0], line: L }]);
  });

  it('never leave solution text in the notebook', () => {
    expect(JSON.stringify(built.notebook)).not.toMatch(/SOLUTION|2 \* x/);
  });

  it('may have several solution regions, indented or not', () => {
    const source = lesson(
      ...exercise('exercise=2.3', 'const a = 1;', '// BEGIN SOLUTION', 'const b = 2;', '// END SOLUTION', 'function f() {', '    // BEGIN SOLUTION', '    return a + b;', '    // END SOLUTION', '}'),
    );
    expect(buildLesson(source, FILE).exercises[0]?.learner).toBe('const a = 1;\nfunction f() {\n}');
  });

  it('can be hidden when not exercises: jupyter.source_hidden', () => {
    const cell = buildLesson(lesson(...exercise('hide', 'setup();')), FILE).notebook.cells[1];
    expect(cell?.metadata).toEqual({ jupyter: { source_hidden: true } });
  });

  it('allow ids of any lesson and exercise number', () => {
    const source = lesson(...exercise('exercise=0.1', '// BEGIN SOLUTION', '// END SOLUTION'), ...exercise('exercise=12.10', '// BEGIN SOLUTION', '// END SOLUTION'));
    expect(buildLesson(source, FILE).exercises.map((e) => e.id)).toEqual(['0.1', '12.10']);
  });
});

describe('exercise and option errors name the line', () => {
  const solved = ['// BEGIN SOLUTION', 'x;', '// END SOLUTION'];
  const cases: [string, string[], number, RegExp][] = [
    ['BEGIN never closed', exercise('exercise=1.1', 'a;', '// BEGIN SOLUTION', 'x;'), L + 2, /BEGIN SOLUTION is never closed/],
    ['END without BEGIN', exercise('exercise=1.1', 'a;', '// END SOLUTION'), L + 2, /END SOLUTION without a \/\/ BEGIN SOLUTION/],
    ['nested BEGIN', exercise('exercise=1.1', '// BEGIN SOLUTION', '// BEGIN SOLUTION', '// END SOLUTION'), L + 2, /second \/\/ BEGIN SOLUTION before the \/\/ END SOLUTION of the one at line 8/],
    ['END twice', exercise('exercise=1.1', ...solved, '// END SOLUTION'), L + 4, /END SOLUTION without/],
    ['marker without a space', exercise('exercise=1.1', '//BEGIN SOLUTION', 'x;', '// END SOLUTION'), L + 1, /looks like a solution marker but is not exactly/],
    ['marker in a block comment', exercise('exercise=1.1', '// BEGIN SOLUTION', 'x;', '/* END SOLUTION */'), L + 3, /looks like a solution marker/],
    ['marker with a trailing note', exercise('exercise=1.1', '// BEGIN SOLUTION: use a Map', 'x;', '// END SOLUTION'), L + 1, /looks like a solution marker/],
    ['lower-case marker', exercise('exercise=1.1', '// begin solution', 'x;', '// end solution'), L + 1, /looks like a solution marker/],
    ['no solution region', exercise('exercise=1.1', 'a;'), L, /exercise 1.1 has no solution region/],
    ['markers in a plain cell', ['```ts', 'a;', ...solved, '```'], L + 2, /solution marker in a cell that is not an exercise/],
    ['markers in a hidden cell', ['```ts hide', ...solved, '```'], L + 1, /not an exercise/],
    ['duplicate id', [...exercise('exercise=1.1', ...solved), '', ...exercise('exercise=1.1', ...solved)], L + 6, /exercise 1.1 is already defined at line 7/],
    ['id without a dot', exercise('exercise=1', ...solved), L, /exercise id '1' is not of the form N.M/],
    ['id with letters', exercise('exercise=1.a', ...solved), L, /not of the form N.M/],
    ['id with a leading zero', exercise('exercise=01.1', ...solved), L, /not of the form N.M/],
    ['id with three parts', exercise('exercise=1.1.1', ...solved), L, /not of the form N.M/],
    ['exercise without a value', exercise('exercise', ...solved), L, /'exercise' needs a value: write exercise=N.M/],
    ['exercise with an empty value', exercise('exercise=', ...solved), L, /needs a value/],
    ['unknown option', exercise('exercize=1.1', ...solved), L, /unknown cell option 'exercize'.*Cell options are: exercise=N.M .*, hide/],
    ['unknown flag', exercise('setup'), L, /unknown cell option 'setup'/],
    ['flag with a value', exercise('hide=yes', 'a;'), L, /'hide' takes no value/],
    ['option twice', exercise('hide hide', 'a;'), L, /'hide' is given twice/],
    ['hidden exercise', exercise('exercise=1.1 hide', ...solved), L, /an exercise cell cannot be hidden/],
  ];

  it.each(cases)('%s', (_name, body, line, message) => {
    const error = buildError(lesson(...body));
    expect(error.message).toMatch(new RegExp(`^${FILE}:${line}: `));
    expect(error.problem).toMatch(message);
  });
});
