/**
 * The CLV histogram's shape, shared by the engines: equal-width bins from the lowest CLV to the 99th
 * percentile (quantile_cont: interpolated), then one bin for the top 1 % when it lies above. The engines
 * count the customers per bin index `least(floor((clv - lo) / width), bins)` (0 when width is 0) and this
 * turns those counts into the bins, so that both return the same histogram.
 */
import type { ClvHistogramBin, ClvPredictionBatch } from './clv-prediction-types.js';
import { UserError } from '../util/errors.js';

export function checkClvBins(bins: number): void {
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= 200))
    throw new UserError('--bins must be a whole number from 1 to 200');
}

/** The width of the bins below the 99th percentile `hi` (0: every value in one bin). */
export const clvBinWidth = (lo: number, hi: number, bins: number): number => (hi > lo ? (hi - lo) / bins : 0);

/**
 * The 99th percentile as DuckDB's quantile_cont computes it, from the sorted values around the position
 * (n - 1) q: `at(i)` is the i-th smallest (0-based).
 */
export function interpolatedQuantile(n: number, q: number, at: (i: number) => number): number {
  const rn = (n - 1) * q;
  const lo = Math.floor(rn);
  const hi = Math.ceil(rn);
  if (lo === hi) return at(lo);
  const a = at(lo);
  return a + (rn - lo) * (at(hi) - a);
}

/** The positions `interpolatedQuantile` reads. */
export function quantilePositions(n: number, q: number): [number, number] {
  const rn = (n - 1) * q;
  return [Math.floor(rn), Math.ceil(rn)];
}

/** The bins from the per-index counts (see the module comment). */
export function clvHistogramBins(
  lo: number,
  hi: number,
  top: number,
  bins: number,
  counted: ReadonlyMap<number, { readonly customers: number; readonly clv: number }>,
): ClvHistogramBin[] {
  const width = clvBinWidth(lo, hi, bins);
  const last = width === 0 ? 0 : top > hi ? bins : bins - 1;
  return Array.from({ length: last + 1 }, (_, b) => {
    const r = counted.get(b);
    // the bin at `bins - 1` also takes the values equal to the 99th percentile
    const inLast = width > 0 && b === bins - 1 && last === bins - 1 ? counted.get(bins) : undefined;
    return {
      from: width === 0 ? lo : lo + b * width,
      to: width === 0 ? top : b >= bins ? top : lo + (b + 1) * width,
      customers: (r?.customers ?? 0) + (inLast?.customers ?? 0),
      clv: (r?.clv ?? 0) + (inLast?.clv ?? 0),
    };
  });
}

/**
 * The batch's customers and its numeric columns (x, t_x, T, P(alive), transactions, spend, CLV), checked
 * to be of one length.
 */
export function clvBatchColumns(batch: ClvPredictionBatch): { n: number; columns: Float64Array[] } {
  const n = batch.customerIds.length;
  const columns = [
    batch.x,
    batch.tx,
    batch.T,
    batch.probabilityAlive,
    batch.expectedTransactions,
    batch.expectedSpend,
    batch.clv,
  ];
  if (columns.some((c) => c.length !== n)) throw new Error('saveClvPredictions: columns differ in length');
  return { n, columns };
}
