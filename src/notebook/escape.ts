/**
 * Text made safe to show: HTML escaping for every string that goes into an HTML or SVG
 * output, and visible symbols for tokens that are whitespace.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '` so that text shows as text in HTML and SVG (a token `<script>` included). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]!);
}

const WHITESPACE_SYMBOLS: Readonly<Record<string, string>> = {
  ' ': '␣',
  '\n': '⏎',
  '\t': '⇥',
  '\r': '␍',
};

/**
 * A token as a label a reader can see: `' '` → `␣`, `'\n'` → `⏎`, `'\t'` → `⇥`, `'\r'` → `␍`,
 * other invisible characters as `\u{…}`, and the empty string as `∅`. `' the'` → `␣the`.
 */
export function displayToken(text: string): string {
  if (text === '') return '∅';
  return text.replace(/[\s\p{Cc}\p{Cf}]/gu, (ch) => WHITESPACE_SYMBOLS[ch] ?? `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}
