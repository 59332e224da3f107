/**
 * A small well-formedness check for the SVG and HTML the helpers write: every tag closed in
 * order, attributes quoted, no bare `<` or `&` in text. Enough to catch a broken fallback
 * picture; not a full XML parser.
 */
const TOKEN = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|#39|#\d+);)/g;

/** Throws with the offending place when `markup` is not well formed; returns the root tag's name. */
export function checkWellFormed(markup: string): string {
  const open: string[] = [];
  let root: string | undefined;
  for (const match of markup.matchAll(TOKEN)) {
    const [whole, closing, name, , selfClosing] = match;
    const at = `at ${match.index}: …${markup.slice(Math.max(0, match.index - 40), match.index + 40)}…`;
    if (name === undefined) throw new Error(`bare '${whole}' ${at}`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}> ${at}`);
    } else {
      if (open.length === 0 && root !== undefined) throw new Error(`second root <${name}> ${at}`);
      root ??= name;
      if (!selfClosing) open.push(name);
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  if (root === undefined) throw new Error('no element');
  return root;
}
