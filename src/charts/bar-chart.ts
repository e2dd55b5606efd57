/** Grouped bars over categories (e.g. mean holdout transactions by calibration frequency). */
import { FONT, renderSvg, titleOption, type ChartSize } from './svg.js';

export interface BarSeries {
  readonly name: string;
  /** One value per category; null leaves a gap. */
  readonly values: readonly (number | null)[];
}

export interface BarChartSpec extends ChartSize {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
}

/** @example groupedBarChartSvg({ title: 'By x', xLabel: 'x', yLabel: 'mean', categories: ['0', '1+'], series: [{ name: 'actual', values: [0.2, 1.5] }] }) */
export function groupedBarChartSvg(spec: BarChartSpec): string {
  return renderSvg(
    {
      title: titleOption(spec.title, spec.subtitle),
      legend: { top: spec.subtitle ? 58 : 42, left: 16, textStyle: FONT },
      grid: { left: 72, right: 32, top: spec.subtitle ? 96 : 80, bottom: 60 },
      xAxis: {
        type: 'category',
        data: [...spec.categories],
        name: spec.xLabel,
        nameLocation: 'middle',
        nameGap: 32,
        nameTextStyle: FONT,
      },
      yAxis: { type: 'value', name: spec.yLabel, nameLocation: 'middle', nameGap: 52, nameTextStyle: FONT },
      series: spec.series.map((s) => ({
        type: 'bar' as const,
        name: s.name,
        data: [...s.values],
        barGap: '10%',
        barCategoryGap: '30%',
      })),
    },
    spec,
  );
}
