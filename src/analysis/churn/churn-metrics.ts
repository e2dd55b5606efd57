/**
 * The evaluation of churn scores against what happened: ranking (ROC AUC, PR AUC), probability quality
 * (log loss, Brier, calibration), targeting (lift and gains by decile) and the confusion matrix at a
 * threshold and at a contact volume (the retention team's list size).
 */
import { averagePrecision } from '../../models/learn/metrics/average-precision.js';
import { brierScore } from '../../models/learn/metrics/brier-score.js';
import { calibrationCurve, type CalibrationBin } from '../../models/learn/metrics/calibration-curve.js';
import {
  confusionAtThreshold,
  confusionAtTopK,
  type ConfusionMatrix,
} from '../../models/learn/metrics/confusion-matrix.js';
import { liftTable, type LiftBin } from '../../models/learn/metrics/lift-table.js';
import { logLoss } from '../../models/learn/metrics/log-loss.js';
import { rocAuc } from '../../models/learn/metrics/roc-auc.js';
import { topDecileLift } from '../../models/learn/metrics/top-decile-lift.js';

export interface ChurnMetrics {
  readonly rows: number;
  readonly positives: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly liftTopDecile: number;
  readonly lift: readonly LiftBin[];
  readonly calibration: readonly CalibrationBin[];
  readonly atThreshold: ConfusionMatrix & { readonly threshold: number };
  /** The top `volume` customers contacted (default: as many as churned). */
  readonly atVolume: ConfusionMatrix & { readonly volume: number };
}

export interface ChurnMetricsOptions {
  /** Probability at or above which a customer is flagged (default 0.5). */
  readonly threshold?: number;
  /** Customers the team can contact (default: the number of churners). */
  readonly volume?: number;
}

export function churnMetrics(
  probabilities: Float64Array,
  labels: Uint8Array,
  options: ChurnMetricsOptions = {},
): ChurnMetrics {
  let positives = 0;
  for (const y of labels) positives += y;
  const threshold = options.threshold ?? 0.5;
  const volume = Math.min(labels.length, options.volume ?? positives);
  return {
    rows: labels.length,
    positives,
    rocAuc: rocAuc(probabilities, labels),
    prAuc: averagePrecision(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    brier: brierScore(probabilities, labels),
    liftTopDecile: topDecileLift(probabilities, labels),
    lift: liftTable(probabilities, labels),
    calibration: calibrationCurve(probabilities, labels, { bins: 10, strategy: 'quantile' }),
    atThreshold: { threshold, ...confusionAtThreshold(probabilities, labels, threshold) },
    atVolume: { volume, ...confusionAtTopK(probabilities, labels, volume) },
  };
}
