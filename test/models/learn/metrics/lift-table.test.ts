import { describe, expect, it } from 'vitest';
import { liftTable } from '../../../../src/models/learn/metrics/lift-table.js';
import { topDecileLift } from '../../../../src/models/learn/metrics/top-decile-lift.js';
import { LABELS, SCORES, permuted } from './fixed-inputs.js';

describe('liftTable', () => {
  it('computes lift and gains by bin', () => {
    // 10 rows, 4 positives (rate 0.4), 5 bins of 2 rows.
    const scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
    const labels = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0];
    const t = liftTable(scores, labels, { bins: 5 });
    expect(t.map((b) => b.positives)).toEqual([2, 1, 0, 1, 0]);
    expect(t[0]!.lift).toBeCloseTo(2.5, 15);
    expect(t.map((b) => b.gain)).toEqual([0.5, 0.75, 0.75, 1, 1]);
    expect(t[4]!.cumulativeLift).toBeCloseTo(1, 15);
    expect(t[0]).toMatchObject({ bin: 1, rows: 2, maxScore: 0.95, minScore: 0.9 });
  });

  it('shares the positives of tied scores across a bin boundary (independent of row order)', () => {
    // Four rows tie at 0.5 with 2 positives; bins of 2 rows split the tie: each bin gets half of them.
    const t = liftTable([0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0], { bins: 2 });
    expect(t.map((b) => b.positives)).toEqual([1, 1]);
    const a = liftTable(SCORES, LABELS, { bins: 7 });
    const b = liftTable(permuted(SCORES), permuted(LABELS), { bins: 7 });
    a.forEach((bin, k) => expect(bin.positives).toBeCloseTo(b[k]!.positives, 14));
    expect(a.reduce((s, x) => s + x.positives, 0)).toBeCloseTo(6, 14);
  });

  it('uses nearly equal bins when the rows do not divide evenly', () => {
    const n = 23;
    const t = liftTable(
      Array.from({ length: n }, (_, i) => i),
      Array.from({ length: n }, (_, i) => i % 2),
    );
    expect(t.map((b) => b.rows)).toEqual([2, 2, 2, 3, 2, 2, 3, 2, 2, 3]); // cut at floor(23 k / 10);
    expect(t[9]!.cumulativeRows).toBe(n);
  });

  it('gives the top-decile lift', () => {
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const labels = scores.map((_, i) => (i < 2 || i === 10 || i === 15 ? 1 : 0));
    expect(topDecileLift(scores, labels)).toBeCloseTo(1 / 0.2, 14);
    expect(() => topDecileLift([1, 2], [0, 1])).toThrow(/10 rows/);
    expect(() => liftTable([1, 2], [0, 0])).toThrow(/bins|positive/);
  });
});
