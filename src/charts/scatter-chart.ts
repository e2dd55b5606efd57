/** Points of (x, y) pairs with an optional y = x reference line (e.g. predicted vs actual per customer). */
import { FONT, renderSvg, titleOption, type ChartSize } from './svg.js';

export interface ScatterSpec extends ChartSize {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Draw y = x. Default true. */
  readonly diagonal?: boolean;
  /** At most this many points are drawn, evenly spaced over the input order; default 5000. */
  readonly maxPoints?: number;
}

/** Evenly spaced indices 0..n-1, at most `max` of them (deterministic). */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, j) => Math.floor((j * n) / max));
}

/** @example scatterChartSvg({ title: 'Holdout', xLabel: 'predicted', yLabel: 'actual', name: 'customers', x: [0.5], y: [1] }) */
export function scatterChartSvg(spec: ScatterSpec): string {
  const picked = sampleIndices(spec.x.length, spec.maxPoints ?? 5000);
  const data = picked.map((i) => [spec.x[i]!, spec.y[i]!]);
  let top = 1;
  for (const [x, y] of data) top = Math.max(top, x!, y!);
  const sampled = picked.length < spec.x.length;
  const subtitle = [spec.subtitle, sampled ? `${picked.length} of ${spec.x.length} points shown` : null]
    .filter(Boolean)
    .join(' · ');
  const diagonal = spec.diagonal ?? true;
  return renderSvg(
    {
      title: titleOption(spec.title, subtitle || undefined),
      legend: {
        top: subtitle ? 58 : 42,
        left: 16,
        textStyle: FONT,
        itemWidth: 28,
        itemGap: 20,
        data: [spec.name, ...(diagonal ? [{ name: 'predicted = actual', itemStyle: { opacity: 0 } }] : [])],
      },
      grid: { left: 72, right: 32, top: subtitle ? 96 : 80, bottom: 60 },
      xAxis: {
        type: 'value',
        min: 0,
        name: spec.xLabel,
        nameLocation: 'middle',
        nameGap: 32,
        nameTextStyle: FONT,
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        min: 0,
        name: spec.yLabel,
        nameLocation: 'middle',
        nameGap: 52,
        nameTextStyle: FONT,
      },
      series: [
        {
          type: 'scatter',
          name: spec.name,
          data,
          symbolSize: 5,
          itemStyle: { opacity: 0.35 },
          large: false,
          progressive: 0,
        },
        ...(diagonal
          ? [
              {
                type: 'line' as const,
                name: 'predicted = actual',
                data: [
                  [0, 0],
                  [top, top],
                ],
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, width: 1, color: '#888888' },
                itemStyle: { color: '#888888' },
              },
            ]
          : []),
      ],
    },
    spec,
  );
}
