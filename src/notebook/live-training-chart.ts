/**
 * A training chart that draws itself while the model trains.
 *
 *   const result = await train({ model, train: data, iters: 2000, callbacks: liveTrainingChart() });
 *
 * One output that updates in place: the training loss of every step (faint) and smoothed
 * (bold), the loss estimates on training and validation text at each evaluation, and a
 * title line with the progress (iteration, loss, tokens per second, time left). Updates are
 * throttled (a notebook that receives a chart per step slows down and floods), except at
 * each evaluation and at the end; the last update is what the saved notebook keeps.
 */
import type { EvalInfo, StepInfo, TrainCallbacks, TrainResult } from '../train';
import { formatDuration } from '../train/progress';
import { median } from '../util/stats';
import { type PlotlyFigure, type ScatterTrace, seriesColor } from './figure';
import { figureBundle } from './plot';
import { LiveDisplay } from './sink';

export interface LiveTrainingChartOptions {
  /** Words before the progress in the chart's title. @default 'Training' */
  readonly title?: string;
  /** Least time between two updates; evaluations and the end always update. @default 1000 */
  readonly minIntervalMs?: number;
  /** Weight of the past in the smoothed loss (a bias-corrected moving average); 0 turns smoothing off. @default 0.9 */
  readonly smoothing?: number;
  /** Points per line at most: a longer run shows every k-th step. @default 1000 */
  readonly maxPoints?: number;
  /** The time in milliseconds (tests pass a fake clock). @default performance.now */
  readonly clock?: () => number;
}

export function liveTrainingChart(options: LiveTrainingChartOptions = {}): TrainCallbacks {
  const title = options.title ?? 'Training';
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const smoothing = options.smoothing ?? 0.9;
  const maxPoints = options.maxPoints ?? 1000;
  const clock = options.clock ?? (() => performance.now());
  if (!(smoothing >= 0 && smoothing < 1)) throw new RangeError(`liveTrainingChart: smoothing must be in [0, 1), got ${smoothing}.`);
  if (!(maxPoints >= 2)) throw new RangeError(`liveTrainingChart: maxPoints must be at least 2, got ${maxPoints}.`);

  let display = new LiveDisplay();
  let ended = false;
  let iters = 0;
  let firstIter = 0;
  let startedAt = 0;
  let lastSentAt = -Infinity;
  let average = 0;
  const stepIters: number[] = [];
  const losses: number[] = [];
  const smoothed: number[] = [];
  const evals: EvalInfo[] = [];
  const recentSpeeds: number[] = [];

  const progress = (): { title: string; text: string } => {
    const last = stepIters.length - 1;
    const done = last >= 0 ? stepIters[last]! + 1 : firstIter;
    const evalInfo = evals[evals.length - 1];
    const val = evalInfo && Number.isFinite(evalInfo.valLoss) ? ` · val ${evalInfo.valLoss.toFixed(3)}` : '';
    if (last < 0) return { title: `${title} · ${done}/${iters || '?'}${val}`, text: `${title}: starting at iteration ${done} of ${iters || '?'}${val}` };
    const speed = Math.round(median(recentSpeeds)).toLocaleString('en-US');
    const elapsed = (clock() - startedAt) / 1000;
    const eta = formatDuration((elapsed / Math.max(1, done - firstIter)) * (iters - done));
    const loss = `loss ${losses[last]!.toFixed(3)}`;
    return {
      title: `${title} · ${done}/${iters} · ${loss}${val} · ${speed} tok/s · ETA ${eta}`,
      text: `${title}: iteration ${done}/${iters} · ${loss} (smoothed ${smoothed[last]!.toFixed(3)})${val} · ${speed} tok/s · ETA ${eta}`,
    };
  };

  const send = (line: { title: string; text: string }): void => {
    lastSentAt = clock();
    const bundle = figureBundle(figure(line.title));
    display.show({ ...bundle, 'text/plain': line.text });
  };

  const figure = (heading: string): PlotlyFigure => {
    const stride = Math.ceil(stepIters.length / maxPoints);
    const keep = (_: number, i: number): boolean => i % stride === 0 || i === stepIters.length - 1;
    const x = stepIters.filter(keep);
    const data: ScatterTrace[] = [
      { type: 'scatter', mode: 'lines', name: 'train loss (step)', x, y: losses.filter(keep), line: { color: seriesColor(0), width: 1 }, opacity: 0.35 },
      { type: 'scatter', mode: 'lines', name: 'train loss (smoothed)', x, y: smoothed.filter(keep), line: { color: seriesColor(0), width: 2.5 } },
    ];
    if (evals.length > 0) {
      const evalX = evals.map((e) => e.iter);
      data.push({ type: 'scatter', mode: 'lines+markers', name: 'train loss (eval)', x: evalX, y: evals.map((e) => finite(e.trainLoss)), line: { color: seriesColor(2), width: 2 } });
      if (evals.some((e) => Number.isFinite(e.valLoss))) {
        data.push({ type: 'scatter', mode: 'lines+markers', name: 'val loss (eval)', x: evalX, y: evals.map((e) => finite(e.valLoss)), line: { color: seriesColor(3), width: 2 } });
      }
    }
    return {
      data,
      layout: {
        title: { text: heading },
        // The whole run from the start, so the chart fills up like a progress bar instead of rescaling.
        xaxis: { title: { text: 'iteration' }, ...(iters > 0 ? { range: [firstIter, Math.max(iters - 1, firstIter + 1)] as [number, number] } : {}) },
        yaxis: { title: { text: 'loss (nats per token)' } },
      },
    };
  };

  return {
    onStart(info) {
      if (ended) display = new LiveDisplay();
      ended = false;
      iters = info.iters;
      firstIter = info.startIter;
      startedAt = clock();
      average = 0;
      for (const list of [stepIters, losses, smoothed, evals, recentSpeeds]) list.length = 0;
      send(progress());
    },
    onStep(info: StepInfo) {
      if (stepIters.length === 0 && iters === 0) {
        // Called without onStart (a hand-written loop): start the clock at the first step.
        iters = info.iters;
        firstIter = info.iter;
        startedAt = clock();
      }
      iters = info.iters;
      stepIters.push(info.iter);
      losses.push(info.loss);
      average = smoothing * average + (1 - smoothing) * info.loss;
      smoothed.push(smoothing === 0 ? info.loss : average / (1 - smoothing ** stepIters.length));
      recentSpeeds.push(info.tokensPerSecond);
      if (recentSpeeds.length > 20) recentSpeeds.shift();
      if (clock() - lastSentAt >= minIntervalMs) send(progress());
    },
    onEval(info: EvalInfo) {
      evals.push(info);
      send(progress());
    },
    onEnd(result: TrainResult) {
      ended = true;
      const seconds = (clock() - startedAt) / 1000;
      const val = Number.isFinite(result.finalValLoss) ? ` · val loss ${result.finalValLoss.toFixed(3)}` : '';
      const speed = `${Math.round(result.tokensPerSecond).toLocaleString('en-US')} tok/s`;
      const trainLoss = Number.isFinite(result.finalTrainLoss) ? result.finalTrainLoss : (losses[losses.length - 1] ?? NaN);
      const line = `${title} done: ${result.nextIter}/${iters} in ${formatDuration(seconds)} · train loss ${trainLoss.toFixed(3)}${val} · ${speed}`;
      send({ title: line, text: `${line} (median)` });
    },
  };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
