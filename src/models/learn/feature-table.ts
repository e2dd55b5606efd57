/**
 * The columnar table every learner in this folder trains on. Numeric columns keep NaN for a missing
 * value; categorical columns hold level codes (-1 for missing) into a sorted list of levels, so the same
 * text always gets the same code whatever the row order. Learners never see customer ids or labels here.
 */

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  /** NaN marks a missing value. */
  readonly values: Float64Array;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  /** Distinct non-missing values, sorted (code i is levels[i]). */
  readonly levels: readonly string[];
  /** Level code per row; -1 marks a missing value. */
  readonly codes: Int32Array;
}

export type FeatureColumn = NumericColumn | CategoricalColumn;

export interface FeatureTable {
  readonly rows: number;
  readonly columns: readonly FeatureColumn[];
}

/** Features with a binary label (1 = churned / positive class). */
export interface LabelledTable {
  readonly features: FeatureTable;
  readonly labels: Uint8Array;
}

/** The rows of a table at the given indices, in that order. */
export function takeRows(table: FeatureTable, indices: ArrayLike<number>): FeatureTable {
  const n = indices.length;
  const columns = table.columns.map((c): FeatureColumn => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = c.values[indices[i]!]!;
      return { kind: 'numeric', name: c.name, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = c.codes[indices[i]!]!;
    return { kind: 'categorical', name: c.name, levels: c.levels, codes };
  });
  return { rows: n, columns };
}

/** Labelled rows at the given indices. */
export function takeLabelledRows(table: LabelledTable, indices: ArrayLike<number>): LabelledTable {
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) labels[i] = table.labels[indices[i]!]!;
  return { features: takeRows(table.features, indices), labels };
}
