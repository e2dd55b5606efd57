/** Lines over a numeric x axis (e.g. the weekly tracking series), optionally with a vertical marker. */
import { FONT, renderSvg, titleOption, type ChartSize } from './svg.js';

export interface LineSeries {
  readonly name: string;
  readonly values: readonly number[];
  readonly dashed?: boolean;
}

export interface LineChartSpec extends ChartSize {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Shared x values of every series. */
  readonly x: readonly number[];
  readonly series: readonly LineSeries[];
  /** A vertical line, e.g. the end of the calibration period. */
  readonly marker?: { readonly x: number; readonly label: string };
}

/** @example lineChartSvg({ title: 'Weekly', xLabel: 'week', yLabel: 'n', x: [1, 2], series: [{ name: 'a', values: [3, 4] }] }) */
export function lineChartSvg(spec: LineChartSpec): string {
  const xMax = spec.x.length > 0 ? Math.max(...spec.x) : 1;
  const xMin = spec.x.length > 0 ? Math.min(...spec.x) : 0;
  return renderSvg(
    {
      title: titleOption(spec.title, spec.subtitle),
      // the legend shows each line's stroke (dashed or solid) without a symbol on it
      legend: {
        top: spec.subtitle ? 58 : 42,
        left: 16,
        textStyle: FONT,
        itemWidth: 28,
        itemGap: 20,
        itemStyle: { opacity: 0 },
      },
      grid: { left: 72, right: 32, top: spec.subtitle ? 96 : 80, bottom: 60 },
      xAxis: {
        type: 'value',
        min: xMin,
        max: xMax,
        name: spec.xLabel,
        nameLocation: 'middle',
        nameGap: 32,
        nameTextStyle: FONT,
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        name: spec.yLabel,
        nameLocation: 'middle',
        nameGap: 52,
        nameTextStyle: FONT,
      },
      series: spec.series.map((s, i) => ({
        type: 'line' as const,
        name: s.name,
        data: s.values.map((v, j) => [spec.x[j]!, v]),
        symbol: 'none',
        lineStyle: { width: 2, type: s.dashed ? ('dashed' as const) : ('solid' as const) },
        ...(i === 0 && spec.marker
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: '#888888', type: 'dotted' as const, width: 1 },
                label: {
                  formatter: spec.marker.label,
                  position: 'insideEndTop' as const,
                  ...FONT,
                  color: '#555555',
                },
                data: [{ xAxis: spec.marker.x }],
              },
            }
          : {}),
      })),
    },
    spec,
  );
}
