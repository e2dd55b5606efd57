/**
 * Train a churn model on labelled rows and say how well it does on rows it never saw: a fixed list of
 * test ids (`--test-ids`) or a seeded stratified split, optional k-fold cross-validation on the training
 * rows, test metrics, and the columns that matter most.
 */
import { takeLabelledRows, type LabelledTable } from '../../models/learn/feature-table.js';
import { stratifiedKFold, stratifiedSplit } from '../../models/learn/split.js';
import { UserError } from '../../util/errors.js';
import {
  fitChurnModel,
  type ChurnFitOptions,
  type ChurnModelKind,
  type ColumnImportance,
  type FittedChurnModel,
} from './churn-learner.js';
import { churnMetrics, type ChurnMetrics } from './churn-metrics.js';

export interface TrainChurnOptions {
  readonly kind?: ChurnModelKind;
  readonly seed?: number;
  readonly classWeight?: 'balanced' | null;
  /** Logistic model's penalty (see ChurnFitOptions). */
  readonly penalty?: ChurnFitOptions['penalty'];
  readonly C?: number;
  readonly l1Ratio?: number;
  /** Rows whose id is listed here are the test set (the rest train). */
  readonly testIds?: ReadonlySet<string> | null;
  /** Without test ids: the share of rows held out, stratified by the label (default 0.3; 0 = none). */
  readonly testFraction?: number;
  /** k-fold cross-validation on the training rows (default 0: none). */
  readonly folds?: number;
  readonly threshold?: number;
  readonly volume?: number;
}

export interface CrossValidation {
  readonly folds: number;
  readonly rocAuc: { readonly mean: number; readonly sd: number; readonly perFold: readonly number[] };
  readonly prAuc: { readonly mean: number; readonly sd: number; readonly perFold: readonly number[] };
  readonly logLoss: { readonly mean: number; readonly sd: number; readonly perFold: readonly number[] };
}

export interface TrainedChurn {
  readonly model: FittedChurnModel;
  readonly train: { readonly rows: number; readonly positives: number };
  readonly test: ChurnMetrics | null;
  readonly crossValidation: CrossValidation | null;
  /** Mean |contribution| per column, on the test rows (the training rows without a test set). */
  readonly importance: readonly ColumnImportance[];
  readonly testScores: {
    readonly ids: readonly string[];
    readonly probabilities: Float64Array;
    readonly labels: Uint8Array;
  } | null;
}

const countPositives = (labels: Uint8Array) => labels.reduce((a, b) => a + b, 0);

function summary(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd, perFold: values };
}

export function trainChurn(
  data: LabelledTable,
  ids: readonly string[],
  options: TrainChurnOptions = {},
): TrainedChurn {
  const kind = options.kind ?? 'logistic';
  const seed = options.seed ?? 42;
  const fit: ChurnFitOptions = {
    seed,
    classWeight: options.classWeight ?? null,
    ...(options.penalty ? { penalty: options.penalty } : {}),
    ...(options.C !== undefined ? { C: options.C } : {}),
    ...(options.l1Ratio !== undefined ? { l1Ratio: options.l1Ratio } : {}),
  };
  const n = ids.length;
  if (data.labels.length !== n) throw new Error('trainChurn: ids and rows differ in number');
  let trainRows: number[];
  let testRows: number[];
  if (options.testIds) {
    trainRows = [];
    testRows = [];
    for (let i = 0; i < n; i++) (options.testIds.has(ids[i]!) ? testRows : trainRows).push(i);
    if (testRows.length === 0) throw new UserError('none of the test ids is in the table');
  } else if ((options.testFraction ?? 0.3) > 0) {
    const split = stratifiedSplit(data.labels, { testFraction: options.testFraction ?? 0.3, seed });
    trainRows = Array.from(split.train);
    testRows = Array.from(split.test);
  } else {
    trainRows = Array.from({ length: n }, (_, i) => i);
    testRows = [];
  }
  const train = takeLabelledRows(data, trainRows);
  const positives = countPositives(train.labels);
  if (positives === 0 || positives === train.labels.length)
    throw new UserError('the training rows need both churners and non-churners');

  let crossValidation: CrossValidation | null = null;
  const k = options.folds ?? 0;
  if (k >= 2) {
    const auc: number[] = [];
    const ap: number[] = [];
    const ll: number[] = [];
    for (const fold of stratifiedKFold(train.labels, { folds: k, seed })) {
      const m = fitChurnModel(kind, takeLabelledRows(train, fold.train), fit);
      const held = takeLabelledRows(train, fold.test);
      const metrics = churnMetrics(m.predict(held.features), held.labels);
      auc.push(metrics.rocAuc);
      ap.push(metrics.prAuc);
      ll.push(metrics.logLoss);
    }
    crossValidation = { folds: k, rocAuc: summary(auc), prAuc: summary(ap), logLoss: summary(ll) };
  }

  const model = fitChurnModel(kind, train, fit);
  if (testRows.length === 0)
    return {
      model,
      train: { rows: train.labels.length, positives },
      test: null,
      crossValidation,
      importance: model.importance(train.features),
      testScores: null,
    };
  const test = takeLabelledRows(data, testRows);
  const probabilities = model.predict(test.features);
  return {
    model,
    train: { rows: train.labels.length, positives },
    test: churnMetrics(probabilities, test.labels, {
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      ...(options.volume !== undefined ? { volume: options.volume } : {}),
    }),
    crossValidation,
    importance: model.importance(test.features),
    testScores: { ids: testRows.map((i) => ids[i]!), probabilities, labels: test.labels },
  };
}
