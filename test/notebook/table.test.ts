import { RecordingSink, showTable, withDisplaySink } from '../../src/notebook';
import { checkWellFormed } from './well-formed';

function table(rows: Record<string, unknown>[], options = {}): { html: string; text: string } {
  const sink = new RecordingSink();
  withDisplaySink(sink, () => showTable(rows, options));
  const bundle = sink.last();
  expect(Object.keys(bundle).sort()).toEqual(['text/html', 'text/plain']);
  return { html: bundle['text/html'] as string, text: bundle['text/plain'] as string };
}

describe('showTable', () => {
  it('shows an HTML table and aligned text: numbers to 4 digits and right-aligned, columns in the order first seen', () => {
    const { html, text } = table(
      [
        { model: 'tiny', parameters: 105_344, loss: 2.0137456 },
        { model: 'baby', parameters: 801_000, loss: 1.5, note: 'nanoGPT recipe' },
      ],
      { title: 'Models' },
    );
    expect(checkWellFormed(html)).toBe('table');
    expect(html).toContain('<caption>Models</caption>');
    expect(html).toContain('<th style="text-align:right">parameters</th>');
    expect(html).toContain('<td style="text-align:right">105,344</td>');
    expect(html).toContain('<td>nanoGPT recipe</td>');
    expect(text).toBe(
      [
        'Models',
        'model  parameters   loss  note',
        '-----  ----------  -----  --------------',
        'tiny      105,344  2.014',
        'baby      801,000    1.5  nanoGPT recipe',
      ].join('\n'),
    );
  });

  it('escapes every cell and header: "<script>" shows as text', () => {
    const { html, text } = table([{ '<b>': '<script>alert(1)</script>', ok: true }], { title: '<i>t</i>' });
    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<th>&lt;b&gt;</th>');
    expect(checkWellFormed(html)).toBe('table');
    expect(text).toContain('<script>alert(1)</script>');
  });

  it('takes columns and formats as given, and keeps multi-line text on one line of the text table', () => {
    const { html, text } = table([{ a: 0.5, b: 'one\ntwo', c: { x: 1 }, d: null }], {
      columns: ['b', 'a', 'c', 'd'],
      format: { a: (v: unknown) => `${Number(v) * 100}%` },
    });
    expect(html).toContain('<td>one<br>two</td>');
    expect(text.split('\n')[0]).toBe('b          a  c        d') // a holds numbers: right-aligned;
    expect(text.split('\n')[2]).toBe('one⏎two  50%  {"x":1}');
  });

  it('says when there are no rows', () => {
    expect(table([]).text).toBe('(no rows)');
    expect(table([], { columns: ['a', 'b'] }).text).toBe('a  b\n(no rows)');
  });
});
