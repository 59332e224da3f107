/**
 * What notebooks show: plots, a live training chart, next-token bars, attention heatmaps,
 * tables and an environment check, plus the quick-mode switch the lessons read.
 *
 * Each helper sends one MIME bundle to the display sink: the tslab kernel inside a
 * notebook, text on stdout anywhere else, a recording in tests.
 */
export { plot, figureBundle, PLOTLY_MIME } from './plot';
export type { PlotOptions } from './plot';
export { lineChart, barChart, heatmap, describeFigure } from './figure';
export type {
  PlotlyFigure,
  PlotlyTrace,
  ScatterTrace,
  BarTrace,
  HeatmapTrace,
  PlotlyLayout,
  PlotlyAxis,
  PlotlyTitle,
  Series,
  LineChartOptions,
  BarChartOptions,
  HeatmapOptions,
} from './figure';
export { figureToSvg } from './svg';
export type { SvgOptions } from './svg';
export { liveTrainingChart } from './live-training-chart';
export type { LiveTrainingChartOptions } from './live-training-chart';
export { showNextTokenBars } from './next-token-bars';
export type { NextTokenBarsOptions, TokenProbabilityRow } from './next-token-bars';
export { showAttentionHeatmap } from './attention-heatmap';
export type { AttentionHeatmapOptions } from './attention-heatmap';
export { showTable } from './table';
export type { ShowTableOptions } from './table';
export { showEnvironment } from './environment';
export type { EnvironmentInfo } from './environment';
export { isQuickMode, lessonSteps } from './quick-mode';
export { statedNumber, STATED_NUMBERS_ENV, YOUR_NUMBERS_ENV, courseNumbers, courseNumbersFile, yourNumbers, yourNumbersFile } from './stated-number';
export type { CourseNumber, YourNumber } from './stated-number';
export type { StatedNumberOptions, StatedNumberRecord } from './stated-number';
export { displayToken, escapeHtml } from './escape';
export {
  LiveDisplay,
  RecordingSink,
  currentDisplaySink,
  setDisplaySink,
  showOutput,
  textSink,
  withDisplaySink,
} from './sink';
export type { DisplayOutput, DisplaySink, MimeBundle } from './sink';
