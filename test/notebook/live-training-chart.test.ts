import { PLOTLY_MIME, type PlotlyFigure, RecordingSink, type ScatterTrace, liveTrainingChart, withDisplaySink } from '../../src/notebook';
import type { EvalInfo, StepInfo, TrainCallbacks } from '../../src/train';
import { checkWellFormed } from './well-formed';

const step = (iter: number, iters: number, loss = 4 - iter / 1000): StepInfo => ({ iter, iters, loss, lr: 1e-3, gradNorm: 1, tokensPerSecond: 1000 + iter, stepMs: 10 });

/** Drives the callbacks as `train()` does: eval at 0, every `evalInterval` and at the last iteration, then onEnd. */
function simulate(callbacks: TrainCallbacks, options: { iters: number; msPerStep: number; evalInterval: number; clock: { now: number }; valLoss?: boolean }): void {
  const { iters, msPerStep, evalInterval, clock } = options;
  callbacks.onStart?.({ startIter: 0, iters, tokensPerBatch: 768, parameters: 12345 });
  const evals: EvalInfo[] = [];
  for (let iter = 0; iter < iters; iter++) {
    if (iter % evalInterval === 0 || iter === iters - 1) {
      const info = { iter, trainLoss: 4 - iter / 1000, valLoss: options.valLoss === false ? NaN : 4.1 - iter / 1000 };
      evals.push(info);
      callbacks.onEval?.(info);
    }
    clock.now += msPerStep;
    callbacks.onStep?.(step(iter, iters));
  }
  const last = evals[evals.length - 1]!;
  callbacks.onEnd?.({ steps: [], evals, nextIter: iters, tokensPerSecond: 1500, finalTrainLoss: last.trainLoss, finalValLoss: last.valLoss });
}

function record(options: { iters: number; msPerStep: number; evalInterval: number; valLoss?: boolean }, chartOptions = {}): RecordingSink {
  const sink = new RecordingSink();
  const clock = { now: 0 };
  withDisplaySink(sink, () => simulate(liveTrainingChart({ clock: () => clock.now, ...chartOptions }), { ...options, clock }));
  return sink;
}

describe('liveTrainingChart', () => {
  it('updates one display a few times for many steps: throttled, but always at evaluations and at the end', () => {
    // 2000 steps of 5 ms = 10 s: one update a second, plus start, 5 evaluations (0, 500, …, 1999) and the end.
    const sink = record({ iters: 2000, msPerStep: 5, evalInterval: 500 });
    expect(sink.outputs.length).toBeGreaterThanOrEqual(10);
    expect(sink.outputs.length).toBeLessThanOrEqual(1 + 10 + 5 + 1);
    const ids = new Set(sink.outputs.map((o) => o.displayId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^llm-lab-[0-9a-f]{16}$/);
    expect(sink.outputs.map((o) => Boolean(o.update))).toEqual([false, ...Array(sink.outputs.length - 1).fill(true)]);
    expect(sink.saved()).toHaveLength(1);
    expect(sink.last()['text/plain']).toBe('Training done: 2000/2000 in 10s · train loss 2.001 · val loss 2.101 · 1,500 tok/s (median)');
  });

  it('keeps every step, evaluation and smoothed loss in the final chart', () => {
    const sink = record({ iters: 300, msPerStep: 1, evalInterval: 100 });
    const figure = sink.last()[PLOTLY_MIME] as PlotlyFigure;
    const traces = figure.data as ScatterTrace[];
    expect(traces.map((t) => t.name)).toEqual(['train loss (step)', 'train loss (smoothed)', 'train loss (eval)', 'val loss (eval)']);
    expect(traces[0]!.x).toHaveLength(300);
    expect(traces[0]!.y[299]).toBeCloseTo(3.701);
    expect(traces[1]!.y[0]).toBeCloseTo(4); // the bias-corrected average starts at the first loss
    expect(traces[2]!.x).toEqual([0, 100, 200, 299]);
    expect(figure.layout?.title?.text).toMatch(/^Training done: 300\/300/);
    expect(checkWellFormed(sink.last()['image/svg+xml'] as string)).toBe('svg');
    expect(sink.last()['text/html']).not.toMatch(/<script/i);
  });

  it('sends every step when steps are slower than the interval, with progress in the title and text', () => {
    const sink = record({ iters: 4, msPerStep: 2000, evalInterval: 100 }, { title: 'Pretraining' });
    // start, eval 0, 4 steps, eval 3, end
    expect(sink.outputs).toHaveLength(8);
    const third = sink.outputs[3]!.bundle;
    expect(third['text/plain']).toBe('Pretraining: iteration 2/4 · loss 3.999 (smoothed 3.999) · val 4.100 · 1,001 tok/s · ETA 4s');
    expect((third[PLOTLY_MIME] as PlotlyFigure).layout?.title?.text).toBe('Pretraining · 2/4 · loss 3.999 · val 4.100 · 1,001 tok/s · ETA 4s');
    expect(sink.outputs[0]!.bundle['text/plain']).toBe('Pretraining: starting at iteration 0 of 4');
  });

  it('leaves out the validation line when there is no validation set', () => {
    const sink = record({ iters: 20, msPerStep: 1, evalInterval: 10, valLoss: false });
    const names = (sink.last()[PLOTLY_MIME] as PlotlyFigure).data.map((t) => t.name);
    expect(names).not.toContain('val loss (eval)');
    expect(sink.last()['text/plain']).not.toMatch(/val/);
  });

  it('draws long runs with at most maxPoints points per line, the last step included', () => {
    const sink = record({ iters: 5000, msPerStep: 1, evalInterval: 1000 }, { maxPoints: 500 });
    const steps = (sink.last()[PLOTLY_MIME] as PlotlyFigure).data[0] as ScatterTrace;
    expect(steps.x!.length).toBeLessThanOrEqual(501);
    expect(steps.x![steps.x!.length - 1]).toBe(4999);
  });

  it('starts a new display for a second training run', () => {
    const sink = new RecordingSink();
    const clock = { now: 0 };
    const chart = liveTrainingChart({ clock: () => clock.now });
    withDisplaySink(sink, () => {
      simulate(chart, { iters: 3, msPerStep: 1, evalInterval: 10, clock });
      simulate(chart, { iters: 3, msPerStep: 1, evalInterval: 10, clock });
    });
    expect(new Set(sink.outputs.map((o) => o.displayId)).size).toBe(2);
    expect(sink.saved()).toHaveLength(2);
  });

  it.each([
    [{ smoothing: 1 }, /smoothing must be in \[0, 1\)/],
    [{ maxPoints: 1 }, /maxPoints must be at least 2/],
  ])('rejects %p', (options, message) => {
    expect(() => liveTrainingChart(options)).toThrow(message);
  });
});
