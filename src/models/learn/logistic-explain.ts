/**
 * Why the logistic model scores a customer as it does: the logit is the intercept plus one additive term
 * per encoded feature, b_j · z_ij, in the standardised space the model was fitted in. Grouping the terms by
 * source column gives one contribution per original column (for a one-hot column only the customer's own
 * level is non-zero; for a numeric column with a missing-indicator, the indicator's term when the value is
 * missing), so an explanation reads "Contract = Month-to-month: +0.64 log-odds".
 *
 * Pitfall: a contribution is relative to the encoding's baseline, i.e. the training mean for numeric
 * columns and "no level" for a full one-hot encoding (the dropped level with dropFirst), so its sign says
 * "above / below the average customer" only for numeric columns. Ranking by |contribution| is still
 * meaningful because every numeric column is on the same (standard-deviation) scale.
 */
import { encodeTable, type EncodedColumn } from './encoder.js';
import type { FeatureTable } from './feature-table.js';
import { logistic } from './logistic-loss.js';
import type { LogisticModel } from './logistic-regression.js';

export interface ColumnContribution {
  /** Original column name. */
  readonly column: string;
  /** The row's level text for a categorical column (null when missing); null for numeric columns. */
  readonly level: string | null;
  /** Whether the row's value is missing. */
  readonly missing: boolean;
  /** The standardised value z for a numeric column (0 when missing), 1 / 0 for a level with / without a feature. */
  readonly value: number;
  /** Additive term of the logit (log-odds of churn). */
  readonly contribution: number;
}

export interface RowExplanation {
  readonly logit: number;
  readonly probability: number;
  readonly intercept: number;
  /** Sorted by |contribution|, largest first (ties in column order). */
  readonly contributions: readonly ColumnContribution[];
}

export interface ColumnImportance {
  readonly column: string;
  /** Mean |contribution| over the rows. */
  readonly importance: number;
}

/** Offset of each encoder column's first feature in the design matrix. */
function featureOffsets(columns: readonly EncodedColumn[]): number[] {
  const offsets: number[] = [];
  let j = 0;
  for (const c of columns) {
    offsets.push(j);
    j += c.kind === 'numeric' ? (c.indicator ? 2 : 1) : c.levels.length;
  }
  return offsets;
}

/** Per row and encoder column: the summed contribution (row-major, rows × columns). */
function columnContributions(model: LogisticModel, features: FeatureTable): Float64Array {
  const x = encodeTable(model.encoder, features);
  const cols = model.encoder.columns;
  const offsets = featureOffsets(cols);
  const out = new Float64Array(x.rows * cols.length);
  for (let i = 0; i < x.rows; i++) {
    for (let c = 0; c < cols.length; c++) {
      const e = cols[c]!;
      const width = e.kind === 'numeric' ? (e.indicator ? 2 : 1) : e.levels.length;
      let s = 0;
      for (let k = 0; k < width; k++) {
        const j = offsets[c]! + k;
        s += model.coefficients[j]! * x.data[i * x.cols + j]!;
      }
      out[i * cols.length + c] = s;
    }
  }
  return out;
}

/**
 * Explain each row: its logit, probability and per-column contributions, largest first.
 *
 * @example
 * explainLogistic(model, test.features, { top: 3 })[0].contributions
 * // [{ column: 'Contract', level: 'Month-to-month', contribution: 0.64, ... }, { column: 'tenure', ... }, ...]
 */
export function explainLogistic(
  model: LogisticModel,
  features: FeatureTable,
  options: { readonly top?: number } = {},
): RowExplanation[] {
  const top = options.top ?? Infinity;
  if (!(top >= 0)) throw new RangeError('explainLogistic: top must be non-negative');
  const cols = model.encoder.columns;
  const contrib = columnContributions(model, features);
  const byName = new Map(features.columns.map((c) => [c.name, c]));
  const x = encodeTable(model.encoder, features);
  const offsets = featureOffsets(cols);
  const out: RowExplanation[] = [];
  for (let i = 0; i < features.rows; i++) {
    const items: ColumnContribution[] = [];
    let logit = model.intercept;
    for (let c = 0; c < cols.length; c++) {
      const e = cols[c]!;
      const source = byName.get(e.name)!; // encodeTable has checked presence and kind
      const contribution = contrib[i * cols.length + c]!;
      logit += contribution;
      if (source.kind === 'numeric') {
        const missing = Number.isNaN(source.values[i]!);
        items.push({
          column: e.name,
          level: null,
          missing,
          value: x.data[i * x.cols + offsets[c]!]!,
          contribution,
        });
      } else {
        const code = source.codes[i]!;
        const level = code >= 0 ? source.levels[code]! : null;
        const value = level !== null && e.kind === 'categorical' && e.levels.includes(level) ? 1 : 0;
        items.push({ column: e.name, level, missing: level === null, value, contribution });
      }
    }
    // Stable sort: equal magnitudes keep the column order, so explanations are reproducible.
    const ranked = items
      .map((item, k) => ({ item, k }))
      .sort((a, b) => Math.abs(b.item.contribution) - Math.abs(a.item.contribution) || a.k - b.k)
      .slice(0, top)
      .map((r) => r.item);
    out.push({ logit, probability: logistic(logit), intercept: model.intercept, contributions: ranked });
  }
  return out;
}

/**
 * Global importance: the mean |contribution| of each original column over the given rows (usually the
 * training or a validation set), largest first.
 *
 * @example logisticImportance(model, train.features)[0] // { column: 'tenure', importance: 1.1 }
 */
export function logisticImportance(model: LogisticModel, features: FeatureTable): ColumnImportance[] {
  if (features.rows === 0) throw new RangeError('logisticImportance: no rows');
  const cols = model.encoder.columns;
  const contrib = columnContributions(model, features);
  const sums = new Float64Array(cols.length);
  for (let i = 0; i < features.rows; i++) {
    for (let c = 0; c < cols.length; c++) sums[c]! += Math.abs(contrib[i * cols.length + c]!);
  }
  return cols
    .map((e, c) => ({ column: e.name, importance: sums[c]! / features.rows, c }))
    .sort((a, b) => b.importance - a.importance || a.c - b.c)
    .map(({ column, importance }) => ({ column, importance }));
}
