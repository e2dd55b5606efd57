/** Charts of the churn reports (SVG): lines, grouped bars or stacked bars over categories such as months. */
import { FONT, renderSvg, titleOption, type ChartSize } from './svg.js';

export type ReportChartKind = 'line' | 'bar' | 'stacked-bar';

export interface ReportChartSeries {
  readonly name: string;
  /** One value per category; null leaves a gap. */
  readonly values: readonly (number | null)[];
}

export interface ReportChartInput extends ChartSize {
  readonly kind: ReportChartKind;
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly ReportChartSeries[];
  /** Values are shares (0.05 = 5 %): the axis shows percent. */
  readonly percent?: boolean;
}

/** @example reportChartSvg({ kind: 'bar', title: 'Churn', xLabel: 'month', yLabel: 'churners', categories: ['2025-01'], series: [{ name: 'voluntary', values: [5] }] }) */
export function reportChartSvg(spec: ReportChartInput): string {
  const top = spec.subtitle ? 58 : 42;
  return renderSvg(
    {
      title: titleOption(spec.title, spec.subtitle),
      legend: { top, left: 16, textStyle: FONT, type: 'scroll' },
      grid: { left: 80, right: 32, top: top + 38, bottom: 64 },
      xAxis: {
        type: 'category',
        data: [...spec.categories],
        name: spec.xLabel,
        nameLocation: 'middle',
        nameGap: 40,
        nameTextStyle: FONT,
        axisLabel: { ...FONT, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        name: spec.yLabel,
        nameLocation: 'middle',
        nameGap: 60,
        nameTextStyle: FONT,
        ...(spec.percent
          ? { axisLabel: { ...FONT, formatter: (v: number) => `${Math.round(v * 1000) / 10}%` } }
          : {}),
      },
      series: spec.series.map((s) =>
        spec.kind === 'line'
          ? {
              type: 'line' as const,
              name: s.name,
              data: [...s.values],
              symbol: 'none',
              lineStyle: { width: 2 },
            }
          : {
              type: 'bar' as const,
              name: s.name,
              data: [...s.values],
              ...(spec.kind === 'stacked-bar' ? { stack: 'total' } : { barGap: '10%' }),
              barCategoryGap: '30%',
            },
      ),
    },
    spec,
  );
}
