/**
 * How a lesson's body splits into cells: each top-level ```` ```ts ```` (or ```` ```typescript ````)
 * fence is a code cell; everything between them — prose, headings, tables, code in other
 * languages — is one markdown cell, cut from the source line for line so that it keeps the
 * author's Markdown byte for byte.
 */
import type { Code, Definition, ImageReference, LinkReference, Node, Parent, RootContent } from 'mdast';
import { LessonError } from './errors';

/** Fence languages that become code cells; any other fence stays in the prose as shown code. */
export const CODE_CELL_LANGUAGES: readonly string[] = ['ts', 'typescript'];

export type LessonPiece =
  | { readonly kind: 'markdown'; readonly text: string; readonly line: number }
  | { readonly kind: 'code'; readonly code: string; readonly meta: string | null; readonly line: number };

/** Splits the top-level nodes after the front matter into markdown and code pieces, in order. */
export function splitLesson(nodes: readonly RootContent[], source: string, file: string): LessonPiece[] {
  const lines = source.split('\n');
  const pieces: LessonPiece[] = [];
  let prose: RootContent[] = [];
  const flushProse = () => {
    if (prose.length === 0) return;
    const first = lineRange(prose[0] as RootContent).start;
    const last = lineRange(prose[prose.length - 1] as RootContent).end;
    pieces.push({ kind: 'markdown', text: lines.slice(first - 1, last).join('\n'), line: first });
    prose = [];
  };
  for (const node of nodes) {
    if (isCodeCell(node)) {
      flushProse();
      pieces.push({ kind: 'code', code: node.value, meta: node.meta ?? null, line: lineRange(node).start });
    } else {
      prose.push(node);
    }
  }
  flushProse();
  checkNestedFences(nodes, file);
  checkReferencesStayInTheirCell(nodes, file);
  return pieces;
}

function isCodeCell(node: Node): node is Code {
  return node.type === 'code' && CODE_CELL_LANGUAGES.includes((node as Code).lang ?? '');
}

function lineRange(node: Node): { start: number; end: number } {
  const { position } = node;
  if (!position) throw new Error(`internal: a parsed ${node.type} node has no position`);
  return { start: position.start.line, end: position.end.line };
}

/** Every node under `nodes` (depth first), with the top-level node it sits in. */
function* walk(nodes: readonly Node[]): Generator<{ node: Node; top: Node }> {
  for (const top of nodes) {
    const stack: Node[] = [top];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      yield { node, top };
      const children = (node as Parent).children;
      if (Array.isArray(children)) stack.push(...[...children].reverse());
    }
  }
}

/** A ts fence inside a list or quote stays shown code; options on it would be silently lost. */
function checkNestedFences(nodes: readonly RootContent[], file: string): void {
  for (const { node, top } of walk(nodes)) {
    if (node === top || node.type !== 'code') continue;
    const code = node as Code;
    if (CODE_CELL_LANGUAGES.includes(code.lang ?? '') && (code.meta ?? '').trim() !== '') {
      throw new LessonError(
        file,
        lineRange(code).start,
        `a \`\`\`${code.lang} fence with options ('${code.meta}') inside a ${top.type}: only fences at the top ` +
          'level (not indented under a list item or quote) become notebook cells. Move it out, or drop the options.',
      );
    }
  }
}

/**
 * A notebook cell resolves `[text][label]` only against definitions in the same cell, so a
 * reference whose definition ends up in another cell would render as plain brackets.
 */
function checkReferencesStayInTheirCell(nodes: readonly RootContent[], file: string): void {
  const cellOf = new Map<Node, number>();
  let cell = 0;
  for (const node of nodes) {
    if (isCodeCell(node)) cell += 1;
    else cellOf.set(node, cell);
  }
  const definedIn = new Map<string, { cell: number; line: number }>();
  for (const { node, top } of walk(nodes)) {
    if (node.type === 'definition' && cellOf.has(top)) {
      const id = (node as Definition).identifier;
      if (!definedIn.has(id)) definedIn.set(id, { cell: cellOf.get(top) as number, line: lineRange(node).start });
    }
  }
  for (const { node, top } of walk(nodes)) {
    if ((node.type !== 'linkReference' && node.type !== 'imageReference') || !cellOf.has(top)) continue;
    const { identifier, label } = node as LinkReference | ImageReference;
    const definition = definedIn.get(identifier);
    if (definition && definition.cell !== cellOf.get(top)) {
      throw new LessonError(
        file,
        lineRange(node).start,
        `the reference [${label ?? identifier}] is defined at line ${definition.line}, across a code cell: a notebook ` +
          'cell sees only its own link definitions. Move the definition into the same stretch of prose, or use an inline link.',
      );
    }
  }
}
