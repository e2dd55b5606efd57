// The vectorised fast paths used at scale must agree with the plain per-row functions they replace.
import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpected,
  bgNbdFactoredExpected,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from '../../src/models/bg-nbd.js';
import { discountedTransactions, discountedTransactionsPerRow } from '../../src/models/clv.js';
import { compressRfm, distinctRows } from '../../src/models/summary-stats.js';
import { readCdnow } from './cdnow.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('fast paths', () => {
  it('distinctRows groups identical rows in first-appearance order', () => {
    const d = distinctRows([
      [1, 2, 1, 3, 2],
      [0.5, 1, 0.5, 1, 1],
    ]);
    expect(Array.from(d.values[0]!)).toEqual([1, 2, 3]);
    expect(Array.from(d.values[1]!)).toEqual([0.5, 1, 1]);
    expect(Array.from(d.count)).toEqual([2, 2, 1]);
    expect(Array.from(d.indexOf)).toEqual([0, 1, 0, 2, 1]);
  });

  it('factored BG/NBD expectation and per-row discounting match the plain functions (rel. 1e-9)', () => {
    const s = readCdnow();
    const rows = compressRfm(s.x, s.t_x, s.T);
    const { params } = fitBgNbd(rows);
    const factored = bgNbdFactoredExpected(params);
    const discount = { periods: 52, periodsPerYear: 52, annualDiscountRate: 0.1 };
    const alive = Float64Array.from(rows.x, (x, r) =>
      bgNbdProbabilityAlive(params, x, rows.t_x[r]!, rows.T[r]!),
    );
    const fast = discountedTransactionsPerRow(factored, rows, discount, alive);
    for (let r = 0; r < rows.x.length; r += 37) {
      const [x, tx, T] = [rows.x[r]!, rows.t_x[r]!, rows.T[r]!];
      const plain = bgNbdConditionalExpected(params, 39, x, tx, T);
      expect(rel(alive[r]! * factored.aliveExpected(39, x, T), plain), `row ${r}`).toBeLessThan(1e-9);
      const slow = discountedTransactions((t) => bgNbdConditionalExpected(params, t, x, tx, T), discount);
      expect(rel(fast[r]!, slow), `row ${r}`).toBeLessThan(1e-9);
    }
  });
});

describe('heavy buyers', () => {
  it('conditional expectations stay finite and agree with the Euler-transformed series (rel. 1e-9)', async () => {
    const { bgNbdAliveExpected } = await import('../../src/models/bg-nbd.js');
    const { mbgNbdConditionalExpected, mbgNbdProbabilityAlive } = await import('../../src/models/mbg-nbd.js');
    const p = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
    const factored = bgNbdFactoredExpected(p);
    const out = new Float64Array(1);
    for (const x of [10, 500, 2000, 8000, 20000, 100000]) {
      const T = 400;
      factored.aliveExpectedAt!(Float64Array.of(52), x, T, out);
      const direct = bgNbdAliveExpected(p, 52, x, T);
      expect(Number.isFinite(direct), `x=${x}`).toBe(true);
      expect(rel(direct, out[0]!), `x=${x}`).toBeLessThan(1e-9);
      // a customer alive at T buying about x/T a week keeps buying at that pace for a while: E ~ 52 x / T
      expect(direct / ((52 * x) / T), `x=${x}`).toBeLessThan(1.01);
      const mbg = mbgNbdConditionalExpected(p, 52, x, T - 0.5, T);
      expect(Number.isFinite(mbg), `MBG x=${x}`).toBe(true);
      expect(mbg).toBeLessThanOrEqual((52 * (p.r + x)) / (p.alpha + T) + 1e-9);
      expect(mbgNbdProbabilityAlive(p, x, T - 0.5, T)).toBeGreaterThan(0);
    }
  });
});
