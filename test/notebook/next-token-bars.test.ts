import { PLOTLY_MIME, type BarTrace, type PlotlyFigure, RecordingSink, displayToken, showNextTokenBars, withDisplaySink } from '../../src/notebook';
import { checkWellFormed } from './well-formed';

function shown(run: () => void): Record<string, unknown> {
  const sink = new RecordingSink();
  withDisplaySink(sink, run);
  expect(sink.outputs).toHaveLength(1);
  return sink.last() as Record<string, unknown>;
}

describe('displayToken', () => {
  it.each([
    [' ', '␣'],
    ['\n', '⏎'],
    ['\t', '⇥'],
    ['\r\n', '␍⏎'],
    [' the', '␣the'],
    ['', '∅'],
    ['\u0000', '\\u{0}'],
    ['\u200b', '\\u{200b}'],
    ['cat', 'cat'],
    ['<script>', '<script>'], // HTML escaping is a separate step, done where HTML is written
  ])('%j → %s', (token, label) => {
    expect(displayToken(token)).toBe(label);
  });
});

describe('showNextTokenBars', () => {
  const model = [
    { token: 3, text: ' ', probability: 0.5 },
    { token: 7, text: 'm', probability: 0.3 },
    { token: 1, text: '\n', probability: 0.2 },
  ];
  const truth = [
    { token: 7, text: 'm', probability: 0.6 },
    { token: 9, text: 'f', probability: 0.4 },
  ];

  it('shows the model beside the true distribution, matched by token, whitespace made visible', () => {
    const bundle = shown(() => showNextTokenBars(model, { title: 'After "on the"', compare: truth }));
    const figure = bundle[PLOTLY_MIME] as PlotlyFigure;
    const [ours, theirs] = figure.data as BarTrace[];
    expect(ours).toMatchObject({ type: 'bar', name: 'model', x: ['␣', 'm', '⏎', 'f'], y: [0.5, 0.3, 0.2, 0] });
    expect(theirs).toMatchObject({ type: 'bar', name: 'true', x: ['␣', 'm', '⏎', 'f'], y: [0, 0.6, 0, 0.4] });
    expect(figure.layout).toMatchObject({ title: { text: 'After "on the"' }, barmode: 'group' });
    const svg = bundle['image/svg+xml'] as string;
    expect(checkWellFormed(svg)).toBe('svg');
    expect(svg).toContain('>␣</text>');
    expect(svg).toContain('>⏎</text>');
    expect(bundle['text/plain']).toBe(
      ['After "on the"', 'token  model  true', '-----  -----  -----', '␣      0.500  0.000', 'm      0.300  0.600', '⏎      0.200  0.000', 'f      0.000  0.400'].join('\n'),
    );
  });

  it('names the series as asked, and shows one series without a comparison', () => {
    const bundle = shown(() => showNextTokenBars(truth, { name: 'grammar' }));
    const figure = bundle[PLOTLY_MIME] as PlotlyFigure;
    expect(figure.data.map((t) => t.name)).toEqual(['grammar']);
    expect(figure.layout?.title?.text).toBe('Next-token probabilities');
    expect(bundle['text/plain']).toMatch(/^Next-token probabilities\ntoken {2}grammar\n/);
  });

  it('shows a token "<script>" as text in the HTML and the SVG', () => {
    const bundle = shown(() => showNextTokenBars([{ token: 0, text: '<script>', probability: 1 }]));
    for (const mime of ['text/html', 'image/svg+xml']) {
      expect(bundle[mime]).not.toMatch(/<script/i);
      expect(bundle[mime]).toContain('&lt;script&gt;');
    }
    expect((bundle[PLOTLY_MIME] as PlotlyFigure).data[0]).toMatchObject({ x: ['<script>'] }); // plotly draws labels as text
  });

  it('keeps tokens that look alike apart', () => {
    const bundle = shown(() => showNextTokenBars([{ token: 5, text: '\ufffd', probability: 0.5 }, { token: 6, text: '\ufffd', probability: 0.5 }]));
    expect(((bundle[PLOTLY_MIME] as PlotlyFigure).data[0] as BarTrace).x).toEqual(['\ufffd #5', '\ufffd #6']);
  });
});
