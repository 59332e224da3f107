import { buildLesson } from '../../src/lessons';
import { BODY_FIRST_LINE, FILE, buildError, cellTexts, lesson } from './lesson-helpers';

const build = (source: string) => buildLesson(source, FILE).notebook;
const kinds = (source: string) => build(source).cells.map((c) => c.cell_type);

describe('prose keeps the Markdown exactly as written', () => {
  // Every construct a parser-and-printer round trip would be tempted to rewrite.
  const prose = [
    '  Indented first line, *emphasis*, __strong__, `code`, and math $\\ln V$ and $$\\sum_i p_i = 1$$.',
    'A hard break follows (two trailing spaces):  ',
    'next line\\',
    'and a backslash break.',
    '',
    '',
    '',
    'Setext heading',
    '==============',
    '',
    '| a | b |',
    '|:--|--:|',
    '| 1 | 2 |',
    '',
    '* star list',
    '  + nested plus',
    '',
    '     indented continuation',
    '3) ordered with a paren',
    '',
    '> quote with ```ts inline fence text``` and a [link](https://example.org "title")',
    '',
    '<details><summary>HTML</summary>',
    '',
    'Inside.',
    '',
    '</details>',
    '',
    '~~~text',
    'shown, not run',
    '~~~',
    '',
    '    indented code block',
    '',
    '```bash',
    'npm run lessons:build',
    '```',
    '',
    '```',
    'a fence with no language',
    '```',
    '',
    '---',
    '',
    'Tabs\tand trailing spaces   ',
    '![an image](img/plot.png) [a ref][r] and &copy; &#x2014; entities',
    '',
    '[r]: https://example.org',
  ].join('\n');

  it('is one markdown cell, byte for byte', () => {
    const texts = cellTexts(build(lesson(prose)));
    expect(texts).toHaveLength(2);
    expect(texts[1]).toBe(prose);
  });

  it('survives between code cells, one cell per stretch of prose', () => {
    const source = lesson('First *stretch*.', '', '| x |', '|---|', '', '```ts', 'const a = 1;', '```', '', '', 'Second $x^2$.', '', '```ts', 'a;', '```');
    expect(cellTexts(build(source)).slice(1)).toEqual(['First *stretch*.\n\n| x |\n|---|', 'const a = 1;', 'Second $x^2$.', 'a;']);
  });

  it('does not depend on line endings or a byte-order mark', () => {
    const source = lesson('Para one.', '', '```ts', 'const a = 1;', '```', '', 'Para two.');
    const crlf = '\uFEFF' + source.replace(/\n/g, '\r\n');
    expect(build(crlf)).toEqual(build(source));
  });
});

describe('code fences', () => {
  it.each([
    ['ts', 'code'],
    ['typescript', 'code'],
    ['js', 'markdown'],
    ['text', 'markdown'],
    ['bash', 'markdown'],
    ['python', 'markdown'],
    ['TS', 'markdown'],
  ])('```%s becomes a %s cell', (language, kind) => {
    const cells = build(lesson('Before.', '', '```' + language, 'let x = 1;', '```', '', 'After.')).cells;
    expect(cells.slice(1).map((c) => c.cell_type)).toEqual(kind === 'code' ? ['markdown', 'code', 'markdown'] : ['markdown']);
  });

  it('takes the code without its fence, indentation of an indented fence removed', () => {
    const source = lesson('  ```ts', '  if (x) {', '    y();', '  }', '  ```', '', '````ts', 'const md = "```";', '````');
    expect(cellTexts(build(source)).slice(1)).toEqual(['if (x) {\n  y();\n}', 'const md = "```";']);
  });

  it('makes no empty markdown cell between adjacent code cells', () => {
    expect(kinds(lesson('```ts', 'a;', '```', '```ts', 'b;', '```'))).toEqual(['markdown', 'code', 'code']);
  });

  it('keeps an empty code cell as an empty source', () => {
    const cell = build(lesson('```ts', '```')).cells[1];
    expect(cell?.source).toEqual([]);
  });

  it('leaves a ts fence inside a list item as shown code', () => {
    const prose = '- Try:\n\n  ```ts\n  demo();\n  ```';
    expect(cellTexts(build(lesson(prose)))).toEqual([expect.any(String), prose]);
  });

  it('rejects options on a ts fence inside a list item or quote, naming its line', () => {
    const list = buildError(lesson('- Try:', '', '  ```ts exercise=1.1', '  demo();', '  ```'));
    expect([list.line, list.problem]).toEqual([BODY_FIRST_LINE + 2, expect.stringMatching(/options \('exercise=1.1'\) inside a list: only fences at the top level/)]);
    const quote = buildError(lesson('> ```ts hide', '> demo();', '> ```'));
    expect([quote.line, quote.problem]).toEqual([BODY_FIRST_LINE, expect.stringMatching(/inside a blockquote/)]);
  });
});

describe('link references', () => {
  it('may be defined anywhere in the same stretch of prose', () => {
    expect(() => build(lesson('[r]: https://example.org', '', 'See [the ref][r] and [r].'))).not.toThrow();
  });

  it('are rejected when the definition is across a code cell, naming both lines', () => {
    const error = buildError(lesson('See [the notes][notes].', '', '```ts', 'a;', '```', '', '[notes]: ../data/README.md'));
    expect(error.line).toBe(BODY_FIRST_LINE);
    expect(error.problem).toMatch(/\[notes\] is defined at line 13, across a code cell/);
  });
});
