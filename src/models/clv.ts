/**
 * Discounted customer lifetime value from a transaction model (BG/NBD, MBG/NBD, Pareto/NBD: anything that
 * gives the conditional expected number of transactions in (T, T+t]) and a spend model (Gamma-Gamma):
 *
 *   CLV = margin · E[M] · Σ_{k=1..K} (E[X(kL)] - E[X((k-1)L)]) / (1 + d)^k
 *
 * with L the period length in the model's time unit, K the number of periods, and d the per-period
 * discount rate derived from the yearly rate D: d = (1 + D)^(1 / periodsPerYear) - 1, so twelve monthly
 * factors compound to exactly 1/(1 + D).
 *
 * Convention: discrete periodic discounting at the END of each period — the transactions expected during
 * period k are discounted by k full periods — as in lifetimes' `customer_lifetime_value` (which uses
 * monthly periods of 30 days with a monthly rate) and Fader, Hardie & Lee (2005, "RFM and CLV", eq. 2
 * in its discrete form). Expected spend per transaction is assumed independent of the number of
 * transactions (the Gamma-Gamma assumption).
 */
import { distinctRows, type RfmRows } from './summary-stats.js';

export interface DiscountOptions {
  /** Number of periods K to sum over (the horizon is K · periodLength model time units). */
  readonly periods: number;
  /** Length of one period in the model's time unit (e.g. 52/12 weeks per month); default 1. */
  readonly periodLength?: number;
  /** How many periods make a year (12 for months, 52 for weeks...), to convert the yearly rate. */
  readonly periodsPerYear: number;
  /** Yearly discount rate D, e.g. 0.1 for 10 % a year; 0 for no discounting. */
  readonly annualDiscountRate: number;
  /** Profit margin applied to spend (0..1, default 1 = revenue). */
  readonly margin?: number;
}

/** Conditional expected transactions in (T, T+t] for a customer with history (x, t_x, T). */
export type ConditionalExpected = (t: number, x: number, t_x: number, T: number) => number;

/**
 * Per-period discount rate from a yearly one: (1 + D)^(1/periodsPerYear) - 1 (computed with expm1/log1p,
 * exact for small rates).
 *
 * @example periodDiscountRate(0.1, 12) // 0.007974140428903764 (monthly)
 */
export function periodDiscountRate(annualRate: number, periodsPerYear: number): number {
  if (!(annualRate > -1) || !(periodsPerYear > 0)) {
    throw new RangeError(`invalid discount: rate ${annualRate}, ${periodsPerYear} periods per year`);
  }
  return Math.expm1(Math.log1p(annualRate) / periodsPerYear);
}

/**
 * Σ_{k=1..K} (C(kL) - C((k-1)L)) / (1 + d)^k for a cumulative expected-transactions curve C (C(0) = 0):
 * the discounted expected number of transactions (end-of-period discounting).
 *
 * @example discountedTransactions((t) => 0.5 * t, { periods: 2, periodsPerYear: 1, annualDiscountRate: 0.1 })
 * // 0.5/1.1 + 0.5/1.21 = 0.8677685950413223
 */
export function discountedTransactions(cumulative: (t: number) => number, options: DiscountOptions): number {
  const K = options.periods;
  const L = options.periodLength ?? 1;
  if (!(Number.isInteger(K) && K >= 0) || !(L > 0)) {
    throw new RangeError(`invalid horizon: ${K} periods of length ${L}`);
  }
  const lnFactor = Math.log1p(options.annualDiscountRate) / options.periodsPerYear; // ln(1 + d)
  periodDiscountRate(options.annualDiscountRate, options.periodsPerYear); // validates
  let previous = 0;
  let total = 0;
  for (let k = 1; k <= K; k++) {
    const current = cumulative(k * L);
    total += (current - previous) * Math.exp(-k * lnFactor);
    previous = current;
  }
  return total;
}

/**
 * Discounted CLV of one customer: margin · expectedSpend · discountedTransactions.
 *
 * @example
 * customerLifetimeValue((t) => bgNbdConditionalExpected(params, t, 2, 30.43, 38.86), 24.65,
 *   { periods: 12, periodLength: 52 / 12, periodsPerYear: 12, annualDiscountRate: 0.1, margin: 0.3 })
 * // ≈ 10.99 with the CDNOW BG/NBD fit (one year of monthly periods, 10 % a year, 30 % margin)
 */
export function customerLifetimeValue(
  cumulative: (t: number) => number,
  expectedSpend: number,
  options: DiscountOptions,
): number {
  return (options.margin ?? 1) * expectedSpend * discountedTransactions(cumulative, options);
}

/**
 * Discounted CLV for every row of a (compressed) summary: `spend[i]` is the expected spend per
 * transaction of row i (e.g. gammaGammaExpectedSpend(x, zbar)); `model` the transaction model's
 * conditional expectation with its parameters bound. Rows with zero weight are skipped (0).
 *
 * @example
 * const clv = customerLifetimeValues((t, x, tx, T) => bgNbdConditionalExpected(fit.params, t, x, tx, T),
 *   rows, spend, { periods: 12, periodLength: 52 / 12, periodsPerYear: 12, annualDiscountRate: 0.1 });
 */
export function customerLifetimeValues(
  model: ConditionalExpected,
  rows: RfmRows,
  spend: ArrayLike<number>,
  options: DiscountOptions,
): Float64Array {
  const n = rows.x.length;
  if (spend.length !== n) throw new RangeError('spend must have one value per row');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (rows.weight[i] === 0) continue;
    const x = rows.x[i]!;
    const tx = rows.t_x[i]!;
    const T = rows.T[i]!;
    out[i] = customerLifetimeValue((t) => model(t, x, tx, T), spend[i]!, options);
  }
  return out;
}

/**
 * A transaction model's conditional expectation in factored form: E[Y(t) | x, t_x, T] =
 * P(alive at T | x, t_x, T) · E[Y(t) | alive at T, x, T]. Every buy-till-you-die model (BG/NBD, MBG/NBD,
 * Pareto/NBD) factors so, because a customer alive at T has a future that depends on the history only
 * through x and T (the posterior of the rates).
 */
export interface FactoredConditionalExpected {
  /** P(alive at T | x, t_x, T). */
  readonly probabilityAlive: (x: number, t_x: number, T: number) => number;
  /** Expected transactions in (T, T+t] of a customer alive at T with x repeat transactions. */
  readonly aliveExpected: (t: number, x: number, T: number) => number;
  /**
   * Optional: aliveExpected at every horizon of `times` at once, into `out` (same length), for models
   * that can share work across horizons; the values must agree with aliveExpected's to rounding.
   */
  readonly aliveExpectedAt?: (times: Float64Array, x: number, T: number, out: Float64Array) => void;
}

/**
 * Discounted expected transactions (as discountedTransactions) for every row of a (compressed) summary:
 * P(alive) of the row times the discounted sum of E[Y | alive], which is computed once per distinct
 * (x, T) (a million customers have about 1e4 distinct pairs, against 3e5 distinct (x, t_x, T) rows).
 * Equal to discountedTransactions of the unfactored expectation up to rounding. `probabilityAlive`
 * (optional, per row) reuses P(alive) already computed, e.g. bgNbdPredict's.
 *
 * @example
 * const dt = discountedTransactionsPerRow(bgNbdFactoredExpected(fit.params), rows,
 *   { periods: 52, periodsPerYear: 52, annualDiscountRate: 0.1 });
 * const clvOfCustomer = (i) => spend[i] * dt[rows.rowOf[i]];
 */
export function discountedTransactionsPerRow(
  model: FactoredConditionalExpected,
  rows: RfmRows,
  options: DiscountOptions,
  probabilityAlive?: ArrayLike<number>,
): Float64Array {
  const K = options.periods;
  const L = options.periodLength ?? 1;
  if (!(Number.isInteger(K) && K >= 0) || !(L > 0)) {
    throw new RangeError(`invalid horizon: ${K} periods of length ${L}`);
  }
  periodDiscountRate(options.annualDiscountRate, options.periodsPerYear); // validates
  const lnFactor = Math.log1p(options.annualDiscountRate) / options.periodsPerYear; // ln(1 + d)
  // The horizons and factors of discountedTransactions, computed the same way, once.
  const times = new Float64Array(K);
  const factors = new Float64Array(K);
  for (let k = 1; k <= K; k++) {
    times[k - 1] = k * L;
    factors[k - 1] = Math.exp(-k * lnFactor);
  }
  const n = rows.x.length;
  const pairs = distinctRows([rows.x, rows.T]);
  const [px, pT] = pairs.values as [Float64Array, Float64Array];
  const perPair = new Float64Array(px.length);
  const cumulative = new Float64Array(K);
  for (let j = 0; j < px.length; j++) {
    const x = px[j]!;
    const T = pT[j]!;
    if (model.aliveExpectedAt !== undefined) model.aliveExpectedAt(times, x, T, cumulative);
    else for (let k = 0; k < K; k++) cumulative[k] = model.aliveExpected(times[k]!, x, T);
    let previous = 0;
    let total = 0;
    for (let k = 0; k < K; k++) {
      total += (cumulative[k]! - previous) * factors[k]!;
      previous = cumulative[k]!;
    }
    perPair[j] = total;
  }
  if (probabilityAlive !== undefined && probabilityAlive.length !== n) {
    throw new RangeError('probabilityAlive must have one value per row');
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const alive =
      probabilityAlive === undefined
        ? model.probabilityAlive(rows.x[i]!, rows.t_x[i]!, rows.T[i]!)
        : probabilityAlive[i]!;
    out[i] = perPair[pairs.indexOf[i]!]! * alive;
  }
  return out;
}

/**
 * customerLifetimeValues for a factored model (see FactoredConditionalExpected): the same values up to
 * rounding, with the discounted sum computed once per distinct (x, T) instead of once per row.
 *
 * @example
 * const clv = customerLifetimeValuesFactored(bgNbdFactoredExpected(fit.params), rows, spend,
 *   { periods: 12, periodLength: 52 / 12, periodsPerYear: 12, annualDiscountRate: 0.1 });
 */
export function customerLifetimeValuesFactored(
  model: FactoredConditionalExpected,
  rows: RfmRows,
  spend: ArrayLike<number>,
  options: DiscountOptions,
): Float64Array {
  const n = rows.x.length;
  if (spend.length !== n) throw new RangeError('spend must have one value per row');
  const dt = discountedTransactionsPerRow(model, rows, options);
  const margin = options.margin ?? 1;
  for (let i = 0; i < n; i++) dt[i] = rows.weight[i] === 0 ? 0 : margin * spend[i]! * dt[i]!;
  return dt;
}
