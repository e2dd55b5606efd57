import { describe, it, expect } from 'vitest';
import { bgNbdConditionalExpected } from '../../src/models/bg-nbd.js';
import {
  customerLifetimeValue,
  customerLifetimeValues,
  discountedTransactions,
  periodDiscountRate,
} from '../../src/models/clv.js';
import { gammaGammaExpectedSpend } from '../../src/models/gamma-gamma.js';
import { compressRfm } from '../../src/models/summary-stats.js';
import { readCdnow } from './cdnow.js';
import { expectRel } from './close.js';

describe('discounting', () => {
  it('converts a yearly rate so that a year of periods compounds to it', () => {
    const d = periodDiscountRate(0.1, 12);
    expectRel((1 + d) ** 12, 1.1, 1e-15);
    expect(periodDiscountRate(0, 52)).toBe(0);
    expect(() => periodDiscountRate(-1, 12)).toThrow(RangeError);
  });

  it('discounts at the end of each period (geometric sum for a constant rate)', () => {
    const rate = 0.5; // transactions per model time unit
    const L = 52 / 12;
    const opts = { periods: 24, periodLength: L, periodsPerYear: 12, annualDiscountRate: 0.1 };
    const d = periodDiscountRate(0.1, 12);
    const expected = (rate * L * (1 - (1 + d) ** -24)) / d;
    expectRel(
      discountedTransactions((t) => rate * t, opts),
      expected,
      1e-13,
    );
    // No discounting: the cumulative expectation at the horizon.
    expectRel(
      discountedTransactions((t) => rate * t, { ...opts, annualDiscountRate: 0 }),
      rate * 24 * L,
      1e-14,
    );
    // Two yearly periods by hand: 0.5/1.1 + 0.5/1.21.
    expectRel(
      discountedTransactions((t) => 0.5 * t, { periods: 2, periodsPerYear: 1, annualDiscountRate: 0.1 }),
      0.5 / 1.1 + 0.5 / 1.21,
      1e-15,
    );
  });

  it('CLV = margin × spend × discounted transactions', () => {
    const opts = { periods: 3, periodsPerYear: 12, annualDiscountRate: 0.12, margin: 0.3 };
    const c = (t: number): number => Math.sqrt(t);
    expectRel(customerLifetimeValue(c, 40, opts), 0.3 * 40 * discountedTransactions(c, opts), 1e-15);
  });
});

describe('CLV with BG/NBD and Gamma-Gamma on CDNOW', () => {
  const cdnow = readCdnow();
  const rows = compressRfm(cdnow.x, cdnow.t_x, cdnow.T, cdnow.zbar);
  const bg = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
  const gg = { p: 6.25, q: 3.74, v: 15.44 };
  const spend = Float64Array.from(rows.x, (x, i) => gammaGammaExpectedSpend(gg, x, rows.monetary![i]!));
  const opts = { periods: 12, periodLength: 52 / 12, periodsPerYear: 12, annualDiscountRate: 0.1, margin: 1 };
  const model = (t: number, x: number, tx: number, T: number): number =>
    bgNbdConditionalExpected(bg, t, x, tx, T);
  const clv = customerLifetimeValues(model, rows, spend, opts);

  it('matches a direct per-customer computation', () => {
    const i = rows.rowOf[0]!; // customer 1: x=2, t_x=30.43, T=38.86, zbar=22.35
    let manual = 0;
    let prev = 0;
    const d = periodDiscountRate(0.1, 12);
    for (let k = 1; k <= 12; k++) {
      const cum = bgNbdConditionalExpected(bg, (k * 52) / 12, 2, 30.43, 38.86);
      manual += (cum - prev) / (1 + d) ** k;
      prev = cum;
    }
    expectRel(clv[i]!, gammaGammaExpectedSpend(gg, 2, 22.35) * manual, 1e-13);
    // Undiscounted one-year value is larger and equals spend × E[Y(52)].
    const undiscounted = customerLifetimeValues(model, rows, spend, { ...opts, annualDiscountRate: 0 });
    expect(undiscounted[i]!).toBeGreaterThan(clv[i]!);
    expectRel(undiscounted[i]!, spend[i]! * bgNbdConditionalExpected(bg, 52, 2, 30.43, 38.86), 1e-12);
  });

  it('is finite and non-negative for every customer', () => {
    for (const v of clv) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
  });
});
