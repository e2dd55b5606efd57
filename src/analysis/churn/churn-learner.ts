/**
 * One face for the two churn learners (regularised logistic regression and gradient-boosted trees): fit,
 * predict, per-row reasons, global importance, JSON. Reasons are contributions to the log-odds of
 * churn (coefficient x standardised value for the linear model, exact TreeSHAP for the trees), so
 * the two models explain themselves in the same units.
 */
import { takeRows, type FeatureTable, type LabelledTable } from '../../models/learn/feature-table.js';
import {
  fitLogisticRegression,
  predictLogistic,
  type LogisticModel,
  type Penalty,
} from '../../models/learn/logistic-regression.js';
import { explainLogistic, logisticImportance } from '../../models/learn/logistic-explain.js';
import { logisticModelFromJson, logisticModelToJson } from '../../models/learn/logistic-json.js';
import {
  fitGbdt,
  gbdtFromJson,
  gbdtToJson,
  meanAbsShap,
  predictProbability,
  shapValues,
  type GbdtModel,
} from '../../models/learn/gbdt/index.js';

export const CHURN_MODEL_KINDS = ['logistic', 'gbdt'] as const;
export type ChurnModelKind = (typeof CHURN_MODEL_KINDS)[number];

/** One reason of one customer: a column, its value, and how much it adds to the log-odds of churn. */
export interface ChurnReason {
  readonly column: string;
  /** The customer's value as text ('' when missing). */
  readonly value: string;
  readonly contribution: number;
}

export interface ColumnImportance {
  readonly column: string;
  /** Mean |contribution| to the log-odds over the rows given. */
  readonly importance: number;
}

export interface FittedChurnModel {
  readonly kind: ChurnModelKind;
  /** Names of the columns the model reads (matched by name when scoring). */
  readonly columns: readonly string[];
  predict(table: FeatureTable): Float64Array;
  /** Per row, the `top` reasons pushing towards churn (positive contributions, largest first). */
  reasons(table: FeatureTable, top: number): ChurnReason[][];
  importance(table: FeatureTable): ColumnImportance[];
  toJson(): unknown;
}

export interface ChurnFitOptions {
  readonly seed?: number;
  /** 'balanced' weighs the classes equally (default: none). */
  readonly classWeight?: 'balanced' | null;
  /** Logistic model: the penalty (default l2), its inverse strength C (default 1) and the L1 share. */
  readonly penalty?: Penalty;
  readonly C?: number;
  readonly l1Ratio?: number;
}

function valueText(table: FeatureTable, column: string, row: number): string {
  const c = table.columns.find((x) => x.name === column);
  if (!c) return '';
  if (c.kind === 'numeric') {
    const v = c.values[row]!;
    return Number.isNaN(v) ? '' : String(Math.round(v * 1e6) / 1e6);
  }
  const code = c.codes[row]!;
  return code < 0 ? '' : c.levels[code]!;
}

/** Rows used for the trees' global importance (see gbdtLearner). */
export const IMPORTANCE_ROWS = 20_000;

/** `count` rows spread evenly over the table (deterministic: every (rows / count)-th row). */
function evenRows(table: FeatureTable, count: number): FeatureTable {
  const step = table.rows / count;
  const rows = Array.from({ length: count }, (_, i) => Math.floor(i * step));
  return takeRows(table, rows);
}

const byImportance = (a: ColumnImportance, b: ColumnImportance) =>
  b.importance - a.importance || (a.column < b.column ? -1 : 1);

function logisticLearner(model: LogisticModel): FittedChurnModel {
  return {
    kind: 'logistic',
    columns: model.encoder.columns.map((c) => c.name),
    predict: (t) => predictLogistic(model, t),
    reasons: (t, top) =>
      explainLogistic(model, t).map((row, i) =>
        row.contributions
          .filter((c) => c.contribution > 0)
          .slice(0, top)
          .map((c) => ({ column: c.column, value: valueText(t, c.column, i), contribution: c.contribution })),
      ),
    importance: (t) => logisticImportance(model, t).slice().sort(byImportance),
    toJson: () => JSON.parse(logisticModelToJson(model)) as unknown,
  };
}

function gbdtLearner(model: GbdtModel): FittedChurnModel {
  const names = model.binning.map((b) => b.name);
  return {
    kind: 'gbdt',
    columns: names,
    predict: (t) => predictProbability(model, t),
    reasons: (t, top) => {
      const s = shapValues(model, t);
      const m = s.features.length;
      const out: ChurnReason[][] = [];
      for (let row = 0; row < s.rows; row++) {
        const list: ChurnReason[] = [];
        for (let f = 0; f < m; f++) {
          const v = s.values[row * m + f]!;
          if (v > 0)
            list.push({ column: s.features[f]!, value: valueText(t, s.features[f]!, row), contribution: v });
        }
        list.sort((a, b) => b.contribution - a.contribution || (a.column < b.column ? -1 : 1));
        out.push(list.slice(0, top));
      }
      return out;
    },
    importance: (t) => {
      // mean |SHAP| over at most IMPORTANCE_ROWS evenly spaced rows: exact SHAP costs microseconds per
      // row and tree, and the mean is already precise to well under a percent there
      const v = meanAbsShap(model, t.rows > IMPORTANCE_ROWS ? evenRows(t, IMPORTANCE_ROWS) : t);
      return names.map((column, j) => ({ column, importance: v[j]! })).sort(byImportance);
    },
    toJson: () => gbdtToJson(model),
  };
}

/** Fit a churn model of the given kind on labelled rows. */
export function fitChurnModel(
  kind: ChurnModelKind,
  train: LabelledTable,
  options: ChurnFitOptions = {},
): FittedChurnModel {
  const classWeight = options.classWeight ?? undefined;
  if (kind === 'logistic')
    return logisticLearner(
      fitLogisticRegression(train, {
        ...(classWeight ? { classWeight } : {}),
        ...(options.penalty ? { penalty: options.penalty } : {}),
        ...(options.C !== undefined ? { C: options.C } : {}),
        ...(options.l1Ratio !== undefined ? { l1Ratio: options.l1Ratio } : {}),
      }),
    );
  return gbdtLearner(fitGbdt(train, { seed: options.seed ?? 0, ...(classWeight ? { classWeight } : {}) }));
}

/** A fitted model back from its JSON (as written by `toJson`). */
export function churnModelFromJson(kind: ChurnModelKind, json: unknown): FittedChurnModel {
  return kind === 'logistic' ? logisticLearner(logisticModelFromJson(json)) : gbdtLearner(gbdtFromJson(json));
}
