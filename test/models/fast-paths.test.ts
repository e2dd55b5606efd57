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
