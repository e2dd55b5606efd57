/**
 * Sufficient statistics for the buy-till-you-die models: per customer (x, t_x, T) — repeat transactions,
 * time of the last repeat transaction, age (all in the model's time unit, measured from the first
 * transaction) — and optionally the mean repeat spend. Likelihoods take the compressed form: each distinct
 * row once with a weight (the number of customers who share it), as in Fader, Hardie & Lee's spreadsheet
 * note ("Implementing the BG/NBD model in Excel", 2005) and BTYD's `compress.cbs`.
 */
import { UserError } from '../util/errors.js';

/** Rows of sufficient statistics with weights (a compressed table, or raw rows with weight 1). */
export interface RfmRows {
  /** Number of repeat transactions. */
  readonly x: Float64Array;
  /** Time of the last repeat transaction (0 when x = 0). */
  readonly t_x: Float64Array;
  /** Time between the first transaction and the end of the calibration period. */
  readonly T: Float64Array;
  /** Number of customers the row stands for. */
  readonly weight: Float64Array;
  /** Mean repeat-transaction value, when given to compressRfm. */
  readonly monetary?: Float64Array;
}

export interface CompressedRfm extends RfmRows {
  /** For each input row (customer) i, the index of its compressed row. */
  readonly rowOf: Uint32Array;
  /** Number of input rows (customers), the sum of the weights. */
  readonly customers: number;
}

/** Input that does not satisfy 0 <= t_x <= T, x >= 0, all finite. */
export class InvalidSummaryError extends UserError {}

function check(i: number, x: number, tx: number, T: number, m: number | undefined): void {
  const problem = !(Number.isFinite(x) && Number.isFinite(tx) && Number.isFinite(T))
    ? 'non-finite value'
    : x < 0
      ? 'negative x'
      : tx < 0
        ? 'negative t_x'
        : tx > T
          ? 't_x greater than T'
          : T <= 0
            ? 'T not positive'
            : x === 0 && tx !== 0
              ? 't_x must be 0 when x = 0'
              : m !== undefined && !Number.isFinite(m)
                ? 'non-finite monetary value'
                : null;
  if (problem !== null) {
    throw new InvalidSummaryError(
      `customer summary row ${i}: ${problem} (x=${x}, t_x=${tx}, T=${T}${m === undefined ? '' : `, monetary=${m}`})`,
    );
  }
}

/**
 * Compress per-customer (x, t_x, T[, monetary]) into distinct rows with weights (first-appearance order).
 * Rows are identical when all given columns are identical (so with monetary values the compression is
 * weaker; Gamma-Gamma uses compressSpend instead). Throws InvalidSummaryError on impossible rows.
 *
 * @example
 * const c = compressRfm([0, 2, 0], [0, 30.43, 0], [38.86, 38.86, 38.86]);
 * // c.x = [0, 2], c.weight = [2, 1], c.rowOf = [0, 1, 0]
 */
export function compressRfm(
  x: ArrayLike<number>,
  t_x: ArrayLike<number>,
  T: ArrayLike<number>,
  monetary?: ArrayLike<number>,
): CompressedRfm {
  const n = x.length;
  if (t_x.length !== n || T.length !== n || (monetary !== undefined && monetary.length !== n)) {
    throw new InvalidSummaryError('customer summary columns have different lengths');
  }
  const index = new Map<string, number>();
  const rowOf = new Uint32Array(n);
  const ox: number[] = [];
  const otx: number[] = [];
  const oT: number[] = [];
  const om: number[] = [];
  const ow: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const txi = t_x[i]!;
    const Ti = T[i]!;
    const mi = monetary === undefined ? undefined : monetary[i]!;
    check(i, xi, txi, Ti, mi);
    // Number keys print exactly (shortest round-trip form), so equal doubles give equal keys.
    const key = mi === undefined ? `${xi},${txi},${Ti}` : `${xi},${txi},${Ti},${mi}`;
    let k = index.get(key);
    if (k === undefined) {
      k = ox.length;
      index.set(key, k);
      ox.push(xi);
      otx.push(txi);
      oT.push(Ti);
      if (mi !== undefined) om.push(mi);
      ow.push(0);
    }
    ow[k]!++;
    rowOf[i] = k;
  }
  return {
    x: Float64Array.from(ox),
    t_x: Float64Array.from(otx),
    T: Float64Array.from(oT),
    weight: Float64Array.from(ow),
    ...(monetary === undefined ? {} : { monetary: Float64Array.from(om) }),
    rowOf,
    customers: n,
  };
}

/**
 * Raw rows with weight 1 (no compression), e.g. to check that compression does not change a fit.
 *
 * @example uncompressedRfm([0, 2], [0, 30.43], [38.86, 38.86]).weight // [1, 1]
 */
export function uncompressedRfm(x: ArrayLike<number>, t_x: ArrayLike<number>, T: ArrayLike<number>): RfmRows {
  const n = x.length;
  for (let i = 0; i < n; i++) check(i, x[i]!, t_x[i]!, T[i]!, undefined);
  return {
    x: Float64Array.from(x),
    t_x: Float64Array.from(t_x),
    T: Float64Array.from(T),
    weight: new Float64Array(n).fill(1),
  };
}

/** Repeat buyers' spend rows for Gamma-Gamma: distinct (x, mean spend) pairs with weights, x > 0 only. */
export interface SpendRows {
  /** Number of repeat transactions (> 0). */
  readonly x: Float64Array;
  /** Mean value of the repeat transactions (> 0). */
  readonly zbar: Float64Array;
  readonly weight: Float64Array;
}

/**
 * Keep customers with x > 0 and compress identical (x, zbar) pairs. Throws InvalidSummaryError for a
 * repeat buyer with a non-positive or non-finite mean spend (Gamma-Gamma needs zbar > 0).
 *
 * @example compressSpend([2, 0, 2], [22.35, 0, 22.35]) // x = [2], zbar = [22.35], weight = [2]
 */
export function compressSpend(x: ArrayLike<number>, zbar: ArrayLike<number>): SpendRows {
  if (x.length !== zbar.length) throw new InvalidSummaryError('spend columns have different lengths');
  const index = new Map<string, number>();
  const ox: number[] = [];
  const oz: number[] = [];
  const ow: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const zi = zbar[i]!;
    if (!(xi > 0)) continue;
    if (!(zi > 0) || !Number.isFinite(zi) || !Number.isFinite(xi)) {
      throw new InvalidSummaryError(
        `spend row ${i}: mean spend must be positive for a repeat buyer (x=${xi}, zbar=${zi})`,
      );
    }
    const key = `${xi},${zi}`;
    let k = index.get(key);
    if (k === undefined) {
      k = ox.length;
      index.set(key, k);
      ox.push(xi);
      oz.push(zi);
      ow.push(0);
    }
    ow[k]!++;
  }
  return { x: Float64Array.from(ox), zbar: Float64Array.from(oz), weight: Float64Array.from(ow) };
}
