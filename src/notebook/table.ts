/**
 * Tables: rows of values as an HTML table in a notebook and as aligned text elsewhere.
 *
 *   showTable([{ prompt: 'The cat', next: 'sat', probability: 0.41 }], { title: 'Top next words' });
 */
import { escapeHtml } from './escape';
import { formatNumber } from './figure';
import { showOutput } from './sink';

export interface ShowTableOptions {
  /** A caption above the table. @default none */
  readonly title?: string;
  /** Which columns, in this order. @default every key of the rows, in the order first seen */
  readonly columns?: readonly string[];
  /** How to show the values of a column, by column name. @default numbers to 4 significant digits, text as is */
  readonly format?: Readonly<Record<string, (value: unknown) => string>>;
}

/** Shows rows as a table (HTML, every value escaped) with an aligned `text/plain` copy. */
export function showTable(rows: readonly Readonly<Record<string, unknown>>[], options: ShowTableOptions = {}): void {
  const columns = options.columns ?? columnsOf(rows);
  const cells = rows.map((row) => columns.map((column) => (options.format?.[column] ?? formatCell)(row[column])));
  const numeric = columns.map((column) => rows.length > 0 && rows.every((row) => typeof row[column] === 'number' || row[column] == null));
  const align = (i: number): string => (numeric[i] ? ' style="text-align:right"' : '');
  const html =
    '<table class="llm-lab-table">' +
    (options.title ? `<caption>${escapeHtml(options.title)}</caption>` : '') +
    `<thead><tr>${columns.map((c, i) => `<th${align(i)}>${escapeHtml(c)}</th>`).join('')}</tr></thead>` +
    `<tbody>${cells.map((row) => `<tr>${row.map((cell, i) => `<td${align(i)}>${escapeHtml(cell).replace(/\r?\n/g, '<br>')}</td>`).join('')}</tr>`).join('')}</tbody>` +
    '</table>';
  const text = formatTextTable(
    cells.map((row) => Object.fromEntries(row.map((cell, i) => [columns[i]!, cell]))),
    columns,
    numeric,
  );
  showOutput({ 'text/html': html, 'text/plain': options.title ? `${options.title}\n${text}` : text });
}

/** Rows of strings as aligned columns: a header, a rule, then one line per row. */
export function formatTextTable(
  rows: readonly Readonly<Record<string, unknown>>[],
  columns: readonly string[],
  rightAligned: readonly boolean[] = [],
): string {
  if (rows.length === 0) return columns.length ? `${columns.join('  ')}\n(no rows)` : '(no rows)';
  const table = [columns, ...rows.map((row) => columns.map((c) => oneLine(String(row[c] ?? ''))))];
  const widths = columns.map((_, i) => Math.max(...table.map((line) => [...line[i]!].length)));
  const pad = (cell: string, i: number): string => {
    const room = ' '.repeat(widths[i]! - [...cell].length);
    return rightAligned[i] ? room + cell : cell + room;
  };
  const lines = table.map((line) => line.map(pad).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return lines.join('\n');
}

/** A value as table text: numbers to 4 significant digits (large whole numbers with separators). */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 10000 ? value.toLocaleString('en-US') : formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function columnsOf(rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  const seen: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!seen.includes(key)) seen.push(key);
  return seen;
}

/** Line breaks shown as ⏎, so each row stays on one line of text. */
function oneLine(cell: string): string {
  return cell.replace(/\r?\n/g, '⏎');
}
