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
import type { RfmRows } from './summary-stats.js';

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
