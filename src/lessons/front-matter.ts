/**
 * The YAML front matter every lesson starts with:
 *
 *   ---
 *   title: Next-token prediction
 *   objectives:
 *     - Say what pretraining is and what it is not
 *   ---
 */
import type { Yaml } from 'mdast';
import { LineCounter, type Node, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { LessonError } from './errors';

export interface LessonFrontMatter {
  /** One line, shown as the notebook's heading. */
  readonly title: string;
  /** What the learner will be able to do, one or more; listed under the heading. */
  readonly objectives: readonly string[];
}

/** The keys a front matter may have, and what each holds (for error messages). */
export const FRONT_MATTER_KEYS = {
  title: 'the lesson title, one line',
  objectives: 'a list of one or more learning objectives',
} as const;

const EXAMPLE = '---\ntitle: <the lesson title>\nobjectives:\n  - <what the learner will be able to do>\n---';

/**
 * Reads and validates the front matter. `node` is the tree's first child when it is a YAML
 * block, else undefined; `source` is the whole lesson (to tell an unclosed block from none).
 */
export function readFrontMatter(node: Yaml | undefined, source: string, file: string): LessonFrontMatter {
  if (node === undefined) {
    const opened = /^---[ \t]*(\n|$)/.test(source);
    throw new LessonError(
      file,
      1,
      opened
        ? 'the front matter opened here is never closed: end it with a line that is exactly `---`.'
        : `a lesson must start with YAML front matter (title and objectives), like this:\n${EXAMPLE}`,
    );
  }
  const fenceLine = node.position?.start.line ?? 1;
  const lineCounter = new LineCounter();
  const doc = parseDocument(node.value, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // The YAML text starts on the line after the opening `---`.
  const lineOf = (offset: number) => fenceLine + lineCounter.linePos(offset).line;
  const fail = (line: number, problem: string): never => {
    throw new LessonError(file, line, problem);
  };

  const yamlError = doc.errors[0];
  if (yamlError) {
    fail(lineOf(yamlError.pos[0]), `the front matter is not valid YAML: ${yamlError.message}. Fix the YAML between the \`---\` lines.`);
  }
  const contents = doc.contents;
  if (contents === null) fail(fenceLine, `the front matter is empty; it needs a title and objectives:\n${EXAMPLE}`);
  if (!isMap(contents)) {
    fail(lineOf(rangeStart(contents)), `the front matter must be YAML keys (title, objectives), like this:\n${EXAMPLE}`);
  }

  const fields = new Map<string, { node: Node | null; line: number }>();
  for (const pair of isMap(contents) ? contents.items : []) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : '';
    const line = lineOf(rangeStart(key));
    if (!Object.hasOwn(FRONT_MATTER_KEYS, name)) {
      const known = Object.entries(FRONT_MATTER_KEYS).map(([k, what]) => `${k} (${what})`).join(', ');
      fail(line, `unknown front matter key '${name}'. The keys are: ${known}.`);
    }
    fields.set(name, { node: (pair.value as Node | null) ?? null, line });
  }

  const title = fields.get('title');
  if (!title) fail(fenceLine, 'the front matter has no title: add a line `title: <the lesson title>`.');
  const titleText = textOf(title?.node ?? null, node.value);
  if (titleText === undefined || titleText.trim() === '' || titleText.includes('\n')) {
    fail(title?.line ?? fenceLine, 'the title must be one line of text, e.g. `title: Next-token prediction`.');
  }

  const objectives = fields.get('objectives');
  if (!objectives) {
    fail(fenceLine, 'the front matter has no objectives: add `objectives:` followed by a list of lines `  - <objective>`.');
  }
  const list = objectives?.node ?? null;
  if (!isSeq(list) || list.items.length === 0) {
    fail(objectives?.line ?? fenceLine, 'objectives must be a list of one or more lines, each written `  - <objective>` under `objectives:`.');
  }
  const items = isSeq(list) ? list.items : [];
  const texts = items.map((item) => {
    const text = textOf(item as Node | null, node.value);
    if (text === undefined || text.trim() === '') {
      const at = item === null ? (objectives?.line ?? fenceLine) : lineOf(rangeStart(item as Node));
      fail(at, 'each objective must be a line of text (an empty item or a nested list or map is not).');
    }
    return (text as string).trim();
  });
  return { title: (titleText as string).trim(), objectives: texts };
}

/** A scalar's text (a number or boolean as written in the YAML), or undefined for lists, maps and null. */
function textOf(node: Node | null, yamlText: string): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.range ? yamlText.slice(node.range[0], node.range[1]) : String(node.value);
}

function rangeStart(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}
