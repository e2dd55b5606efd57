import { describe, expect, it } from 'vitest';
import {
  moments,
  newcombeInterval,
  studentTQuantile,
  welchInterval,
  wilsonInterval,
} from '../../../src/models/planning/uplift.js';
import { betaPosterior } from '../../../src/models/planning/beta-rate.js';
import { assignHoldout } from '../../../src/models/planning/holdout.js';
import { Random } from '../../../src/models/random.js';

describe('uplift statistics', () => {
  it('Wilson and Newcombe match the published examples', () => {
    // Newcombe (1998), Table II example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339
    const d = newcombeInterval(56, 70, 48, 80);
    expect(d.estimate).toBeCloseTo(0.2, 12);
    expect(d.lower).toBeCloseTo(0.0524, 4);
    expect(d.upper).toBeCloseTo(0.3339, 4);
    // Wilson 81/263 at 95 %: 0.2553 to 0.3662 (Newcombe 1998, single-proportion paper)
    const w = wilsonInterval(81, 263);
    expect(w.lower).toBeCloseTo(0.2553, 4);
    expect(w.upper).toBeCloseTo(0.3662, 4);
  });

  it("Student's t quantile and Welch's interval agree with R", () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5); // qt(0.975, 10)
    expect(studentTQuantile(0.95, 3.5)).toBeCloseTo(2.2224335, 5); // qt(0.95, 3.5)
    // t.test(c(1,2,3,4,5), c(2,4,6,8,10,12)) (scipy): df 6.97226, 95 % CI -7.98347 to -0.01653
    const a = moments([1, 2, 3, 4, 5]);
    const b = moments([2, 4, 6, 8, 10, 12]);
    const w = welchInterval(a, b);
    expect(w.estimate).toBe(-4);
    expect(w.df).toBeCloseTo(6.97226, 4);
    expect(w.lower).toBeCloseTo(-7.98347, 4);
    expect(w.upper).toBeCloseTo(-0.01653, 4);
  });

  it('simulated campaigns with a known effect: the 95 % intervals cover the truth 90-99 % of the time', () => {
    // 200 seeded campaigns, 400 treated / 100 control, true retention 0.80 vs 0.72 (uplift 0.08) and value
    // per member exponential with means 120 vs 100 (uplift 20). Tolerance: coverage in [0.90, 0.99] for both.
    const random = new Random(99);
    let coveredRate = 0;
    let coveredValue = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const draw = (n: number, p: number, mean: number) => {
        let s = 0;
        const values: number[] = [];
        for (let i = 0; i < n; i++) {
          if (random.uniform() < p) s++;
          values.push(random.exponential(1 / mean));
        }
        return { s, values };
      };
      const t = draw(400, 0.8, 120);
      const c = draw(100, 0.72, 100);
      const d = newcombeInterval(t.s, 400, c.s, 100);
      if (d.lower <= 0.08 && 0.08 <= d.upper) coveredRate++;
      const v = welchInterval(moments(t.values), moments(c.values));
      if (v.lower <= 20 && 20 <= v.upper) coveredValue++;
    }
    expect(coveredRate / runs).toBeGreaterThanOrEqual(0.9);
    expect(coveredRate / runs).toBeLessThanOrEqual(0.99);
    expect(coveredValue / runs).toBeGreaterThanOrEqual(0.9);
    expect(coveredValue / runs).toBeLessThanOrEqual(0.99);
  });
});

describe('Beta rate', () => {
  it('starts at the prior and moves to the data', () => {
    const prior = { mean: 0.25, strength: 8 };
    expect(betaPosterior(prior, 0, 0).mean).toBeCloseTo(0.25, 12);
    // Beta(2 + 30, 6 + 70): (2 + 30) / (8 + 100) = 0.296296...
    const post = betaPosterior(prior, 30, 100);
    expect(post.alpha).toBe(32);
    expect(post.beta).toBe(76);
    expect(post.mean).toBeCloseTo(32 / 108, 12);
    expect(post.lower).toBeLessThan(post.mean);
    expect(post.upper).toBeGreaterThan(post.mean);
    // the interval of Beta(2, 6) at 90 % (scipy): 0.0533755 to 0.5207030
    const p0 = betaPosterior(prior, 0, 0);
    expect(p0.lower).toBeCloseTo(0.0533755, 6);
    expect(p0.upper).toBeCloseTo(0.520703, 6);
  });
});

describe('holdout', () => {
  it('draws round(share x n) per stratum, reproducibly, and depends on the seed', () => {
    const strata = Array.from({ length: 103 }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const g1 = assignHoldout(strata, 0.2, 5);
    const g2 = assignHoldout(strata, 0.2, 5);
    expect(Array.from(g1)).toEqual(Array.from(g2));
    const na = strata.filter((s) => s === 'a').length;
    const nb = strata.length - na;
    expect(strata.filter((s, i) => s === 'a' && g1[i]).length).toBe(Math.round(0.2 * na));
    expect(strata.filter((s, i) => s === 'b' && g1[i]).length).toBe(Math.round(0.2 * nb));
    expect(Array.from(assignHoldout(strata, 0.2, 6))).not.toEqual(Array.from(g1));
    expect(Array.from(assignHoldout(strata, 0, 6)).every((v) => v === 0)).toBe(true);
  });
});
