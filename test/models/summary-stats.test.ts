import { describe, it, expect } from 'vitest';
import {
  compressRfm,
  compressSpend,
  InvalidSummaryError,
  uncompressedRfm,
} from '../../src/models/summary-stats.js';
import { readCdnow } from './cdnow.js';

describe('compressRfm', () => {
  it('counts identical rows once with a weight and maps customers to rows', () => {
    const c = compressRfm([0, 2, 0, 2, 1], [0, 30.43, 0, 30.43, 5], [38.86, 38.86, 38.86, 38.86, 38.86]);
    expect(Array.from(c.x)).toEqual([0, 2, 1]);
    expect(Array.from(c.weight)).toEqual([2, 2, 1]);
    expect(Array.from(c.rowOf)).toEqual([0, 1, 0, 1, 2]);
    expect(c.customers).toBe(5);
    expect(c.monetary).toBeUndefined();
  });

  it('keeps monetary values in the key when given', () => {
    const c = compressRfm(
      Float64Array.of(2, 2),
      Float64Array.of(3, 3),
      Float64Array.of(9, 9),
      Float64Array.of(10, 11),
    );
    expect(c.x.length).toBe(2);
    expect(Array.from(c.monetary!)).toEqual([10, 11]);
  });

  it('compresses CDNOW and preserves totals', () => {
    const cd = readCdnow();
    const c = compressRfm(cd.x, cd.t_x, cd.T);
    expect(c.weight.reduce((s, w) => s + w, 0)).toBe(2357);
    expect(c.x.length).toBeLessThan(1100);
    let sx = 0;
    for (let i = 0; i < c.x.length; i++) sx += c.x[i]! * c.weight[i]!;
    expect(sx).toBe(cd.x.reduce((s, x) => s + x, 0));
    for (let i = 0; i < cd.x.length; i++) expect(c.T[c.rowOf[i]!]).toBe(cd.T[i]);
  });

  it('rejects impossible rows with the row number', () => {
    expect(() => compressRfm([1], [40], [38])).toThrow(InvalidSummaryError);
    expect(() => compressRfm([1], [40], [38])).toThrow(/row 0: t_x greater than T/);
    expect(() => compressRfm([0], [1], [38])).toThrow(/t_x must be 0/);
    expect(() => compressRfm([-1], [0], [3])).toThrow(/negative x/);
    expect(() => compressRfm([1, 2], [0], [3])).toThrow(/different lengths/);
    expect(() => uncompressedRfm([1], [NaN], [3])).toThrow(/non-finite/);
  });
});

describe('compressSpend', () => {
  it('keeps repeat buyers only and compresses (x, zbar)', () => {
    const s = compressSpend([2, 0, 2, 1], [22.35, 0, 22.35, 11.77]);
    expect(Array.from(s.x)).toEqual([2, 1]);
    expect(Array.from(s.weight)).toEqual([2, 1]);
    expect(() => compressSpend([1], [0])).toThrow(InvalidSummaryError);
  });
});
