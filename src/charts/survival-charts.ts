/**
 * Survival charts: Kaplan-Meier curves by group as step lines with their confidence bands
 * (`retain survival km --chart`), and the cohort retention matrix as a heatmap (`retain survival cohorts
 * --chart`).
 */
import type { CohortReport } from '../analysis/survival/cohort-analysis.js';
import type { KaplanMeierReport } from '../analysis/survival/kaplan-meier-analysis.js';
import { FONT, PALETTE, formatNumber, renderSvg, titleOption, type ChartSize } from './svg.js';

const percent = (v: number): string => `${Math.round(v * 100)}%`;

/** Step points of one curve: (0, 1) first, then (t, value) at every curve time; NaN drawn as 0. */
function steps(time: Float64Array, values: Float64Array): [number, number][] {
  const out: [number, number][] = [[0, 1]];
  for (let i = 0; i < time.length; i++) {
    const v = values[i]!;
    const point: [number, number] = [time[i]!, Number.isNaN(v) ? 0 : v];
    if (time[i] === 0) out[0] = point;
    else out.push(point);
  }
  return out;
}

/**
 * Kaplan-Meier curves with pointwise confidence bands (shaded, stacked lower + width), one colour per group.
 *
 * @example writeFileSync('km.svg', kaplanMeierChartSvg(await kaplanMeierAnalysis(source, { by: 'plan' })));
 */
export function kaplanMeierChartSvg(report: KaplanMeierReport, size: ChartSize = {}): string {
  const unit = report.unit ?? report.time;
  const longest = Math.max(1e-9, ...report.groups.map((g) => g.curve.time[g.curve.time.length - 1] ?? 0));
  // a round axis end (47.97 months -> 50): ECharts labels the maximum as it is
  const step = 10 ** Math.floor(Math.log10(longest)) / 2;
  const maxTime = Math.ceil(longest / step) * step;
  const subtitle = [
    report.file ?? `workspace (${report.source}) as of ${report.asOf ?? ''}`,
    `${Math.round(report.confLevel * 100)}% confidence bands (${report.confType})`,
    report.logRank
      ? `log-rank chi-square ${formatNumber(report.logRank.chisq)} on ${report.logRank.df} df, p = ${report.logRank.p.toPrecision(3)}`
      : null,
  ]
    .filter(Boolean)
    .join('; ');
  const series = report.groups.flatMap((g, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const lower = steps(g.curve.time, g.curve.lower);
    const upper = steps(g.curve.time, g.curve.upper);
    const stack = `band-${i}`;
    return [
      {
        type: 'line' as const,
        name: `${g.group} lower`,
        data: lower,
        step: 'end' as const,
        stack,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        color,
        z: 1,
      },
      {
        type: 'line' as const,
        name: `${g.group} band`,
        data: upper.map(([t, u], k) => [t, Math.max(0, u - lower[k]![1])]),
        step: 'end' as const,
        stack,
        symbol: 'none',
        lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.15 },
        color,
        z: 1,
      },
      {
        type: 'line' as const,
        name: g.group,
        data: steps(g.curve.time, g.curve.survival),
        step: 'end' as const,
        symbol: 'none',
        lineStyle: { width: 2, color },
        color,
        z: 2,
      },
    ];
  });
  return renderSvg(
    {
      title: titleOption(
        report.by ? `Kaplan-Meier survival by ${report.by}` : 'Kaplan-Meier survival',
        subtitle,
      ),
      legend: {
        data: report.groups.map((g) => g.group),
        top: 58,
        left: 16,
        textStyle: FONT,
        itemWidth: 28,
        itemGap: 20,
        itemStyle: { opacity: 0 },
      },
      grid: { left: 72, right: 32, top: 96, bottom: 60 },
      xAxis: {
        type: 'value',
        min: 0,
        max: maxTime,
        name: report.unit ? `Time (${unit})` : report.time,
        nameLocation: 'middle',
        nameGap: 32,
        nameTextStyle: FONT,
        splitLine: { show: false },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        name: 'Survival probability',
        nameLocation: 'middle',
        nameGap: 52,
        nameTextStyle: FONT,
      },
      series,
    },
    size,
  );
}

/** Light yellow to dark blue (viridis-like, readable in grey): high retention is dark. */
const SCALE = ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'];

/**
 * Cohort retention heatmap: cohorts down, periods since acquisition across, unobserved cells blank; cells
 * carry their percentage when the matrix is small enough to read.
 */
export function cohortHeatmapSvg(report: CohortReport, size: ChartSize = {}): string {
  const data: [number, number, number][] = [];
  report.cohorts.forEach((row, r) =>
    row.share.forEach((v, c) => {
      if (v !== null) data.push([c, r, v]);
    }),
  );
  const labels = data.length <= 240;
  // the colour scale starts at the lowest share rounded down to 10 % (retention is often all above 50 %)
  const lowest = data.reduce((m, d) => Math.min(m, d[2]), 1);
  const min = Math.max(0, Math.floor(lowest * 10) / 10 - (lowest === 1 ? 0.1 : 0));
  const height = size.height ?? Math.max(400, Math.min(1400, 140 + 22 * report.cohorts.length));
  return renderSvg(
    {
      title: titleOption(
        `Retention by acquisition ${report.period}`,
        `share of each cohort still active, ${report.source} as of ${report.asOf}, ${report.customers} customers`,
      ),
      grid: { left: 96, right: 110, top: 80, bottom: 60 },
      xAxis: {
        type: 'category',
        data: report.periods.map(String),
        name: `${report.period[0]!.toUpperCase()}${report.period.slice(1)}s since acquisition`,
        nameLocation: 'middle',
        nameGap: 32,
        nameTextStyle: FONT,
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        data: report.cohorts.map((c) => c.cohort),
        inverse: true,
        name: 'Cohort',
        nameLocation: 'middle',
        nameGap: 72,
        nameTextStyle: FONT,
      },
      visualMap: {
        type: 'continuous',
        min,
        max: 1,
        calculable: false,
        orient: 'vertical',
        right: 16,
        top: 'middle',
        itemHeight: 240,
        text: ['100%', percent(min)],
        textStyle: FONT,
        inRange: { color: SCALE },
      },
      series: [
        {
          type: 'heatmap',
          name: 'share active',
          data,
          progressive: 0,
          emphasis: { disabled: true },
          label: {
            show: labels,
            ...FONT,
            fontSize: 10,
            color: '#ffffff',
            textBorderColor: '#333333',
            textBorderWidth: 2,
            formatter: (p: { value?: unknown }) => percent(Number((p.value as number[])[2])),
          },
        },
      ],
    },
    { ...size, height },
  );
}
