/**
 * The Markdown parser: `mdast-util-from-markdown` (CommonMark) with YAML front matter.
 *
 * These packages are ES modules only. The toolkit compiles to CommonJS, so they are loaded
 * with `require`, which loads ES modules on Node ≥ 20.19 — the same rule tslab lives by.
 * They are loaded on first use, not when this module is imported: the other commands and
 * the rest of the toolkit never need them.
 */
import type { Root } from 'mdast';

/** Parses Markdown (with an optional `---` YAML front matter block) into an mdast tree. */
export function parseMarkdown(markdown: string): Root {
  parser ??= loadParser();
  return parser(markdown);
}

/** Raised when the parser packages cannot be loaded; says which and how to fix it. */
export class MarkdownParserUnavailableError extends Error {
  constructor(packageName: string, cause: unknown) {
    const reason = String((cause as Error)?.message ?? cause).split('\n')[0];
    super(`Cannot load ${packageName}, the Markdown parser the lesson builder uses: ${reason}\n${fixFor(cause)}`, {
      cause,
    });
    this.name = 'MarkdownParserUnavailableError';
  }
}

let parser: ((markdown: string) => Root) | undefined;

function loadParser(): (markdown: string) => Root {
  const { fromMarkdown } = loadPackage<typeof import('mdast-util-from-markdown')>('mdast-util-from-markdown');
  const { frontmatter } = loadPackage<typeof import('micromark-extension-frontmatter')>('micromark-extension-frontmatter');
  const { frontmatterFromMarkdown } = loadPackage<typeof import('mdast-util-frontmatter')>('mdast-util-frontmatter');
  const options = { extensions: [frontmatter(['yaml'])], mdastExtensions: [frontmatterFromMarkdown(['yaml'])] };
  return (markdown) => fromMarkdown(markdown, options);
}

function loadPackage<T>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module, loaded on first use (see above)
    return require(name) as T;
  } catch (error) {
    throw new MarkdownParserUnavailableError(name, error);
  }
}

function fixFor(cause: unknown): string {
  const code = (cause as { code?: string })?.code;
  if (code === 'MODULE_NOT_FOUND') {
    return 'It is a development dependency of LLM Lab: run `npm install` in the project folder.';
  }
  if (!nodeRequiresEsModules()) {
    return `It is an ES module, which CommonJS code can load from Node 20.19 on; this is Node ${process.version}: upgrade Node.`;
  }
  return (
    `It is an ES module. Node ${process.version} can require it, but the require here cannot: jest before ` +
    'Node 24.9 cannot, and must compile it to CommonJS first; see "Loading the Markdown parser" in src/lessons/README.md.'
  );
}

/** Whether this Node's own `require` loads ES modules (20.19+ in the 20 line, 22.12+ after). */
function nodeRequiresEsModules(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
}
