/**
 * k-fold cross-validation of any learner given as a fit / predict pair: the honest estimate of how a
 * model-building recipe (not one fitted model) performs on customers it has not seen, with the spread over
 * folds as a rough measure of its uncertainty.
 */
import { takeLabelledRows, type FeatureTable, type LabelledTable } from './feature-table.js';
import { averagePrecision } from './metrics/average-precision.js';
import { brierScore } from './metrics/brier-score.js';
import { logLoss } from './metrics/log-loss.js';
import { rocAuc } from './metrics/roc-auc.js';
import { stratifiedKFold } from './split.js';

/** A metric of scores against 0/1 labels. */
export type Metric = (scores: ArrayLike<number>, labels: ArrayLike<number>) => number;

/** ROC AUC, average precision, log loss and Brier score (the last two need probabilities). */
export const DEFAULT_METRICS: Readonly<Record<string, Metric>> = {
  rocAuc,
  averagePrecision,
  logLoss: (p, y) => logLoss(p, y),
  brierScore,
};

export interface CrossValidateOptions<M> {
  readonly folds?: number;
  readonly seed?: number;
  /** Train on the fold's training rows. */
  readonly fit: (train: LabelledTable) => M;
  /** Score the fold's held-out rows (probabilities when log loss / Brier are among the metrics). */
  readonly predict: (model: M, features: FeatureTable) => ArrayLike<number>;
  /** Default DEFAULT_METRICS. */
  readonly metrics?: Readonly<Record<string, Metric>>;
}

export interface FoldResult {
  readonly fold: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface CrossValidationResult {
  readonly folds: readonly FoldResult[];
  /** Mean of each metric over the folds. */
  readonly mean: Readonly<Record<string, number>>;
  /** Sample standard deviation over the folds (divisor k - 1). */
  readonly sd: Readonly<Record<string, number>>;
  /** Out-of-fold score of every row (each row scored by the model that did not see it). */
  readonly outOfFold: Float64Array;
}

/**
 * Stratified k-fold cross-validation (default 5 folds, seed 1).
 *
 * @example
 * const cv = crossValidate(table, { fit: (t) => fitLogisticRegression(t), predict: predictLogistic });
 * cv.mean.rocAuc // mean test AUC over the folds
 */
export function crossValidate<M>(
  table: LabelledTable,
  options: CrossValidateOptions<M>,
): CrossValidationResult {
  const metrics = options.metrics ?? DEFAULT_METRICS;
  const names = Object.keys(metrics);
  if (names.length === 0) throw new RangeError('crossValidate: no metrics');
  const splits = stratifiedKFold(table.labels, { folds: options.folds ?? 5, seed: options.seed ?? 1 });
  const outOfFold = new Float64Array(table.labels.length).fill(NaN);
  const folds: FoldResult[] = splits.map((split, f) => {
    const model = options.fit(takeLabelledRows(table, split.train));
    const test = takeLabelledRows(table, split.test);
    const scores = options.predict(model, test.features);
    if (scores.length !== split.test.length) {
      throw new RangeError(
        `crossValidate: predict returned ${scores.length} scores for ${split.test.length} rows`,
      );
    }
    for (let r = 0; r < split.test.length; r++) outOfFold[split.test[r]!] = scores[r]!;
    const values: Record<string, number> = {};
    for (const name of names) values[name] = metrics[name]!(scores, test.labels);
    return { fold: f + 1, trainRows: split.train.length, testRows: split.test.length, metrics: values };
  });
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  for (const name of names) {
    const v = folds.map((r) => r.metrics[name]!);
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    mean[name] = m;
    sd[name] = Math.sqrt(v.reduce((s, x) => s + (x - m) * (x - m), 0) / (v.length - 1));
  }
  return { folds, mean, sd, outOfFold };
}
