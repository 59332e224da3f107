import { buildLesson } from '../../src/lessons';
import { FILE, buildError, cellTexts } from './lesson-helpers';

const body = '\nSome prose.\n';

describe('front matter errors name the file and line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['missing', 'Just prose, no front matter.\n', 1, /must start with YAML front matter/],
    ['not closed', '---\ntitle: T\nobjectives:\n  - o\n\nProse.\n', 1, /never closed/],
    ['empty', '---\n---\n' + body, 1, /front matter is empty/],
    ['a list, not keys', '---\n- title\n---\n' + body, 2, /must be YAML keys/],
    ['bad YAML', '---\ntitle: [unclosed\nobjectives:\n  - o\n---\n' + body, 3, /not valid YAML/],
    ['a key twice', '---\ntitle: A\ntitle: B\nobjectives:\n  - o\n---\n' + body, 3, /not valid YAML: Map keys must be unique/],
    ['unknown key', '---\ntitle: T\nobjective:\n  - o\n---\n' + body, 3, /unknown front matter key 'objective'. The keys are: title \(.*\), objectives/],
    ['no title', '---\nobjectives:\n  - o\n---\n' + body, 1, /no title: add a line `title: /],
    ['empty title', '---\ntitle: ""\nobjectives:\n  - o\n---\n' + body, 2, /title must be one line of text/],
    ['title is a list', '---\ntitle:\n  - a\nobjectives:\n  - o\n---\n' + body, 2, /title must be one line of text/],
    ['title on two lines', '---\ntitle: |\n  one\n  two\nobjectives:\n  - o\n---\n' + body, 2, /title must be one line/],
    ['no objectives', '---\ntitle: T\n---\n' + body, 1, /no objectives: add `objectives:`/],
    ['empty objectives', '---\ntitle: T\nobjectives: []\n---\n' + body, 3, /objectives must be a list of one or more/],
    ['objectives with no items', '---\ntitle: T\nobjectives:\n---\n' + body, 3, /objectives must be a list of one or more/],
    ['objectives as text', '---\ntitle: T\nobjectives: learn\n---\n' + body, 3, /objectives must be a list/],
    ['an empty objective', '---\ntitle: T\nobjectives:\n  - fine\n  - ""\n---\n' + body, 5, /each objective must be a line of text/],
    ['a nested objective', '---\ntitle: T\nobjectives:\n  - fine\n  - - nested\n---\n' + body, 5, /each objective must be a line of text/],
  ];

  it.each(cases)('%s', (_name, source, line, message) => {
    const error = buildError(source);
    expect({ file: error.file, line: error.line }).toEqual({ file: FILE, line });
    expect(error.message.startsWith(`${FILE}:${line}: `)).toBe(true);
    expect(error.problem).toMatch(message);
  });
});

describe('front matter that is fine', () => {
  it('becomes the heading cell and the notebook metadata', () => {
    const source = '---\ntitle: Next-token prediction\nobjectives:\n  - Say what *pretraining* is\n  - Compute $-\\ln p$ by hand\n---\n' + body;
    const built = buildLesson(source, 'lessons/03-next-token.md');
    expect(cellTexts(built.notebook)[0]).toBe(
      '# 03 · Next-token prediction\n\nIn this lesson you will:\n\n- Say what *pretraining* is\n- Compute $-\\ln p$ by hand',
    );
    expect(built.notebook.metadata.llm_lab).toEqual({
      source: 'lessons/03-next-token.md',
      title: 'Next-token prediction',
      objectives: ['Say what *pretraining* is', 'Compute $-\\ln p$ by hand'],
    });
    expect([built.number, built.title, built.notebookFile]).toEqual(['03', 'Next-token prediction', '03-next-token.ipynb']);
  });

  it('keeps numbers as written, trims, and indents an objective that spans lines', () => {
    const source = '---\ntitle: 2.50\nobjectives:\n  - >-\n    first\n    part\n  - |-\n    line one\n    line two\n---\n';
    const built = buildLesson(source, FILE);
    expect(built.title).toBe('2.50');
    expect(cellTexts(built.notebook)[0]).toContain('- first part\n- line one\n  line two');
  });

  it('accepts a lesson that is only front matter', () => {
    const built = buildLesson('---\ntitle: T\nobjectives:\n  - o\n---\n', FILE);
    expect(built.notebook.cells.map((c) => c.id)).toEqual(['title']);
  });
});

describe('lesson file names', () => {
  it.each(['lessons/1-short.md', 'lessons/01_next.md', 'lessons/01-Next.md', '01-next.markdown', 'lessons/001-next.md', 'lessons/01-.md.txt'])(
    'rejects %s, saying how to name it',
    (file) => {
      const error = buildError('---\ntitle: T\nobjectives:\n  - o\n---\n', file);
      expect(error.line).toBeUndefined();
      expect(error.message).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}: '.*' is not a lesson file name. Name lessons NN-name.md`));
    },
  );

  it.each(['01-next-token.md', 'lessons/12-lora-and-qlora.md', '/abs/path/00-setup-2.md'])('accepts %s', (file) => {
    expect(buildLesson('---\ntitle: T\nobjectives:\n  - o\n---\n', file).notebook.cells).toHaveLength(1);
  });
});
