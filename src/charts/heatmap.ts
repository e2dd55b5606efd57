/** A heatmap of a matrix over two numeric grids (e.g. P(alive) by frequency and recency). */
import { FONT, renderSvg, titleOption, type ChartSize } from './svg.js';

export interface HeatmapSpec extends ChartSize {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Column values (x axis) and row values (y axis, first row at the top). */
  readonly xValues: readonly number[];
  readonly yValues: readonly number[];
  /** values[row][column]. */
  readonly values: readonly (readonly number[])[];
  /** Colour scale range; default the data's range. */
  readonly min?: number;
  readonly max?: number;
  /** Label of the colour scale. */
  readonly valueLabel: string;
}

/** Light yellow to dark blue (viridis-like, readable in grey). */
const SCALE = ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'];

const label = (v: number): string => String(Math.round(v * 100) / 100);

/** @example heatmapSvg({ title: 'P(alive)', xLabel: 't_x', yLabel: 'x', xValues: [0, 1], yValues: [0], values: [[1, 1]], valueLabel: 'P' }) */
export function heatmapSvg(spec: HeatmapSpec): string {
  let lo = Infinity;
  let hi = -Infinity;
  const data: [number, number, number][] = [];
  spec.values.forEach((row, r) =>
    row.forEach((v, c) => {
      data.push([c, r, v]);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }),
  );
  const min = spec.min ?? (Number.isFinite(lo) ? lo : 0);
  const max = spec.max ?? (Number.isFinite(hi) && hi > min ? hi : min + 1);
  return renderSvg(
    {
      title: titleOption(spec.title, spec.subtitle),
      grid: { left: 72, right: 110, top: spec.subtitle ? 80 : 64, bottom: 60 },
      xAxis: {
        type: 'category',
        data: spec.xValues.map(label),
        name: spec.xLabel,
        nameLocation: 'middle',
        nameGap: 32,
        nameTextStyle: FONT,
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        data: spec.yValues.map(label),
        inverse: true,
        name: spec.yLabel,
        nameLocation: 'middle',
        nameGap: 44,
        nameTextStyle: FONT,
      },
      visualMap: {
        type: 'continuous',
        min,
        max,
        calculable: false,
        orient: 'vertical',
        right: 16,
        top: 'middle',
        itemHeight: 240,
        text: [label(max), label(min)],
        textStyle: FONT,
        inRange: { color: SCALE },
        formatter: (v: unknown) => label(Number(v)),
      },
      series: [
        { type: 'heatmap', name: spec.valueLabel, data, progressive: 0, emphasis: { disabled: true } },
      ],
    },
    spec,
  );
}
