// Churned vs retained tests against SciPy, the churn index on the DOMAIN 5.4 example, and the churner
// count interval against brute-force enumeration.
import { describe, expect, it } from 'vitest';
import { compareChurned } from '../../../src/analysis/churn/churn-compare.js';
import { churnIndex, reasonIndex } from '../../../src/analysis/churn/churn-index.js';
import { poissonBinomialInterval } from '../../../src/models/poisson-binomial.js';

describe('compareChurned', () => {
  it('Welch t and chi-square agree with SciPy 1.10 (ttest_ind equal_var=False, chi2_contingency without correction)', () => {
    // churned rows first (5), then retained (7)
    const labels = Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    const spend = Float64Array.from([3, 5.5, 7.25, 9, 4, 1, 2, 2.5, 4, 3, 1.5, 2]);
    // plan: churned A A A A B, retained A A B B B B B
    const codes = Int32Array.from([0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1]);
    const result = compareChurned({
      labels,
      features: {
        rows: 12,
        columns: [
          { kind: 'numeric', name: 'spend', values: spend },
          { kind: 'categorical', name: 'plan', levels: ['A', 'B'], codes },
        ],
      },
    });
    const s = result.find((r) => r.column === 'spend')!;
    const p = result.find((r) => r.column === 'plan')!;
    expect(s.kind).toBe('numeric');
    if (s.kind !== 'numeric' || p.kind !== 'categorical') return;
    expect(s.statistic).toBeCloseTo(3.0196731864971373, 10);
    expect(s.p).toBeCloseTo(0.029645988867554193, 8);
    expect(s.churned.mean).toBeCloseTo(5.75, 12);
    expect(p.statistic).toBeCloseTo(3.085714285714286, 10);
    expect(p.p).toBeCloseTo(0.07898257926378263, 8);
    expect(p.df).toBe(1);
    expect(p.levels).toEqual([
      { level: 'A', churned: 4, retained: 2, churnRate: 4 / 6 },
      { level: 'B', churned: 1, retained: 5, churnRate: 1 / 6 },
    ]);
    // most significant first
    expect(result.map((r) => r.column)).toEqual(['spend', 'plan']);
  });
});

describe('churnIndex', () => {
  it('the DOMAIN 5.4 example: coverage is by far the top driver', () => {
    const example = [
      ['price', 10, 3, 1],
      ['quality', 10, 6, 3],
      ['coverage', 1, 8, 7],
      ['customer service', 10, 4, 9],
      ['image', 10, 1, 4],
      ['new technology', 10, 7, 3],
    ] as const;
    const [g] = churnIndex(
      example.map(([reason, rating, importance, availability]) => ({
        reason,
        rating,
        importance,
        availability,
      })),
    );
    expect(g!.topDriver).toBe('coverage');
    expect(g!.reasons[0]).toMatchObject({ reason: 'coverage', share: 1 });
    expect(g!.reasons[0]!.index).toBeCloseTo((9 / 9) * 0.8 * 0.7, 12);
    expect(g!.total).toBeCloseTo(0.56, 12);
  });

  it('groups, means over respondents, and input checks', () => {
    const groups = churnIndex([
      { group: 'north', reason: 'price', rating: 4, importance: 10, availability: 10 },
      { group: 'north', reason: 'price', rating: 10, importance: 10, availability: 10 },
      { group: 'north', reason: 'coverage', rating: 7, importance: 5, availability: 2 },
      { group: 'south', reason: 'coverage', rating: 1, importance: 10, availability: 10 },
    ]);
    expect(groups.map((g) => [g.group, g.topDriver])).toEqual([
      ['north', 'price'],
      ['south', 'coverage'],
    ]);
    expect(groups[0]!.reasons[0]!.index).toBeCloseTo((reasonIndex(4, 10, 10) + 0) / 2, 12);
    expect(() => churnIndex([{ reason: 'x', rating: 0, importance: 5, availability: 5 }])).toThrow(/1 to 10/);
  });
});

describe('poissonBinomialInterval', () => {
  it('exact central interval equals brute-force enumeration of every outcome', () => {
    const p = [0.1, 0.5, 0.9, 0.3, 0.65, 0.2, 0.05];
    const pmf = new Array<number>(p.length + 1).fill(0);
    for (let mask = 0; mask < 1 << p.length; mask++) {
      let prob = 1;
      let k = 0;
      p.forEach((q, i) => {
        if (mask & (1 << i)) {
          prob *= q;
          k++;
        } else prob *= 1 - q;
      });
      pmf[k]! += prob;
    }
    const r = poissonBinomialInterval(p, 0.8);
    expect(r.exact).toBe(true);
    expect(r.expected).toBeCloseTo(2.7, 12);
    // the smallest lower with P(N < lower) <= 10 % < P(N <= lower), the mirror for upper
    let cum = 0;
    let lower = 0;
    while (cum + pmf[lower]! <= 0.1) cum += pmf[lower++]!;
    let tail = 0;
    let upper = p.length;
    while (tail + pmf[upper]! <= 0.1) tail += pmf[upper--]!;
    expect([r.lower, r.upper]).toEqual([lower, upper]);
  });

  it('the normal approximation above the exact limit agrees with the exact interval within one', () => {
    const p = Array.from({ length: 3000 }, (_, i) => 0.01 + (0.3 * ((i * 7919) % 1000)) / 1000);
    const exact = poissonBinomialInterval(p, 0.9, 3000);
    const approx = poissonBinomialInterval(p, 0.9, 100);
    expect(approx.exact).toBe(false);
    expect(Math.abs(approx.lower - exact.lower)).toBeLessThanOrEqual(1);
    expect(Math.abs(approx.upper - exact.upper)).toBeLessThanOrEqual(1);
  });
});

describe('churnCountForecast', () => {
  it('adds the period-to-period drift of the churn rate to the chance of the count', async () => {
    const { churnCountForecast, rateDrift } = await import('../../../src/models/churn-count-forecast.js');
    // rates 0.05, 0.04, 0.05 (most recent first): changes +25 % and -20 %; RMS sqrt((0.0625 + 0.04) / 2)
    const history = [
      { atRisk: 1000, churned: 50 },
      { atRisk: 1000, churned: 40 },
      { atRisk: 1000, churned: 50 },
    ];
    expect(rateDrift(history)).toBeCloseTo(Math.sqrt((0.0625 + 0.04) / 2), 12);
    expect(rateDrift(history.slice(0, 2))).toBeNull();
    const p = new Float64Array(4000).fill(0.05); // expected 200, chance sd sqrt(190)
    const f = churnCountForecast(p, history, 0.9);
    const sd = Math.sqrt(190 + (200 * Math.sqrt(0.05125)) ** 2);
    expect(f.sd).toBeCloseTo(sd, 9);
    expect(f.lower).toBe(Math.floor(200 - 1.6448536269514722 * sd));
    expect(f.upper).toBe(Math.ceil(200 + 1.6448536269514722 * sd));
    expect(f.chance.upper - f.chance.lower).toBeLessThan(f.upper - f.lower);
    // without history: chance only
    const c = churnCountForecast(p, [], 0.9);
    expect([c.lower, c.upper, c.drift]).toEqual([c.chance.lower, c.chance.upper, null]);
  });
});
