/**
 * The six charts of a holdout evaluation (`retain clv evaluate --plot DIR`), as SVG documents keyed by
 * file name: tracking (cumulative and per period), holdout by calibration frequency, per-customer predicted
 * vs actual, and the P(alive) and expected-transactions matrices.
 */
import type { ClvEvaluation } from '../analysis/clv/evaluate-clv.js';
import { groupedBarChartSvg } from './bar-chart.js';
import { heatmapSvg } from './heatmap.js';
import { lineChartSvg } from './line-chart.js';
import { scatterChartSvg } from './scatter-chart.js';
import { formatNumber } from './svg.js';

export const EVALUATION_CHART_FILES = [
  'tracking-cumulative.svg',
  'tracking-weekly.svg',
  'holdout-by-frequency.svg',
  'holdout-per-customer.svg',
  'probability-alive-matrix.svg',
  'frequency-recency-matrix.svg',
] as const;

export type EvaluationChartFile = (typeof EVALUATION_CHART_FILES)[number];

const plural = (unit: string, n: number) => (n === 1 ? unit : `${unit}s`);

/** @example const charts = evaluationCharts(await evaluateClv(engine, options)); */
export function evaluationCharts(e: ClvEvaluation): Record<EvaluationChartFile, string> {
  const unit = e.timeUnit;
  const points = e.tracking.points;
  const x = points.map((p) => p.period);
  const marker = { x: e.tracking.calibrationPeriods, label: `calibration end ${e.calibrationEnd}` };
  const period = `${unit[0]!.toUpperCase()}${unit.slice(1)}`;
  const span = `${e.modelLabel} fitted up to ${e.calibrationEnd}, holdout to ${e.holdoutEnd}`;
  const h = e.holdout;
  const m = e.matrices;
  const mSub = `${e.modelLabel}, customers of age T = ${formatNumber(m.T)} ${plural(unit, m.T)}`;
  return {
    'tracking-cumulative.svg': lineChartSvg({
      title: 'Cumulative repeat transactions',
      subtitle: `${span}; holdout actual ${formatNumber(e.tracking.holdout.actual)}, expected ${formatNumber(e.tracking.holdout.expected)}`,
      xLabel: `${period} (since the first purchase of the oldest customers)`,
      yLabel: 'Cumulative repeat transactions',
      x,
      series: [
        { name: 'Actual', values: points.map((p) => p.cumulativeActual) },
        { name: e.modelLabel, values: points.map((p) => p.cumulativeExpected), dashed: true },
      ],
      marker,
    }),
    'tracking-weekly.svg': lineChartSvg({
      title: `Repeat transactions per ${unit}`,
      subtitle: span,
      xLabel: period,
      yLabel: `Repeat transactions per ${unit}`,
      x,
      series: [
        { name: 'Actual', values: points.map((p) => p.actual) },
        { name: e.modelLabel, values: points.map((p) => p.expected), dashed: true },
      ],
      marker,
    }),
    'holdout-by-frequency.svg': groupedBarChartSvg({
      title: 'Holdout transactions by calibration frequency',
      subtitle: `${span}; mean per customer`,
      xLabel: 'Repeat transactions in the calibration period (x)',
      yLabel: 'Mean holdout transactions',
      categories: e.byFrequency.map((g) => g.label),
      series: [
        { name: 'Actual', values: e.byFrequency.map((g) => g.meanActual) },
        { name: e.modelLabel, values: e.byFrequency.map((g) => g.meanPredicted) },
      ],
    }),
    'holdout-per-customer.svg': scatterChartSvg({
      title: 'Holdout transactions per customer',
      subtitle: `total predicted ${formatNumber(h.predictedTotal)} vs actual ${formatNumber(h.actualTotal)}, correlation ${h.correlation === null ? 'n/a' : h.correlation.toFixed(3)}`,
      xLabel: `Predicted (${e.modelLabel}, conditional expectation)`,
      yLabel: 'Actual',
      name: 'Customers',
      x: e.perCustomer.predicted,
      y: e.perCustomer.actual,
    }),
    'probability-alive-matrix.svg': heatmapSvg({
      title: 'Probability alive by frequency and recency',
      subtitle: mSub,
      xLabel: `Recency t_x (${plural(unit, 2)})`,
      yLabel: 'Frequency x',
      xValues: m.recencies,
      yValues: m.frequencies,
      values: m.probabilityAlive,
      min: 0,
      max: 1,
      valueLabel: 'P(alive)',
    }),
    'frequency-recency-matrix.svg': heatmapSvg({
      title: `Expected transactions in the next ${formatNumber(m.horizon)} ${plural(unit, m.horizon)}`,
      subtitle: mSub,
      xLabel: `Recency t_x (${plural(unit, 2)})`,
      yLabel: 'Frequency x',
      xValues: m.recencies,
      yValues: m.frequencies,
      values: m.expectedTransactions,
      min: 0,
      valueLabel: 'Expected transactions',
    }),
  };
}
