/**
 * `plot(figure)`: one output that JupyterLab draws with plotly, and that still shows a
 * picture where no plotly renderer runs.
 *
 * The bundle holds the figure four ways; each front end shows the richest it can render:
 *
 *   application/vnd.plotly.v1+json   JupyterLab with the plotly extension: interactive
 *   text/html                        the SVG inline (sanitised HTML keeps it): untrusted
 *                                    notebooks, VS Code, GitHub
 *   image/svg+xml                    the same picture as an image (nbconvert, exports)
 *   text/plain                       one line: a terminal, a log
 */
import { type PlotlyFigure, describeFigure } from './figure';
import { type LiveDisplay, type MimeBundle, showOutput } from './sink';
import { figureToSvg } from './svg';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export interface PlotOptions {
  /** Width in pixels. @default the cell's width in plotly, 640 in the SVG */
  readonly width?: number;
  /** Height in pixels. @default plotly's 450, 360 in the SVG */
  readonly height?: number;
  /** Replace this display's output instead of adding one (a chart that updates). @default a new output */
  readonly display?: LiveDisplay;
}

/** Shows a plotly figure, with a static SVG and a one-line text summary as fallbacks. */
export function plot(figure: PlotlyFigure, options: PlotOptions = {}): void {
  showOutput(figureBundle(figure, options), { display: options.display });
}

/** The MIME bundle `plot` sends: plotly JSON, HTML with the SVG inline, SVG, and text. */
export function figureBundle(figure: PlotlyFigure, options: { width?: number; height?: number } = {}): MimeBundle {
  const layout = {
    ...figure.layout,
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
  };
  const sized: PlotlyFigure = { data: figure.data, layout };
  const svg = figureToSvg(sized);
  return {
    [PLOTLY_MIME]: { data: sized.data, layout },
    'text/html': `<div class="llm-lab-figure">${svg}</div>`,
    'image/svg+xml': svg,
    'text/plain': describeFigure(sized),
  };
}
