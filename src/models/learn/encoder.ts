/**
 * The fitted preprocessing of the linear churn model: FeatureTable columns to a dense design matrix.
 *
 * - Numeric columns are standardised, z = (x - mean) / sd, with the mean and population sd (divisor n, as
 *   scikit-learn's StandardScaler) of the non-missing training values; a constant column keeps sd = 1 so
 *   that it encodes to 0 instead of dividing by zero.
 * - A missing numeric value is imputed at the training mean (z = 0). When the training rows had missing
 *   values in the column, a 0/1 missing-indicator feature follows it, so the model can learn that
 *   "missing" itself carries information (in the Telco data a blank TotalCharges means a brand-new
 *   customer). Without missing training values there is nothing to learn a weight from, so no indicator.
 * - Categorical columns are one-hot encoded over the training levels (optionally dropping the first
 *   level). A missing or unseen level at scoring encodes as all zeros: the model falls back to the
 *   intercept's baseline for that column rather than failing.
 * - A numeric column with no training values at all carries no information and is left out of the encoder.
 *
 * Scoring tables are matched to the encoder by column name and by level text, never by position or level
 * code, because a table built from other records has its own sorted level list.
 *
 * The encoder is a plain JSON-compatible object (JSON.stringify / JSON.parse round-trip it exactly).
 */
import type { FeatureTable } from './feature-table.js';

export interface EncodedNumeric {
  readonly kind: 'numeric';
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  /** Whether a missing-indicator feature follows the standardised value. */
  readonly indicator: boolean;
}

export interface EncodedCategorical {
  readonly kind: 'categorical';
  readonly name: string;
  /** Levels that get a one-hot feature, in feature order (the first training level is absent with dropFirst). */
  readonly levels: readonly string[];
  /** The training level without a feature (dropFirst), or null. */
  readonly droppedLevel: string | null;
}

export type EncodedColumn = EncodedNumeric | EncodedCategorical;

/** One column of the design matrix, named after its source column. */
export interface EncodedFeature {
  /** Source column name. */
  readonly column: string;
  readonly kind: 'value' | 'missing' | 'level';
  /** The level for a one-hot feature, else null. */
  readonly level: string | null;
}

export interface Encoder {
  readonly columns: readonly EncodedColumn[];
  readonly dropFirst: boolean;
}

export interface EncoderOptions {
  /** Drop the first (alphabetical) level of each categorical column. Default false, as scikit-learn's OneHotEncoder. */
  readonly dropFirst?: boolean;
}

/** A dense row-major design matrix. */
export interface DesignMatrix {
  readonly rows: number;
  readonly cols: number;
  /** data[i * cols + j] is feature j of row i. */
  readonly data: Float64Array;
}

/**
 * Learn the encoding from training features.
 *
 * @example
 * const enc = fitEncoder(train.features);
 * const x = encodeTable(enc, test.features); // x.cols === encodedFeatures(enc).length
 */
export function fitEncoder(table: FeatureTable, options: EncoderOptions = {}): Encoder {
  const dropFirst = options.dropFirst ?? false;
  const names = new Set<string>();
  const columns: EncodedColumn[] = [];
  for (const c of table.columns) {
    if (names.has(c.name)) throw new Error(`fitEncoder: duplicate column "${c.name}"`);
    names.add(c.name);
    if (c.kind === 'numeric') {
      let count = 0;
      let sum = 0;
      for (let i = 0; i < table.rows; i++) {
        const v = c.values[i]!;
        if (Number.isNaN(v)) continue;
        if (!Number.isFinite(v)) throw new RangeError(`fitEncoder: column "${c.name}" row ${i + 1} is ${v}`);
        count++;
        sum += v;
      }
      if (count === 0) continue; // no training values: nothing to learn from, and no mean to impute

      const mean = sum / count;
      // Two-pass variance: the one-pass formula loses everything to cancellation when |mean| >> sd.
      let ss = 0;
      for (let i = 0; i < table.rows; i++) {
        const v = c.values[i]!;
        if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
      }
      const sd = Math.sqrt(ss / count);
      // Relative threshold: a column that is constant up to rounding must not be blown up to unit variance.
      const constant = !(sd > 1e-12 * Math.max(1, Math.abs(mean)));
      columns.push({
        kind: 'numeric',
        name: c.name,
        mean,
        sd: constant ? 1 : sd,
        indicator: count < table.rows,
      });
    } else {
      const used = new Uint8Array(c.levels.length);
      for (let i = 0; i < table.rows; i++) {
        const code = c.codes[i]!;
        if (code >= 0) used[code] = 1;
      }
      // Only levels that occur in the training rows: a level with no rows would get a weight of exactly
      // zero under L2 and clutter the model.
      const present = c.levels.filter((_, k) => used[k] === 1);
      columns.push({
        kind: 'categorical',
        name: c.name,
        levels: dropFirst ? present.slice(1) : present,
        droppedLevel: dropFirst && present.length > 0 ? present[0]! : null,
      });
    }
  }
  return { columns, dropFirst };
}

/** Names of the design-matrix columns, in order. */
export function encodedFeatures(encoder: Encoder): EncodedFeature[] {
  const out: EncodedFeature[] = [];
  for (const c of encoder.columns) {
    if (c.kind === 'numeric') {
      out.push({ column: c.name, kind: 'value', level: null });
      if (c.indicator) out.push({ column: c.name, kind: 'missing', level: null });
    } else {
      for (const level of c.levels) out.push({ column: c.name, kind: 'level', level });
    }
  }
  return out;
}

/**
 * Encode a table with a fitted encoder. Every encoder column must be present in the table with the same
 * kind (extra table columns are ignored).
 */
export function encodeTable(encoder: Encoder, table: FeatureTable): DesignMatrix {
  const features = encodedFeatures(encoder);
  const cols = features.length;
  const n = table.rows;
  const data = new Float64Array(n * cols);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  let j = 0;
  for (const e of encoder.columns) {
    const c = byName.get(e.name);
    if (c === undefined) throw new RangeError(`encodeTable: column "${e.name}" is missing from the table`);
    if (c.kind !== e.kind) {
      throw new RangeError(`encodeTable: column "${e.name}" is ${c.kind} here but was ${e.kind} in training`);
    }
    if (e.kind === 'numeric' && c.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        const v = c.values[i]!;
        const missing = Number.isNaN(v);
        if (!missing && !Number.isFinite(v))
          throw new RangeError(`encodeTable: column "${e.name}" row ${i + 1} is ${v}`);
        data[i * cols + j] = missing ? 0 : (v - e.mean) / e.sd;
        if (e.indicator) data[i * cols + j + 1] = missing ? 1 : 0;
      }
      j += e.indicator ? 2 : 1;
    } else if (e.kind === 'categorical' && c.kind === 'categorical') {
      // Map this table's level codes to feature offsets by level text (-1: missing, unseen or dropped).
      const position = new Map(e.levels.map((l, k) => [l, k]));
      const offset = c.levels.map((l) => position.get(l) ?? -1);
      for (let i = 0; i < n; i++) {
        const code = c.codes[i]!;
        const k = code >= 0 ? offset[code]! : -1;
        if (k >= 0) data[i * cols + j + k] = 1;
      }
      j += e.levels.length;
    }
  }
  return { rows: n, cols, data };
}
