/**
 * The next-token distribution as bars: what the model thinks comes next, optionally beside
 * what truly comes next (the synthetic corpus knows its exact odds).
 *
 *   showNextTokenBars(nextTokenDistribution(model, tokenizer, 'The cat sat on the '), {
 *     compare: trueNextTokenDistribution({ prefix: 'The cat sat on the ', tokenizer }),
 *   });
 *
 * Whitespace tokens get visible labels (`' '` → `␣`, `'\n'` → `⏎`).
 */
import { displayToken } from './escape';
import { barChart } from './figure';
import { figureBundle } from './plot';
import { showOutput } from './sink';
import { formatTextTable } from './table';

/** One token and its probability: rows of `nextTokenDistribution` and `trueNextTokenDistribution`. */
export interface TokenProbabilityRow {
  readonly token: number;
  readonly text: string;
  readonly probability: number;
}

export interface NextTokenBarsOptions {
  /** @default 'Next-token probabilities' */
  readonly title?: string;
  /** The name of `rows` in the legend. @default 'model' */
  readonly name?: string;
  /** A second distribution shown beside the first, matched by token id (e.g. the true one). */
  readonly compare?: readonly TokenProbabilityRow[];
  /** @default 'true' */
  readonly compareName?: string;
}

/** Bars of next-token probabilities: the tokens of `rows` in their order, then tokens only `compare` has. */
export function showNextTokenBars(rows: readonly TokenProbabilityRow[], options: NextTokenBarsOptions = {}): void {
  const name = options.name ?? 'model';
  const compareName = options.compareName ?? 'true';
  const tokens: TokenProbabilityRow[] = [...rows];
  for (const row of options.compare ?? []) if (!tokens.some((t) => t.token === row.token)) tokens.push(row);
  const labels = uniqueLabels(tokens);
  const probabilityOf = (list: readonly TokenProbabilityRow[], token: number): number => list.find((r) => r.token === token)?.probability ?? 0;
  const series = [{ name, values: tokens.map((t) => probabilityOf(rows, t.token)) }];
  if (options.compare) series.push({ name: compareName, values: tokens.map((t) => probabilityOf(options.compare!, t.token)) });
  const figure = barChart({ title: options.title ?? 'Next-token probabilities', categories: labels, series, xTitle: 'next token', yTitle: 'probability' });
  const table = formatTextTable(
    tokens.map((_, i) => ({ token: labels[i], ...Object.fromEntries(series.map((s) => [s.name, s.values[i]!.toFixed(3)])) })),
    ['token', ...series.map((s) => s.name)],
  );
  showOutput({ ...figureBundle(figure), 'text/plain': `${options.title ?? 'Next-token probabilities'}\n${table}` });
}

/** Visible labels, made distinct where two tokens look the same (`�` bytes of GPT-2): `a`, `a #17`. */
function uniqueLabels(tokens: readonly TokenProbabilityRow[]): string[] {
  const labels = tokens.map((t) => displayToken(t.text));
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) ? `${label} #${tokens[i]!.token}` : label));
}
