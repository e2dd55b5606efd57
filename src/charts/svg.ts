/**
 * Server-side SVG rendering with ECharts (no browser, no DOM): one chart per call, fixed size, fixed fonts,
 * no animation, so the same input always gives the same bytes.
 */
import * as echarts from 'echarts';

export type ChartOption = echarts.EChartsOption;

export interface ChartSize {
  readonly width?: number;
  readonly height?: number;
}

export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 500;

/** Fixed font (text layout is approximated in SSR; a fixed family and size keeps it stable). */
export const FONT = {
  fontFamily: 'DejaVu Sans, Arial, Helvetica, sans-serif',
  fontSize: 12,
  color: '#333333',
};

/** Colour-blind-friendly series colours (Okabe-Ito). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

/** Title and subtitle at the top left; plots leave room below them for the legend. */
export function titleOption(title: string, subtitle?: string): ChartOption['title'] {
  return {
    text: title,
    ...(subtitle ? { subtext: subtitle } : {}),
    left: 16,
    top: 10,
    textStyle: { ...FONT, fontSize: 16, fontWeight: 'bold' },
    subtextStyle: { ...FONT, color: '#666666' },
  };
}

/**
 * ECharts numbers its element classes and clip paths with process-wide counters (`zr3-cls-17`): renumber
 * them in order of appearance so a chart's SVG does not depend on what was rendered before it.
 */
export function normalizeSvgIds(svg: string): string {
  const seen = new Map<string, string>();
  const next = new Map<string, number>();
  return svg.replace(/zr\d+-([a-z]+-?)(\d+)/g, (token, prefix: string) => {
    let id = seen.get(token);
    if (id === undefined) {
      const n = next.get(prefix) ?? 0;
      next.set(prefix, n + 1);
      id = `chart-${prefix}${n}`;
      seen.set(token, id);
    }
    return id;
  });
}

/**
 * Render one option to an SVG document.
 *
 * @example const svg = renderSvg({ xAxis: {}, yAxis: {}, series: [{ type: 'line', data: [[0, 1]] }] });
 */
export function renderSvg(option: ChartOption, size: ChartSize = {}): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width ?? DEFAULT_WIDTH,
    height: size.height ?? DEFAULT_HEIGHT,
  });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      color: PALETTE,
      textStyle: FONT,
      ...option,
      series: (Array.isArray(option.series) ? option.series : option.series ? [option.series] : []).map(
        (s) => ({ silent: true, ...s }),
      ),
    });
    // static files: drop the metadata ECharts adds for re-attaching interactivity in a browser
    return normalizeSvgIds(chart.renderToSVGString()).replace(/ ecmeta_[a-z_]+="[^"]*"/g, '');
  } finally {
    chart.dispose();
  }
}

/** Short, stable axis numbers: 1234.5 -> "1,234.5", 0.12345 -> "0.12". */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 1 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}
