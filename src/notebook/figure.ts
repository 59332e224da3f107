/**
 * Figures as plotly.js describes them: a list of traces plus a layout, plain JSON that
 * JupyterLab's plotly renderer draws (`application/vnd.plotly.v1+json`). The types cover
 * the small part of plotly's schema the lessons use: lines and markers, bars, heatmaps,
 * titles and axes. Titles are `{ text }` objects, as plotly.js 3 requires.
 */

export interface PlotlyTitle {
  readonly text: string;
}

/** A line (or points) through (x, y); `null` leaves a gap. */
export interface ScatterTrace {
  readonly type: 'scatter';
  /** @default 'lines' */
  readonly mode?: 'lines' | 'markers' | 'lines+markers';
  readonly name?: string;
  /** @default 0, 1, 2, … */
  readonly x?: readonly number[];
  readonly y: readonly (number | null)[];
  readonly line?: { readonly color?: string; readonly width?: number; readonly dash?: 'solid' | 'dot' | 'dash' };
  readonly marker?: { readonly color?: string; readonly size?: number };
  readonly opacity?: number;
  readonly showlegend?: boolean;
}

/** Vertical bars, one per category. Several bar traces stand side by side (`barmode: 'group'`). */
export interface BarTrace {
  readonly type: 'bar';
  readonly name?: string;
  /** The categories, one per bar. */
  readonly x: readonly string[];
  readonly y: readonly number[];
  readonly marker?: { readonly color?: string };
  readonly showlegend?: boolean;
}

/** A grid of values as colours: `z[row][column]`, row 0 drawn at the top when the y axis is reversed. */
export interface HeatmapTrace {
  readonly type: 'heatmap';
  readonly name?: string;
  readonly z: readonly (readonly (number | null)[])[];
  /** Column coordinates. @default 0, 1, 2, … */
  readonly x?: readonly number[];
  /** Row coordinates. @default 0, 1, 2, … */
  readonly y?: readonly number[];
  /** Dark violet (low) to yellow (high). @default 'Viridis' */
  readonly colorscale?: 'Viridis';
  readonly zmin?: number;
  readonly zmax?: number;
  /** Text shown on hover for each cell, same shape as z. */
  readonly text?: readonly (readonly string[])[];
  readonly hovertemplate?: string;
}

export type PlotlyTrace = ScatterTrace | BarTrace | HeatmapTrace;

export interface PlotlyAxis {
  readonly title?: PlotlyTitle;
  readonly range?: readonly [number, number];
  /** Where ticks go, with `ticktext` as their labels (token labels of a heatmap). */
  readonly tickvals?: readonly number[];
  readonly ticktext?: readonly string[];
  /** 'reversed' puts the first row of a heatmap at the top. */
  readonly autorange?: boolean | 'reversed';
  readonly tickangle?: number;
  readonly rangemode?: 'normal' | 'tozero';
  /**
   * 'log' spaces values by their logarithm (a decade per step); 'category' keeps labels as
   * text, so tokens such as "0" or "2000" are bars in order, not points on a number line.
   */
  readonly type?: 'linear' | 'log' | 'category';
}

export interface PlotlyLayout {
  readonly title?: PlotlyTitle;
  readonly xaxis?: PlotlyAxis;
  readonly yaxis?: PlotlyAxis;
  readonly barmode?: 'group' | 'overlay';
  readonly showlegend?: boolean;
  /** Pixels. @default 640 in the SVG fallback; the cell's width in plotly */
  readonly width?: number;
  /** Pixels. @default 360 */
  readonly height?: number;
}

/** A plotly figure: what `plot()` shows. */
export interface PlotlyFigure {
  readonly data: readonly PlotlyTrace[];
  readonly layout?: PlotlyLayout;
}

/** Colours of successive series (plotly's defaults), so the SVG fallback matches the plotly chart. */
export const SERIES_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** One named line of a line chart. */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** This series' own x values (e.g. the iterations of the evaluations). @default the chart's x */
  readonly x?: readonly number[];
}

export interface LineChartOptions {
  readonly title?: string;
  /** Shared x values. @default 0, 1, 2, … */
  readonly x?: readonly number[];
  readonly series: readonly Series[];
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Draw a dot at each point too. @default false */
  readonly markers?: boolean;
  /** 'log' for x values spanning several powers of ten (all must be > 0). @default 'linear' */
  readonly xType?: 'linear' | 'log';
}

/** A line chart, one line per series. Non-finite values leave gaps. */
export function lineChart(options: LineChartOptions): PlotlyFigure {
  const data = options.series.map((series, i): ScatterTrace => {
    const x = series.x ?? options.x ?? series.values.map((_, j) => j);
    if (x.length !== series.values.length) {
      throw new RangeError(
        `lineChart: series '${series.name}' has ${series.values.length} values but ${x.length} x values; give one x per value.`,
      );
    }
    const notPositive = options.xType === 'log' ? x.find((v) => !(v > 0)) : undefined;
    if (notPositive !== undefined) {
      throw new RangeError(`lineChart: a log x axis needs every x > 0, but series '${series.name}' has x = ${notPositive}; use xType 'linear'.`);
    }
    return {
      type: 'scatter',
      mode: options.markers ? 'lines+markers' : 'lines',
      name: series.name,
      x: [...x],
      y: series.values.map(finiteOrNull),
      line: { color: seriesColor(i), width: 2 },
    };
  });
  const xaxis = options.xType === 'log' ? { ...axis(options.xTitle), type: 'log' as const } : axis(options.xTitle);
  return { data, layout: { ...titled(options.title), xaxis, yaxis: axis(options.yTitle) } };
}

export interface BarChartOptions {
  readonly title?: string;
  /** One label per bar group. */
  readonly categories: readonly string[];
  /** One value per category in each series; several series stand side by side. */
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[];
  readonly xTitle?: string;
  readonly yTitle?: string;
}

/** Vertical bars: a group per category, a colour per series. */
export function barChart(options: BarChartOptions): PlotlyFigure {
  const data = options.series.map((series, i): BarTrace => {
    if (series.values.length !== options.categories.length) {
      throw new RangeError(
        `barChart: series '${series.name}' has ${series.values.length} values for ${options.categories.length} categories; give one value per category.`,
      );
    }
    return { type: 'bar', name: series.name, x: [...options.categories], y: series.values.map((v) => (Number.isFinite(v) ? v : 0)), marker: { color: seriesColor(i) } };
  });
  return {
    data,
    layout: {
      ...titled(options.title),
      xaxis: { ...axis(options.xTitle), type: 'category' },
      yaxis: { ...axis(options.yTitle), rangemode: 'tozero' },
      barmode: 'group',
    },
  };
}

export interface HeatmapOptions {
  readonly title?: string;
  /** Values by row, then column: `z[row][column]`. */
  readonly z: readonly (readonly number[])[];
  /** A label per column. @default 0, 1, 2, … */
  readonly x?: readonly string[];
  /** A label per row. @default 0, 1, 2, … */
  readonly y?: readonly string[];
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** @default the smallest value */
  readonly zmin?: number;
  /** @default the largest value */
  readonly zmax?: number;
}

/**
 * A heatmap with row 0 at the top. Labels go on the axes as tick text over integer
 * positions, so repeated labels (the same token twice) stay separate rows and columns.
 */
export function heatmap(options: HeatmapOptions): PlotlyFigure {
  const rows = options.z.length;
  const columns = options.z[0]?.length ?? 0;
  options.z.forEach((row, i) => {
    if (row.length !== columns) throw new RangeError(`heatmap: row ${i} has ${row.length} values, row 0 has ${columns}; z must be rectangular.`);
  });
  if (options.x && options.x.length !== columns) throw new RangeError(`heatmap: ${options.x.length} x labels for ${columns} columns.`);
  if (options.y && options.y.length !== rows) throw new RangeError(`heatmap: ${options.y.length} y labels for ${rows} rows.`);
  const xs = range(columns);
  const ys = range(rows);
  const trace: HeatmapTrace = {
    type: 'heatmap',
    z: options.z.map((row) => row.map(finiteOrNull)),
    x: xs,
    y: ys,
    colorscale: 'Viridis',
    ...(options.zmin !== undefined ? { zmin: options.zmin } : {}),
    ...(options.zmax !== undefined ? { zmax: options.zmax } : {}),
    ...(options.x || options.y
      ? {
          text: options.z.map((row, i) => row.map((_, j) => `${options.y?.[i] ?? i} → ${options.x?.[j] ?? j}`)),
          hovertemplate: '%{text}: %{z:.3f}<extra></extra>',
        }
      : {}),
  };
  return {
    data: [trace],
    layout: {
      ...titled(options.title),
      xaxis: { ...axis(options.xTitle), ...(options.x ? { tickvals: xs, ticktext: [...options.x] } : {}) },
      yaxis: { ...axis(options.yTitle), autorange: 'reversed', ...(options.y ? { tickvals: ys, ticktext: [...options.y] } : {}) },
    },
  };
}

/** A one-line description of a figure, for `text/plain`. */
export function describeFigure(figure: PlotlyFigure): string {
  const title = figure.layout?.title?.text;
  const parts = figure.data.map((trace, i) => {
    const name = trace.name ?? `trace ${i + 1}`;
    switch (trace.type) {
      case 'scatter': {
        const last = [...trace.y].reverse().find((v) => v !== null && Number.isFinite(v));
        return `${name} (${trace.y.length} points${last === undefined || last === null ? '' : `, last ${formatNumber(last)}`})`;
      }
      case 'bar': {
        const shown = trace.x.slice(0, 5).map((label, j) => `${label} ${formatNumber(trace.y[j]!)}`);
        return `${name}: ${shown.join(', ')}${trace.x.length > 5 ? `, … (${trace.x.length} bars)` : ''}`;
      }
      case 'heatmap': {
        const values = trace.z.flat().filter((v): v is number => v !== null && Number.isFinite(v));
        const extent = values.length ? `, values ${formatNumber(Math.min(...values))} to ${formatNumber(Math.max(...values))}` : '';
        return `${trace.z.length}×${trace.z[0]?.length ?? 0} heatmap${extent}`;
      }
    }
  });
  const kind = figure.data.every((t) => t.type === 'bar') ? 'Bar chart' : figure.data.every((t) => t.type === 'heatmap') ? 'Heatmap' : 'Chart';
  return `${kind}${title ? ` "${title}"` : ''}: ${parts.join('; ') || 'no data'}`;
}

/** A number in 4 significant digits, without trailing zeros: 0.4127, 1.932, 2431. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function titled(title: string | undefined): { title?: PlotlyTitle } {
  return title ? { title: { text: title } } : {};
}

function axis(title: string | undefined): PlotlyAxis {
  return title ? { title: { text: title } } : {};
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
