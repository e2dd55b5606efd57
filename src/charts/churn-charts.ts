/**
 * Churn model evaluation charts (SVG): ROC curve, precision-recall curve, cumulative gains, and
 * calibration (predicted vs observed churn rate), from the test rows' scores and outcomes.
 */
import type { ChurnMetrics } from '../analysis/churn/churn-metrics.js';
import { FONT, renderSvg, titleOption } from './svg.js';

interface XyLine {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
  readonly symbols?: boolean;
}

function xyChartSvg(
  title: string,
  subtitle: string,
  xLabel: string,
  yLabel: string,
  lines: readonly XyLine[],
): string {
  return renderSvg({
    title: titleOption(title, subtitle),
    legend: { top: 58, left: 16, textStyle: FONT, itemWidth: 28, itemGap: 20 },
    grid: { left: 72, right: 32, top: 96, bottom: 60 },
    xAxis: { type: 'value', name: xLabel, nameLocation: 'middle', nameGap: 32, min: 0, max: 1 },
    yAxis: { type: 'value', name: yLabel, nameLocation: 'middle', nameGap: 48, min: 0, max: 1 },
    series: lines.map((l) => ({
      type: 'line',
      name: l.name,
      data: l.points.map((p) => [p[0], p[1]]),
      showSymbol: l.symbols ?? false,
      lineStyle: { type: l.dashed ? 'dashed' : 'solid', width: 2 },
    })),
  });
}

/** Points of the ROC curve (false positive rate, true positive rate), one per distinct score. */
export function rocPoints(scores: ArrayLike<number>, labels: ArrayLike<number>): [number, number][] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i]!;
  const neg = labels.length - pos;
  const out: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i]) tp++;
    else fp++;
    if (k + 1 === order.length || scores[order[k + 1]!] !== scores[i]) out.push([fp / neg, tp / pos]);
  }
  return out;
}

/** Points of the precision-recall curve (recall, precision), one per distinct score. */
export function prPoints(scores: ArrayLike<number>, labels: ArrayLike<number>): [number, number][] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i]!;
  const out: [number, number][] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i]) tp++;
    if (k + 1 === order.length || scores[order[k + 1]!] !== scores[i]) out.push([tp / pos, tp / (k + 1)]);
  }
  return out;
}

const f3 = (v: number) => v.toFixed(3);

/** The four evaluation charts by file name. */
export function churnEvaluationCharts(
  metrics: ChurnMetrics,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  model: string,
): Record<string, string> {
  const base = metrics.positives / metrics.rows;
  return {
    'roc.svg': xyChartSvg(
      'ROC curve',
      `${model}: AUC ${f3(metrics.rocAuc)} on ${metrics.rows} test customers`,
      'false positive rate',
      'true positive rate',
      [
        { name: model, points: rocPoints(scores, labels) },
        {
          name: 'random',
          points: [
            [0, 0],
            [1, 1],
          ],
          dashed: true,
        },
      ],
    ),
    'precision-recall.svg': xyChartSvg(
      'Precision-recall curve',
      `${model}: average precision ${f3(metrics.prAuc)}; churn rate ${f3(base)}`,
      'recall',
      'precision',
      [
        { name: model, points: prPoints(scores, labels) },
        {
          name: 'random',
          points: [
            [0, base],
            [1, base],
          ],
          dashed: true,
        },
      ],
    ),
    'gains.svg': xyChartSvg(
      'Cumulative gains',
      `${model}: top decile lift ${metrics.liftTopDecile.toFixed(2)}`,
      'share of customers contacted (highest scores first)',
      'share of churners reached',
      [
        {
          name: model,
          points: [
            [0, 0],
            ...metrics.lift.map((b): [number, number] => [b.cumulativeRows / metrics.rows, b.gain]),
          ],
          symbols: true,
        },
        {
          name: 'random',
          points: [
            [0, 0],
            [1, 1],
          ],
          dashed: true,
        },
      ],
    ),
    'calibration.svg': xyChartSvg(
      'Calibration',
      `${model}: Brier ${f3(metrics.brier)}, log loss ${f3(metrics.logLoss)} (deciles of the prediction)`,
      'mean predicted churn probability',
      'observed churn rate',
      [
        {
          name: model,
          points: metrics.calibration.map((b): [number, number] => [b.meanPredicted, b.fractionPositive]),
          symbols: true,
        },
        {
          name: 'perfect',
          points: [
            [0, 0],
            [1, 1],
          ],
          dashed: true,
        },
      ],
    ),
  };
}
