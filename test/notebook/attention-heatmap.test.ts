import { useBackend } from '../../src/backend';
import { type GPT } from '../../src/model';
import { PLOTLY_MIME, type HeatmapTrace, type PlotlyFigure, RecordingSink, showAttentionHeatmap, withDisplaySink } from '../../src/notebook';
import { attentionWeights } from '../../src/notebook/attention-heatmap';
import * as tf from '../../src/tf';
import { type TinySetup, tinyModel, tinySetup } from '../helpers/tiny-gpt';
import { checkWellFormed } from './well-formed';

let setup: TinySetup;
let model: GPT;

beforeAll(async () => {
  await useBackend('wasm');
  setup = tinySetup({ sentences: 50 });
  model = tinyModel(setup); // the tiny preset: 2 layers, 2 heads, blockSize 16
});

afterAll(() => model.dispose());

describe('showAttentionHeatmap', () => {
  it('shows one head as a T×T heatmap with the tokens on both axes, and leaks no tensors', () => {
    const text = 'The cat sat.';
    const sink = new RecordingSink();
    const before = tf.memory().numTensors;
    withDisplaySink(sink, () => showAttentionHeatmap(model, setup.tokenizer, text, { layer: 1, head: 1 }));
    expect(tf.memory().numTensors).toBe(before);

    const bundle = sink.last();
    const figure = bundle[PLOTLY_MIME] as PlotlyFigure;
    const trace = figure.data[0] as HeatmapTrace;
    const labels = ['T', 'h', 'e', '␣', 'c', 'a', 't', '␣', 's', 'a', 't', '.'];
    expect(trace.type).toBe('heatmap');
    expect(trace.z).toHaveLength(12);
    for (const row of trace.z) expect(row).toHaveLength(12);
    expect(figure.layout?.xaxis?.ticktext).toEqual(labels);
    expect(figure.layout?.yaxis?.ticktext).toEqual(labels);
    expect(figure.layout?.title?.text).toBe('Attention of layer 1, head 1');
    trace.z.forEach((row, i) => {
      expect(row.reduce<number>((sum, w) => sum + (w ?? 0), 0)).toBeCloseTo(1, 5); // a softmax per query
      row.slice(i + 1).forEach((w) => expect(w).toBe(0)); // no looking ahead
    });
    expect(checkWellFormed(bundle['image/svg+xml'] as string)).toBe('svg');
    expect((bundle['image/svg+xml'] as string).match(/<rect [^>]*><title>/g)).toHaveLength(144);
    expect(bundle['text/plain']).toMatch(/^Attention of layer 1, head 1 over 12 tokens \(T h e ␣ c a t ␣ s a t \.\): the last token attends most to /);
  });

  it('matches the model’s own attention maps, and crops text to the last blockSize tokens', () => {
    const long = 'The cat sat on the mat. The dog ran.';
    const { tokens, weights } = attentionWeights(model, setup.tokenizer, long, { layer: 0, head: 1 });
    expect(tokens).toEqual(setup.tokenizer.encode(long).slice(-16));
    const idx = tf.tensor2d(tokens, [1, 16], 'int32');
    const maps = model.attentionMaps(idx);
    const expected = (maps[0]!.arraySync() as number[][][][])[0]![1]!;
    tf.dispose([idx, ...maps]);
    weights.forEach((row, i) => row.forEach((w, j) => expect(w).toBeCloseTo(expected[i]![j]!, 6)));
  });

  it.each([
    [{ layer: 2 }, /layer must be a whole number from 0 to 1 \(this model has 2 layers\), got 2/],
    [{ head: -1 }, /head must be a whole number from 0 to 1 \(this model has 2 heads per layer\), got -1/],
  ])('rejects %p, and leaks no tensors', (options, message) => {
    const before = tf.memory().numTensors;
    expect(() => showAttentionHeatmap(model, setup.tokenizer, 'The cat', options)).toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });
});
