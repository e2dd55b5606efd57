/**
 * Feature binning for the histogram gradient-boosted trees: every feature becomes small integer bins
 * (one Uint8Array per feature), so split finding scans at most 256 histogram cells instead of sorting
 * raw values at every node (the histogram method of LightGBM, Ke et al. 2017, and of scikit-learn's
 * HistGradientBoostingClassifier).
 *
 * - Numeric: up to `maxBins` (<= 255) quantile bins, cut at midpoints between distinct values of a seeded
 *   subsample of the training rows; bin b holds x with thresholds[b-1] < x <= thresholds[b].
 * - Categorical: one bin per level seen in training (the `maxBins` most frequent if there are more; the
 *   rarer ones are then treated as missing), in sorted level order.
 * - Missing (NaN, code -1), and at scoring time any category the training data did not have, go to a
 *   dedicated last bin, so every split can learn a direction for them.
 *
 * The thresholds and levels are part of the model, so a new raw table is re-binned exactly as the
 * training table was.
 */
import type { FeatureTable } from '../feature-table.js';
import { Random } from '../../random.js';

export interface NumericBinning {
  readonly kind: 'numeric';
  readonly name: string;
  /** Increasing upper bin edges; non-missing bins = thresholds.length + 1, missing bin after them. */
  readonly thresholds: Float64Array;
}

export interface CategoricalBinning {
  readonly kind: 'categorical';
  readonly name: string;
  /** Sorted levels; bin i is levels[i], the missing bin is levels.length. */
  readonly levels: readonly string[];
}

export type FeatureBinning = NumericBinning | CategoricalBinning;

/** A binned table: one Uint8Array of bin indices per feature, in the order of the binnings. */
export interface BinnedTable {
  readonly rows: number;
  readonly bins: readonly Uint8Array[];
}

/** Largest number of non-missing bins: bins are Uint8 and the last value is kept for missing. */
export const MAX_BINS = 255;

/** Non-missing bins of a feature; its missing bin has this index. */
export function missingBin(b: FeatureBinning): number {
  return b.kind === 'numeric' ? b.thresholds.length + 1 : b.levels.length;
}

/**
 * Fit the binning of every column on the given training rows.
 *
 * Pitfall: quantiles are taken over distinct values with their counts, so a heavily repeated value never
 * straddles a cut (all its rows share one bin) and cuts are never duplicated.
 *
 * @example fitBinning(table, trainRows, { maxBins: 255, subsample: 200_000, seed: 0 })
 */
export function fitBinning(
  table: FeatureTable,
  rows: ArrayLike<number>,
  options: { readonly maxBins: number; readonly subsample: number; readonly seed: number },
): FeatureBinning[] {
  const { maxBins, subsample } = options;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS)
    throw new RangeError(`maxBins must be an integer in [2, ${MAX_BINS}], got ${maxBins}`);
  // Quantiles from a seeded subsample (as scikit-learn does): bins need not be exact, and sorting a
  // million values per feature would dominate the fit on wide tables.
  let sample: ArrayLike<number> = rows;
  if (rows.length > subsample) {
    const picked = Uint32Array.from(rows);
    const rng = new Random(options.seed);
    for (let i = 0; i < subsample; i++) {
      const j = i + Math.floor(rng.uniform() * (picked.length - i));
      const t = picked[i]!;
      picked[i] = picked[j]!;
      picked[j] = t;
    }
    sample = picked.subarray(0, subsample).sort();
  }
  return table.columns.map((c): FeatureBinning => {
    if (c.kind === 'numeric') {
      const values = new Float64Array(sample.length);
      let m = 0;
      for (let i = 0; i < sample.length; i++) {
        const v = c.values[sample[i]!]!;
        if (!Number.isNaN(v)) values[m++] = v;
      }
      return {
        kind: 'numeric',
        name: c.name,
        thresholds: quantileThresholds(values.subarray(0, m), maxBins),
      };
    }
    const counts = new Float64Array(c.levels.length);
    for (let i = 0; i < rows.length; i++) {
      const code = c.codes[rows[i]!]!;
      if (code >= 0) counts[code]!++;
    }
    let kept = c.levels.map((_, i) => i).filter((i) => counts[i]! > 0);
    if (kept.length > maxBins) {
      kept = kept
        .sort((a, b) => counts[b]! - counts[a]! || a - b)
        .slice(0, maxBins)
        .sort((a, b) => a - b);
    }
    return { kind: 'categorical', name: c.name, levels: kept.map((i) => c.levels[i]!) };
  });
}

/** Upper bin edges for at most maxBins bins of the given (non-missing) values. */
function quantileThresholds(values: Float64Array, maxBins: number): Float64Array {
  values.sort(); // typed-array sort is numeric (and far faster than a comparator on a plain array)
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of values) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) cuts.push(midpoint(distinct[i]!, distinct[i + 1]!));
    return Float64Array.from(cuts);
  }
  // Cut after a distinct value once the running count passes the next multiple of total / maxBins.
  const total = values.length;
  let cumulative = 0;
  let next = 1;
  for (let i = 0; i + 1 < distinct.length && cuts.length < maxBins - 1; i++) {
    cumulative += counts[i]!;
    if (cumulative * maxBins >= next * total) {
      cuts.push(midpoint(distinct[i]!, distinct[i + 1]!));
      next = Math.floor((cumulative * maxBins) / total) + 1;
    }
  }
  return Float64Array.from(cuts);
}

/**
 * A cut between consecutive distinct values a < b with a <= cut < b. Pitfall: (a + b) / 2 can round up
 * to b for adjacent doubles, and is infinite when b is +Infinity or a is -Infinity.
 */
function midpoint(a: number, b: number): number {
  if (a === -Infinity) return -Number.MAX_VALUE;
  const m = a + (b - a) / 2;
  return Number.isFinite(m) && m < b ? m : a;
}

/** Bin of a numeric value: the first b with x <= thresholds[b] (binary search); NaN to the missing bin. */
export function numericBin(thresholds: Float64Array, x: number): number {
  if (Number.isNaN(x)) return thresholds.length + 1;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= thresholds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Bin the given rows (all rows by default) of a raw table with fitted binnings. Columns are matched by
 * name, so the table may hold extra columns or a different order; its categorical levels are matched by
 * text, so a table with different level lists (another extract) bins the same way. Unseen levels and
 * missing values go to the missing bin.
 *
 * @example const binned = binTable(model.binning, newCustomers)
 */
export function binTable(
  binning: readonly FeatureBinning[],
  table: FeatureTable,
  rows?: ArrayLike<number>,
): BinnedTable {
  const n = rows ? rows.length : table.rows;
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const bins = binning.map((b) => {
    const c = byName.get(b.name);
    if (!c) throw new Error(`column '${b.name}' the model was trained on is not in the table`);
    if (c.kind !== b.kind) throw new Error(`column '${b.name}' is ${c.kind} here but ${b.kind} in the model`);
    const out = new Uint8Array(n);
    if (c.kind === 'numeric' && b.kind === 'numeric') {
      const values = rows ? gather(c.values, rows) : c.values;
      binNumeric(b.thresholds, values, out);
    } else if (c.kind === 'categorical' && b.kind === 'categorical') {
      const missing = b.levels.length;
      const index = new Map(b.levels.map((level, i) => [level, i]));
      const codeToBin = Int32Array.from(c.levels, (level) => index.get(level) ?? missing);
      for (let i = 0; i < n; i++) {
        const code = c.codes[rows ? rows[i]! : i]!;
        out[i] = code >= 0 && code < codeToBin.length ? codeToBin[code]! : missing;
      }
    }
    return out;
  });
  return { rows: n, bins };
}

function gather(values: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/**
 * numericBin over a column, as a branch-free search: the thresholds are padded with +Infinity to 255
 * entries and eight fixed halvings pick the bin, each adding a comparison result instead of branching
 * on it (binary search mispredicts about every other branch on real data; this is 4x faster).
 */
function binNumeric(thresholds: Float64Array, values: Float64Array, out: Uint8Array): void {
  const nt = thresholds.length;
  const t = new Float64Array(256).fill(Infinity);
  t.set(thresholds);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      out[i] = nt + 1; // NaN: missing bin
      continue;
    }
    let lo = +(x > t[127]!) << 7;
    lo += +(x > t[lo + 63]!) << 6;
    lo += +(x > t[lo + 31]!) << 5;
    lo += +(x > t[lo + 15]!) << 4;
    lo += +(x > t[lo + 7]!) << 3;
    lo += +(x > t[lo + 3]!) << 2;
    lo += +(x > t[lo + 1]!) << 1;
    lo += +(x > t[lo]!);
    out[i] = lo;
  }
}
