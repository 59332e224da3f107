/**
 * Training progress in a terminal: one line that updates in place, and a permanent line for
 * each loss estimate.
 *
 *   [########............]  812/2000  loss 1.932  lr 7.1e-04  2,431 tok/s  ETA 8m09s
 *   iter 750: train loss 1.9012, val loss 2.0137
 *
 * Where the output is not a terminal (CI logs, files), the bar would be a wall of carriage
 * returns, so it prints a plain line every few percent instead.
 */
import { median } from '../util/stats';
import type { EvalInfo, StepInfo, TrainCallbacks, TrainResult } from './trainer';

export interface TerminalProgressOptions {
  /** Where to write. @default process.stderr */
  readonly stream?: NodeJS.WriteStream;
  /** Characters in the bar. @default 24 */
  readonly width?: number;
}

export function terminalProgress(options: TerminalProgressOptions = {}): TrainCallbacks {
  const stream = options.stream ?? process.stderr;
  const width = options.width ?? 24;
  const interactive = Boolean(stream.isTTY);
  let startedAt = 0;
  let firstIter = 0;
  let lastPrinted = -1;
  let lineOpen = false;
  const recentSpeeds: number[] = [];

  const endLine = (): void => {
    if (lineOpen) stream.write('\n');
    lineOpen = false;
  };

  return {
    onStart({ startIter, iters, tokensPerBatch, parameters }) {
      startedAt = performance.now();
      firstIter = startIter;
      stream.write(
        `Training ${parameters.toLocaleString('en-US')} parameters, ${tokensPerBatch.toLocaleString('en-US')} tokens per batch, ` +
          (startIter > 0 ? `resuming at iteration ${startIter} of ${iters}.\n` : `${iters} iterations.\n`),
      );
    },
    onStep(info: StepInfo) {
      recentSpeeds.push(info.tokensPerSecond);
      if (recentSpeeds.length > 20) recentSpeeds.shift();
      const done = info.iter + 1;
      const elapsed = (performance.now() - startedAt) / 1000;
      const perIter = elapsed / Math.max(1, done - firstIter);
      const eta = perIter * (info.iters - done);
      const filled = Math.round((done / info.iters) * width);
      const speed = median(recentSpeeds);
      const line =
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(done).padStart(String(info.iters).length)}/${info.iters}` +
        `  loss ${info.loss.toFixed(3)}  lr ${info.lr.toExponential(1)}  ${Math.round(speed).toLocaleString('en-US')} tok/s  ETA ${formatDuration(eta)}`;
      if (interactive) {
        stream.write(`\r${line}\x1b[K`);
        lineOpen = true;
      } else {
        const percent = Math.floor((done / info.iters) * 20); // a line every 5%
        if (percent !== lastPrinted || done === info.iters) {
          lastPrinted = percent;
          stream.write(`${line}\n`);
        }
      }
    },
    onEval(info: EvalInfo) {
      endLine();
      const val = Number.isNaN(info.valLoss) ? '' : `, val loss ${info.valLoss.toFixed(4)}`;
      stream.write(`iter ${info.iter}: train loss ${info.trainLoss.toFixed(4)}${val}\n`);
    },
    onEnd(result: TrainResult) {
      endLine();
      const seconds = (performance.now() - startedAt) / 1000;
      stream.write(
        `Done in ${formatDuration(seconds)}: ${Math.round(result.tokensPerSecond).toLocaleString('en-US')} tokens/s (median)` +
          (Number.isNaN(result.finalValLoss) ? '' : `, val loss ${result.finalValLoss.toFixed(4)}`) +
          '.\n',
      );
    },
  };
}

/** Several sets of callbacks as one (e.g. a progress bar and a logger). */
export function combineCallbacks(...all: readonly TrainCallbacks[]): TrainCallbacks {
  return {
    onStart: (info) => all.forEach((c) => c.onStart?.(info)),
    onStep: (info) => all.forEach((c) => c.onStep?.(info)),
    onEval: (info) => all.forEach((c) => c.onEval?.(info)),
    onCheckpoint: (info) => all.forEach((c) => c.onCheckpoint?.(info)),
    onEnd: (result) => all.forEach((c) => c.onEnd?.(result)),
  };
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
