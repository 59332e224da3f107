import { PLOTLY_MIME, RecordingSink, barChart, figureBundle, heatmap, lineChart, plot, withDisplaySink, type PlotlyFigure } from '../../src/notebook';
import { checkWellFormed } from './well-formed';

/** The bundle `plot` sends for a figure, through a recording sink. */
function plotted(figure: PlotlyFigure, options = {}): Record<string, unknown> {
  const sink = new RecordingSink();
  withDisplaySink(sink, () => plot(figure, options));
  expect(sink.outputs).toHaveLength(1);
  return sink.last() as Record<string, unknown>;
}

const figures: [string, PlotlyFigure, string][] = [
  [
    'a line chart',
    lineChart({ title: 'Loss', x: [0, 10, 20], series: [{ name: 'train', values: [4.2, 3.1, 2.5] }, { name: 'val', values: [4.3, 3.3, NaN] }], xTitle: 'iteration', yTitle: 'loss' }),
    'Chart "Loss": train (3 points, last 2.5); val (3 points, last 3.3)',
  ],
  [
    'a bar chart',
    barChart({ title: 'Odds', categories: ['a', 'b', 'c'], series: [{ name: 'model', values: [0.5, 0.3, 0.2] }, { name: 'true', values: [0.6, 0.4, 0] }] }),
    'Bar chart "Odds": model: a 0.5, b 0.3, c 0.2; true: a 0.6, b 0.4, c 0',
  ],
  ['a heatmap', heatmap({ title: 'Grid', z: [[0, 0.5], [1, 0.25]], x: ['p', 'q'], y: ['r', 's'] }), 'Heatmap "Grid": 2×2 heatmap, values 0 to 1'],
];

describe('plot', () => {
  it.each(figures)('sends %s as plotly JSON, HTML and SVG pictures, and a line of text', (_, figure, summary) => {
    const bundle = plotted(figure);
    expect(Object.keys(bundle).sort()).toEqual([PLOTLY_MIME, 'image/svg+xml', 'text/html', 'text/plain']);
    const json = bundle[PLOTLY_MIME] as PlotlyFigure;
    expect(json.data).toEqual(figure.data);
    expect(json.layout?.title).toEqual(figure.layout?.title);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json); // plain JSON: survives the kernel's serialisation
    const svg = bundle['image/svg+xml'] as string;
    expect(checkWellFormed(svg)).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain(`>${figure.layout!.title!.text}</text>`);
    const html = bundle['text/html'] as string;
    expect(checkWellFormed(html)).toBe('div');
    expect(html).toContain(svg);
    expect(html).not.toMatch(/<script/i);
    expect(bundle['text/plain']).toBe(summary);
  });

  it('draws one polyline per line, a rect per bar, a rect per heatmap cell, and a legend for several series', () => {
    const lines = plotted(figures[0]![1])['image/svg+xml'] as string;
    expect(lines.match(/<polyline /g)).toHaveLength(2);
    expect(lines).toContain('>train</text>');
    expect(lines).toContain('>val</text>');
    expect(lines).toContain('>iteration</text>');
    const bars = plotted(figures[1]![1])['image/svg+xml'] as string;
    expect(bars.match(/<rect [^>]*><title>/g)).toHaveLength(6); // a zero draws a hairline, with its hover title
    const cells = plotted(figures[2]![1])['image/svg+xml'] as string;
    expect(cells.match(/<rect [^>]*><title>/g)).toHaveLength(4);
  });

  it('takes width and height into the plotly layout and the SVG', () => {
    const bundle = plotted(figures[0]![1], { width: 500, height: 300 });
    expect((bundle[PLOTLY_MIME] as PlotlyFigure).layout).toMatchObject({ width: 500, height: 300 });
    expect(bundle['image/svg+xml']).toMatch(/^<svg [^>]*width="500" height="300"/);
  });

  it('escapes every text: a title or label "<script>" shows as text', () => {
    const evil = '<script>alert("x")</script> & co';
    const bundle = figureBundle(barChart({ title: evil, categories: [evil, '\'"'], series: [{ name: evil, values: [1, 2] }] }));
    for (const mime of ['text/html', 'image/svg+xml']) {
      const markup = bundle[mime] as string;
      expect(markup).not.toMatch(/<script/i);
      expect(markup).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
      checkWellFormed(markup);
    }
  });

  it('draws long lines with at most 800 points and leaves gaps at missing values', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i === 2500 ? NaN : Math.exp(-i / 1000)));
    const svg = figureBundle(lineChart({ series: [{ name: 'loss', values }] }))['image/svg+xml'] as string;
    const polylines = [...svg.matchAll(/points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
    expect(polylines).toHaveLength(2);
    for (const n of polylines) expect(n).toBeLessThanOrEqual(801);
    expect(svg.length).toBeLessThan(40_000);
  });

  it('shows an empty chart without failing', () => {
    const bundle = figureBundle(lineChart({ title: 'Nothing yet', series: [{ name: 'train', values: [] }] }));
    expect(checkWellFormed(bundle['image/svg+xml'] as string)).toBe('svg');
    expect(bundle['text/plain']).toBe('Chart "Nothing yet": train (0 points)');
  });
});

describe('figure builders', () => {
  it('lineChart gives each series a colour and an x per value, non-finite values become gaps', () => {
    const figure = lineChart({ series: [{ name: 'a', values: [1, Infinity] }, { name: 'b', values: [2, 3], x: [5, 6] }], markers: true });
    expect(figure.data).toEqual([
      { type: 'scatter', mode: 'lines+markers', name: 'a', x: [0, 1], y: [1, null], line: { color: '#1f77b4', width: 2 } },
      { type: 'scatter', mode: 'lines+markers', name: 'b', x: [5, 6], y: [2, 3], line: { color: '#ff7f0e', width: 2 } },
    ]);
  });

  it('a log x axis: plotly is told, and the SVG spaces ticks a decade apart', () => {
    const figure = lineChart({ x: [2, 65, 50257], xType: 'log', series: [{ name: 'ln V', values: [0.69, 4.17, 10.82] }] });
    expect(figure.layout?.xaxis).toMatchObject({ type: 'log' });
    const svg = figureBundle(figure)['image/svg+xml'] as string;
    expect(checkWellFormed(svg)).toBe('svg');
    for (const tick of ['10', '100', '1,000', '10,000']) expect(svg).toContain(`>${tick}</text>`);
    // Equal ratios take equal widths: the x pixel of each decade tick grows by a constant step.
    const tickX = ['10', '100', '1,000', '10,000'].map((tick) => Number(svg.match(new RegExp(`<text x="([\\d.]+)"[^>]*text-anchor="middle">${tick}</text>`))![1]));
    const steps = tickX.slice(1).map((x, i) => x - tickX[i]!);
    for (const step of steps) expect(step).toBeCloseTo(steps[0]!, 0);
  });

  it('bars keep their labels as categories, so tokens like "0" and "2000" are not read as numbers', () => {
    expect(barChart({ categories: ['0', '2000'], series: [{ name: 'p', values: [0.5, 0.5] }] }).layout?.xaxis).toMatchObject({ type: 'category' });
  });

  it('heatmap keeps repeated labels apart: integer positions with the labels as tick text, row 0 on top', () => {
    const figure = heatmap({ z: [[1, 0], [0.5, 0.5]], x: ['t', 't'], y: ['t', 't'] });
    expect(figure.data[0]).toMatchObject({ type: 'heatmap', x: [0, 1], y: [0, 1] });
    expect(figure.layout?.xaxis).toMatchObject({ tickvals: [0, 1], ticktext: ['t', 't'] });
    expect(figure.layout?.yaxis).toMatchObject({ autorange: 'reversed', tickvals: [0, 1], ticktext: ['t', 't'] });
  });

  it.each([
    ['a line with fewer x than values', () => lineChart({ x: [1], series: [{ name: 's', values: [1, 2] }] }), /series 's' has 2 values but 1 x values/],
    ['a log x axis with x = 0', () => lineChart({ x: [0, 10], xType: 'log', series: [{ name: 's', values: [1, 2] }] }), /log x axis needs every x > 0.*x = 0/],
    ['bars with a missing value', () => barChart({ categories: ['a', 'b'], series: [{ name: 's', values: [1] }] }), /1 values for 2 categories/],
    ['a ragged heatmap', () => heatmap({ z: [[1, 2], [3]] }), /row 1 has 1 values, row 0 has 2/],
    ['a heatmap with too few labels', () => heatmap({ z: [[1, 2]], x: ['a'] }), /1 x labels for 2 columns/],
  ])('rejects %s', (_, build, message) => {
    expect(build).toThrow(message);
  });
});
