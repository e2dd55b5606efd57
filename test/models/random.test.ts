import { describe, it, expect } from 'vitest';
import { Random } from '../../src/models/random.js';

describe('Random', () => {
  it('is reproducible from its seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws with the right moments', () => {
    const rng = new Random(7);
    const n = 200_000;
    const check = (draw: () => number, mean: number, variance: number): void => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const x = draw();
        s += x;
        s2 += x * x;
      }
      const m = s / n;
      const v = s2 / n - m * m;
      // 5 standard errors of the sample mean; 5 % on the variance.
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
      expect(Math.abs(v - variance) / variance).toBeLessThan(0.05);
    };
    check(() => rng.uniform(), 0.5, 1 / 12);
    check(() => rng.normal(), 0, 1);
    check(() => rng.gamma(0.3, 2), 0.15, 0.075);
    check(() => rng.gamma(4.5, 0.5), 9, 18);
    check(() => rng.beta(0.8, 2.4), 0.25, (0.8 * 2.4) / (3.2 * 3.2 * 4.2));
    check(() => rng.exponential(3), 1 / 3, 1 / 9);
    for (let i = 0; i < 1000; i++) {
      const u = rng.uniform();
      expect(u > 0 && u < 1).toBe(true);
    }
  });
});
