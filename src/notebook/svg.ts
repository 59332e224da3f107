/**
 * A static SVG picture of a figure: what shows where no plotly renderer runs (GitHub, nbviewer,
 * a notebook exported to PDF, JupyterLab without the plotly extension).
 *
 * It draws the three kinds of figure the helpers build, one kind per picture: lines (numeric
 * x), grouped bars (categories), or one heatmap. Axes with ticks, a title, axis titles and a
 * legend when there are several series; no interaction. Every text is escaped.
 */
import { escapeHtml } from './escape';
import type { BarTrace, HeatmapTrace, PlotlyAxis, PlotlyFigure, PlotlyLayout, ScatterTrace } from './figure';
import { formatNumber, seriesColor } from './figure';

export interface SvgOptions {
  /** @default layout.width, else 640 */
  readonly width?: number;
  /** @default layout.height, else 360 */
  readonly height?: number;
}

/** Points drawn per line at most: longer lines keep every k-th point (and the last). */
const MAX_POINTS = 800;
/** Heatmap cells drawn at most; larger heatmaps get a note instead of cells. */
const MAX_CELLS = 80 * 80;
/** Roughly the width of a character of the 11 px labels. */
const CHAR_WIDTH = 6.2;

interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

interface Scale {
  readonly ticks: readonly number[];
  readonly step: number;
  /** Data value → pixel. */
  at(value: number): number;
  /** A tick's label. @default the value, with as many decimals as the step needs */
  label?(value: number): string;
}

export function figureToSvg(figure: PlotlyFigure, options: SvgOptions = {}): string {
  const width = options.width ?? figure.layout?.width ?? 640;
  const height = options.height ?? figure.layout?.height ?? 360;
  const heat = figure.data.find((t): t is HeatmapTrace => t.type === 'heatmap');
  const bars = figure.data.filter((t): t is BarTrace => t.type === 'bar');
  const lines = figure.data.filter((t): t is ScatterTrace => t.type === 'scatter');
  const title = figure.layout?.title?.text;
  const parts: string[] = [`<rect width="${width}" height="${height}" fill="#ffffff"/>`];
  if (title) {
    const size = [...title].length * 8 > width - 20 ? 12 : 14; // long titles (the live chart's progress) a size smaller
    parts.push(text(width / 2, 20, title, { anchor: 'middle', size, weight: 'bold' }));
  }
  const top = title ? 34 : 14;
  if (heat) parts.push(...drawHeatmap(heat, figure, width, height, top));
  else if (bars.length > 0) parts.push(...drawBars(bars, figure, width, height, top));
  else parts.push(...drawLines(lines, figure, width, height, top));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#333333">` +
    parts.join('') +
    '</svg>'
  );
}

// --- Lines -------------------------------------------------------------------------------

function drawLines(traces: readonly ScatterTrace[], figure: PlotlyFigure, width: number, height: number, top: number): string[] {
  const layout = figure.layout ?? {};
  const points = traces.map((t) => t.y.map((y, i) => [t.x?.[i] ?? i, y] as const).filter((p): p is readonly [number, number] => isFiniteNumber(p[1]) && isFiniteNumber(p[0])));
  const xs = points.flat().map((p) => p[0]);
  const ys = points.flat().map((p) => p[1]);
  const legend = legendEntries(traces, layout.showlegend);
  const box = plotBox(width, height, top, layout, legend, 0);
  const xScale =
    layout.xaxis?.type === 'log'
      ? logScale(extent(xs.filter((x) => x > 0), layout.xaxis), box.left, box.left + box.width)
      : linearScale(extent(xs, layout.xaxis), box.left, box.left + box.width, false);
  const yScale = linearScale(extent(ys, layout.yaxis), box.top + box.height, box.top, true);
  const out = [...grid(box, xScale, yScale), ...axes(box, layout, xScale, yScale)];
  traces.forEach((trace, i) => {
    const color = trace.line?.color ?? trace.marker?.color ?? seriesColor(i);
    const mode = trace.mode ?? 'lines';
    const opacity = trace.opacity !== undefined ? ` opacity="${trace.opacity}"` : '';
    if (mode.includes('lines')) {
      const dash = trace.line?.dash === 'dot' ? ' stroke-dasharray="2 3"' : trace.line?.dash === 'dash' ? ' stroke-dasharray="6 4"' : '';
      for (const segment of segments(trace)) {
        const coordinates = thin(segment).map(([x, y]) => `${px(xScale.at(x))},${px(yScale.at(y))}`);
        if (coordinates.length === 1) coordinates.push(coordinates[0]!);
        out.push(`<polyline fill="none" stroke="${color}" stroke-width="${trace.line?.width ?? 2}"${dash}${opacity} points="${coordinates.join(' ')}"/>`);
      }
    }
    if (mode.includes('markers')) {
      const size = (trace.marker?.size ?? 6) / 2;
      for (const [x, y] of thin(points[i]!).slice(0, 300)) {
        out.push(`<circle cx="${px(xScale.at(x))}" cy="${px(yScale.at(y))}" r="${size}" fill="${color}"${opacity}/>`);
      }
    }
  });
  out.push(...drawLegend(legend, box));
  if (xs.length === 0) out.push(text(box.left + box.width / 2, box.top + box.height / 2, 'no data yet', { anchor: 'middle' }));
  return out;
}

/** The runs of consecutive finite points of a line (null values break it). */
function segments(trace: ScatterTrace): [number, number][][] {
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  trace.y.forEach((y, i) => {
    const x = trace.x?.[i] ?? i;
    if (isFiniteNumber(y) && isFiniteNumber(x)) run.push([x, y]);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  });
  if (run.length > 0) runs.push(run);
  return runs;
}

function thin<T>(values: readonly T[]): readonly T[] {
  if (values.length <= MAX_POINTS) return values;
  const stride = Math.ceil(values.length / MAX_POINTS);
  const kept = values.filter((_, i) => i % stride === 0);
  if ((values.length - 1) % stride !== 0) kept.push(values[values.length - 1]!);
  return kept;
}

// --- Bars --------------------------------------------------------------------------------

function drawBars(traces: readonly BarTrace[], figure: PlotlyFigure, width: number, height: number, top: number): string[] {
  const layout = figure.layout ?? {};
  const categories: string[] = [];
  for (const trace of traces) for (const c of trace.x) if (!categories.includes(c)) categories.push(c);
  const legend = legendEntries(traces, layout.showlegend);
  const longest = Math.max(1, ...categories.map((c) => [...c].length));
  const roughBand = (width - 80 - legendWidth(legend)) / Math.max(1, categories.length);
  const rotate = longest * CHAR_WIDTH > roughBand - 4;
  const labelDepth = rotate ? Math.min(90, longest * CHAR_WIDTH * 0.72 + 6) : 0;
  const box = plotBox(width, height, top, layout, legend, labelDepth);
  const values = traces.flatMap((t) => t.y.filter(isFiniteNumber));
  const yScale = linearScale(extent([0, ...values], layout.yaxis), box.top + box.height, box.top, true);
  const band = box.width / Math.max(1, categories.length);
  const barWidth = (band * 0.8) / traces.length;
  const out = [...grid(box, undefined, yScale)];
  traces.forEach((trace, i) => {
    const color = trace.marker?.color ?? seriesColor(i);
    trace.x.forEach((category, j) => {
      const value = trace.y[j];
      if (!isFiniteNumber(value)) return;
      const x = box.left + categories.indexOf(category) * band + band * 0.1 + i * barWidth;
      const y0 = yScale.at(Math.max(0, Math.min(value, 0)));
      const y1 = yScale.at(Math.max(value, 0));
      out.push(
        `<rect x="${px(x)}" y="${px(y1)}" width="${px(Math.max(1, barWidth - 1))}" height="${px(Math.max(0.5, y0 - y1))}" fill="${color}">` +
          `<title>${escapeHtml(`${trace.name ? `${trace.name}, ` : ''}${category}: ${formatNumber(value)}`)}</title></rect>`,
      );
    });
  });
  categories.forEach((category, j) => {
    const x = box.left + (j + 0.5) * band;
    const y = box.top + box.height + 14;
    out.push(
      rotate
        ? text(x, y - 4, clip(category, 16), { anchor: 'end', rotate: -45 })
        : text(x, y, category, { anchor: 'middle' }),
    );
  });
  out.push(...axes(box, layout, undefined, yScale, labelDepth), ...drawLegend(legend, box));
  return out;
}

// --- Heatmap -----------------------------------------------------------------------------

function drawHeatmap(trace: HeatmapTrace, figure: PlotlyFigure, width: number, height: number, top: number): string[] {
  const layout = figure.layout ?? {};
  const rows = trace.z.length;
  const columns = trace.z[0]?.length ?? 0;
  const xLabels = columnLabels(layout.xaxis, columns);
  const yLabels = columnLabels(layout.yaxis, rows);
  const values = trace.z.flat().filter(isFiniteNumber);
  const zmin = trace.zmin ?? (values.length ? Math.min(...values) : 0);
  const zmax = trace.zmax ?? (values.length ? Math.max(...values) : 1);
  const xDepth = Math.min(70, Math.max(...xLabels.map((l) => [...l].length), 1) * CHAR_WIDTH * 0.72 + 8);
  const yWidth = Math.min(100, Math.max(...yLabels.map((l) => [...l].length), 1) * CHAR_WIDTH + 8);
  const left = 14 + (layout.yaxis?.title ? 16 : 0) + yWidth;
  const bottom = 10 + xDepth + (layout.xaxis?.title ? 18 : 0);
  const right = 70; // the colour bar
  const size = Math.max(1, Math.min((width - left - right) / Math.max(1, columns), (height - top - bottom) / Math.max(1, rows)));
  const box: Box = { left, top, width: size * columns, height: size * rows };
  const reversed = layout.yaxis?.autorange === 'reversed';
  const out: string[] = [];
  if (rows * columns > MAX_CELLS) {
    out.push(text(width / 2, height / 2, `${rows}×${columns} cells: too many to draw here (the plotly chart has them all)`, { anchor: 'middle' }));
    return out;
  }
  trace.z.forEach((row, i) => {
    const y = box.top + (reversed ? i : rows - 1 - i) * size;
    row.forEach((value, j) => {
      if (!isFiniteNumber(value)) return;
      const label = trace.text?.[i]?.[j] ?? `${yLabels[i]} → ${xLabels[j]}`;
      out.push(
        `<rect x="${px(box.left + j * size)}" y="${px(y)}" width="${px(size + 0.3)}" height="${px(size + 0.3)}" fill="${viridis((value - zmin) / (zmax - zmin || 1))}">` +
          `<title>${escapeHtml(`${label}: ${formatNumber(value)}`)}</title></rect>`,
      );
    });
  });
  const every = Math.max(1, Math.ceil(11 / size)); // labels no closer than a line of text
  xLabels.forEach((label, j) => {
    if (j % every !== 0) return;
    out.push(text(box.left + (j + 0.5) * size + 3, box.top + box.height + 8, clip(label, 10), { anchor: 'end', rotate: -60 }));
  });
  yLabels.forEach((label, i) => {
    if (i % every !== 0) return;
    const y = box.top + ((reversed ? i : rows - 1 - i) + 0.5) * size;
    out.push(text(box.left - 5, y, clip(label, 14), { anchor: 'end', middle: true }));
  });
  const xTitle = layout.xaxis?.title?.text;
  const yTitle = layout.yaxis?.title?.text;
  if (xTitle) out.push(text(box.left + box.width / 2, Math.min(height - 6, box.top + box.height + xDepth + 16), xTitle, { anchor: 'middle', size: 12 }));
  if (yTitle) out.push(text(14, box.top + box.height / 2, yTitle, { anchor: 'middle', size: 12, rotate: -90 }));
  out.push(...colorBar(box.left + box.width + 16, box.top, Math.max(60, Math.min(box.height, 200)), zmin, zmax));
  return out;
}

function columnLabels(axis: PlotlyAxis | undefined, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const at = axis?.tickvals?.indexOf(i) ?? -1;
    return at >= 0 ? (axis?.ticktext?.[at] ?? String(i)) : String(i);
  });
}

function colorBar(x: number, y: number, height: number, zmin: number, zmax: number): string[] {
  const steps = 16;
  const out: string[] = [];
  for (let k = 0; k < steps; k++) {
    const fraction = 1 - (k + 0.5) / steps;
    out.push(`<rect x="${px(x)}" y="${px(y + (k * height) / steps)}" width="12" height="${px(height / steps + 0.3)}" fill="${viridis(fraction)}"/>`);
  }
  out.push(text(x + 16, y + 4, formatNumber(zmax), { middle: true }), text(x + 16, y + height - 4, formatNumber(zmin), { middle: true }));
  return out;
}

/** Viridis (dark violet → blue → green → yellow), the colour scale plotly uses by the same name. */
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

export function viridis(fraction: number): string {
  const t = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(t));
  const [a, b] = [hexToRgb(VIRIDIS[i]!), hexToRgb(VIRIDIS[i + 1]!)];
  const mix = a.map((v, k) => Math.round(v + (b[k]! - v) * (t - i)));
  return `#${mix.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function hexToRgb(hex: string): number[] {
  return [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
}

// --- Axes, grid, legend --------------------------------------------------------------------

interface LegendEntry {
  readonly name: string;
  readonly color: string;
  readonly bar: boolean;
  readonly opacity?: number;
}

function legendEntries(traces: readonly (ScatterTrace | BarTrace)[], showlegend: boolean | undefined): LegendEntry[] {
  const entries = traces
    .map((t, i): LegendEntry & { show: boolean } => ({
      name: t.name ?? `trace ${i + 1}`,
      color: (t.type === 'scatter' ? (t.line?.color ?? t.marker?.color) : t.marker?.color) ?? seriesColor(i),
      bar: t.type === 'bar',
      ...(t.type === 'scatter' && t.opacity !== undefined ? { opacity: t.opacity } : {}),
      show: t.showlegend !== false,
    }))
    .filter((e) => e.show);
  if (showlegend === false || (showlegend === undefined && traces.length < 2)) return [];
  return entries;
}

function legendWidth(legend: readonly LegendEntry[]): number {
  if (legend.length === 0) return 0;
  return Math.min(170, 30 + Math.max(...legend.map((e) => [...clip(e.name, 24)].length)) * CHAR_WIDTH);
}

function drawLegend(legend: readonly LegendEntry[], box: Box): string[] {
  const x = box.left + box.width + 14;
  return legend.flatMap((entry, i) => {
    const y = box.top + 8 + i * 18;
    const opacity = entry.opacity !== undefined ? ` opacity="${entry.opacity}"` : '';
    const swatch = entry.bar
      ? `<rect x="${px(x)}" y="${px(y - 5)}" width="14" height="10" fill="${entry.color}"/>`
      : `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 16)}" y2="${px(y)}" stroke="${entry.color}" stroke-width="2.5"${opacity}/>`;
    return [swatch, text(x + 21, y, clip(entry.name, 24), { middle: true })];
  });
}

function plotBox(width: number, height: number, top: number, layout: PlotlyLayout, legend: readonly LegendEntry[], labelDepth: number): Box {
  const left = 54 + (layout.yaxis?.title ? 16 : 0);
  const bottom = 26 + labelDepth + (layout.xaxis?.title ? 18 : 0);
  const right = legend.length > 0 ? legendWidth(legend) + 20 : 16;
  return { left, top, width: Math.max(20, width - left - right), height: Math.max(20, height - top - bottom) };
}

function grid(box: Box, xScale: Scale | undefined, yScale: Scale): string[] {
  const lines: string[] = [];
  for (const t of yScale.ticks) {
    const y = px(yScale.at(t));
    lines.push(`<line x1="${px(box.left)}" y1="${y}" x2="${px(box.left + box.width)}" y2="${y}"/>`);
  }
  for (const t of xScale?.ticks ?? []) {
    const x = px(xScale!.at(t));
    lines.push(`<line x1="${x}" y1="${px(box.top)}" x2="${x}" y2="${px(box.top + box.height)}"/>`);
  }
  return [`<g stroke="#e6e6e6" stroke-width="1">${lines.join('')}</g>`];
}

function axes(box: Box, layout: PlotlyLayout, xScale: Scale | undefined, yScale: Scale, labelDepth = 0): string[] {
  const bottom = box.top + box.height;
  const out = [
    `<line x1="${px(box.left)}" y1="${px(bottom)}" x2="${px(box.left + box.width)}" y2="${px(bottom)}" stroke="#888888"/>`,
    `<line x1="${px(box.left)}" y1="${px(box.top)}" x2="${px(box.left)}" y2="${px(bottom)}" stroke="#888888"/>`,
  ];
  const label = (scale: Scale, t: number) => scale.label?.(t) ?? tickLabel(t, scale.step);
  for (const t of yScale.ticks) out.push(text(box.left - 6, yScale.at(t), label(yScale, t), { anchor: 'end', middle: true }));
  for (const t of xScale?.ticks ?? []) out.push(text(xScale!.at(t), bottom + 15, label(xScale!, t), { anchor: 'middle' }));
  const xTitle = layout.xaxis?.title?.text;
  const yTitle = layout.yaxis?.title?.text;
  if (xTitle) out.push(text(box.left + box.width / 2, bottom + 32 + labelDepth, xTitle, { anchor: 'middle', size: 12 }));
  if (yTitle) out.push(text(14, box.top + box.height / 2, yTitle, { anchor: 'middle', size: 12, rotate: -90 }));
  return out;
}

/** The data range of an axis: its `range` if set, else the values' extent. */
function extent(values: readonly number[], axis: PlotlyAxis | undefined): [number, number] {
  if (axis?.range) return [axis.range[0], axis.range[1]];
  if (values.length === 0) return [0, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (axis?.rangemode === 'tozero') lo = Math.min(0, lo);
  return [lo, hi];
}

/**
 * A linear scale from [lo, hi] onto pixels [from, to], with "nice" ticks (1, 2 or 5 × 10^k
 * apart). `padToTicks` widens the domain to whole ticks (the y axis: a line never touches
 * the frame).
 */
export function linearScale([lo, hi]: [number, number], from: number, to: number, padToTicks: boolean): Scale {
  if (hi === lo) {
    const pad = Math.abs(lo) * 0.1 || 1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const rough = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  const step = (normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10) * magnitude;
  if (padToTicks) {
    lo = Math.floor(lo / step + 1e-9) * step;
    hi = Math.ceil(hi / step - 1e-9) * step;
  }
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(k * step);
  return { ticks, step, at: (value) => from + ((value - lo) / (hi - lo)) * (to - from) };
}

/**
 * A logarithmic scale from [lo, hi] (both > 0) onto pixels: equal ratios take equal widths,
 * with a tick at every power of ten in the range (and at both ends when it holds none).
 */
export function logScale([lo, hi]: [number, number], from: number, to: number): Scale {
  if (!(lo > 0)) lo = hi > 0 ? hi / 10 : 1;
  if (!(hi > lo)) hi = lo * 10;
  const [logLo, logHi] = [Math.log10(lo), Math.log10(hi)];
  const ticks: number[] = [];
  for (let k = Math.ceil(logLo - 1e-9); k <= logHi + 1e-9; k++) ticks.push(10 ** k);
  if (ticks.length < 2) ticks.splice(0, ticks.length, lo, hi);
  return {
    ticks,
    step: 1,
    at: (value) => from + ((Math.log10(value) - logLo) / (logHi - logLo)) * (to - from),
    label: (value) => Number(value.toPrecision(3)).toLocaleString('en-US'),
  };
}

function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const rounded = Number(value.toFixed(decimals));
  return Math.abs(rounded) >= 10000 ? rounded.toLocaleString('en-US', { maximumFractionDigits: decimals }) : rounded.toFixed(decimals);
}

// --- Small pieces ----------------------------------------------------------------------------

interface TextStyle {
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly size?: number;
  readonly weight?: 'bold';
  readonly rotate?: number;
  /** Centre the text vertically on y. */
  readonly middle?: boolean;
}

function text(x: number, y: number, content: string, style: TextStyle = {}): string {
  const attributes = [`x="${px(x)}"`, `y="${px(y)}"`];
  if (style.anchor && style.anchor !== 'start') attributes.push(`text-anchor="${style.anchor}"`);
  if (style.size) attributes.push(`font-size="${style.size}"`);
  if (style.weight) attributes.push(`font-weight="${style.weight}"`);
  if (style.middle) attributes.push('dy="0.35em"');
  if (style.rotate) attributes.push(`transform="rotate(${style.rotate} ${px(x)} ${px(y)})"`);
  return `<text ${attributes.join(' ')}>${escapeHtml(content)}</text>`;
}

function clip(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

/** A pixel coordinate with one decimal: enough for a screen, short in the file. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
