import { describe, it, expect } from 'vitest';
import {
  fitSbg,
  sbgChurnProbability,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgLogLikelihood,
  sbgProjectSurvivors,
  sbgRetentionRate,
  sbgRiskTableFromCohorts,
  sbgRiskTableFromSurvivors,
  sbgSurvival,
  InvalidRetentionDataError,
  type SbgParams,
} from '../../src/models/sbg.js';

/**
 * Fader & Hardie (2007), "How to Project Customer Retention", Table 1: % of each cohort still active after
 * 0..12 years (1,000 customers at the start). The model is fitted on years 0..7.
 */
const REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3];
const HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4];
const calibration = (pct: number[]): number[] => pct.slice(0, 8).map((v) => Math.round(v * 10));

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** DERL by its definition: sum_{t>=n} S(t)/S(n-1) / (1+d)^(t-n), the survival ratios by recursion. */
function derlBySum(p: SbgParams, d: number, renewals: number): number {
  const n = renewals + 1;
  let ratio = 1; // S(t)/S(n-1)
  let sum = 0;
  for (let t = n; t < n + 5_000_000; t++) {
    ratio *= (p.beta + t - 1) / (p.alpha + p.beta + t - 1);
    const term = ratio / Math.pow(1 + d, t - n);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gammaDraw(u: () => number, shape: number): number {
  if (shape < 1) return gammaDraw(u, shape + 1) * Math.pow(1 - u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
    const v = Math.pow(1 + c * z, 3);
    if (v > 0 && Math.log(1 - u()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

describe('sBG on the Fader & Hardie (2007) cohorts', () => {
  it('fits "regular" to alpha = 0.704, beta = 1.182 and "high end" to alpha = 0.668, beta = 3.806', () => {
    const regular = fitSbg({ survivors: calibration(REGULAR) });
    const highEnd = fitSbg({ survivors: calibration(HIGH_END) });
    expect(regular.converged && highEnd.converged).toBe(true);
    // Printed to 3 decimals; achieved |difference| < 1e-4 for all four.
    expect(Math.abs(regular.params.alpha - 0.704)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(regular.params.beta - 1.182)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(highEnd.params.alpha - 0.668)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(highEnd.params.beta - 3.806)).toBeLessThanOrEqual(0.0005);
    // Our own values (regression): LL -1680.265 and -1611.158.
    expect(regular.logLikelihood).toBeCloseTo(-1680.265, 3);
    expect(highEnd.logLikelihood).toBeCloseTo(-1611.158, 3);
    expect(regular.standardErrors.alpha).toBeGreaterThan(0);
  });

  it("projects years 8-12 within 2 percentage points of what happened (the paper's point)", () => {
    // Achieved: regular within 0.31, high end within 1.60 (slightly below the actual, as in the paper's plot).
    for (const [pct, params] of [
      [REGULAR, { alpha: 0.704, beta: 1.182 }],
      [HIGH_END, { alpha: 0.668, beta: 3.806 }],
    ] as const) {
      const projected = sbgProjectSurvivors(params, 100, 12);
      for (let t = 8; t <= 12; t++) expect(Math.abs(projected[t]! - pct[t]!)).toBeLessThan(2);
    }
  });

  it('a risk table gives the same likelihood as the survivor curve it came from', () => {
    const survivors = calibration(HIGH_END);
    const p = { alpha: 0.9, beta: 2.5 };
    expect(sbgLogLikelihood(p, sbgRiskTableFromSurvivors(survivors))).toBeCloseTo(
      sbgLogLikelihood(p, { survivors }),
      10,
    );
    // FH07 eq. 6 written out: sum (n_{t-1} - n_t) ln P(T = t) + n_7 ln S(7).
    let ll = 0;
    for (let t = 1; t < survivors.length; t++) {
      ll += (survivors[t - 1]! - survivors[t]!) * Math.log(sbgChurnProbability(p, t));
    }
    ll += survivors[7]! * Math.log(sbgSurvival(p, 7));
    expect(sbgLogLikelihood(p, { survivors })).toBeCloseTo(ll, 9);
  });

  it('pooled cohorts of different ages (risk table) recover the generating parameters', () => {
    // Expected survivors of 10,000-customer cohorts under alpha = 3.80, beta = 15.20 (the "case 1" segment
    // of Fader & Hardie 2010), rounded to whole customers; acquired 4, 3, 2 and 1 years before.
    const truth = { alpha: 3.8, beta: 15.2 };
    const curve = sbgProjectSurvivors(truth, 10000, 4).map(Math.round);
    expect(curve).toEqual([10000, 8000, 6480, 5307, 4391]);
    const table = sbgRiskTableFromCohorts([curve, curve.slice(0, 4), curve.slice(0, 3), curve.slice(0, 2)]);
    expect(table.atRisk).toEqual([40000, 24000, 12960, 5307]);
    const fit = fitSbg(table);
    expect(rel(fit.params.alpha, 3.8)).toBeLessThan(0.01);
    expect(rel(fit.params.beta, 15.2)).toBeLessThan(0.01);
  });
});

describe('sBG survival, retention and valuation', () => {
  const p = { alpha: 0.668, beta: 3.806 };

  it('S(t) is the product of retention rates and 1 - sum of churn probabilities', () => {
    let product = 1;
    let churned = 0;
    for (let t = 1; t <= 200; t++) {
      product *= sbgRetentionRate(p, t);
      churned += sbgChurnProbability(p, t);
      expect(rel(sbgSurvival(p, t), product)).toBeLessThan(1e-12);
      expect(Math.abs(1 - churned - sbgSurvival(p, t))).toBeLessThan(1e-14);
    }
    expect(sbgSurvival(p, 0)).toBe(1);
    expect(sbgRetentionRate({ alpha: 0.704, beta: 1.182 }, 1)).toBeCloseTo(1.182 / 1.886, 14);
    // Far out: no underflow to NaN in the log-beta form.
    expect(sbgSurvival(p, 1e9)).toBeGreaterThan(0);
  });

  it('DERL reproduces Table 3 of Fader & Hardie (2010) (d = 0.1, 0..4 renewals) to the printed digits', () => {
    // Case 1 is printed as alpha = 3.80, beta = 15.20. Case 2 is printed as alpha = 0.067, beta = 0.267;
    // the table is reproduced to all printed digits with 1/15 and 4/15 (first-period retention exactly 80%,
    // as in case 1), which those rounded values stand for (0.067/0.267 gives 7.67 and 9.85).
    const case1 = [3.31, 3.45, 3.59, 3.72, 3.84];
    const case2 = [7.68, 9.46, 9.86, 10.06, 10.19];
    case1.forEach((v, k) => {
      expect(
        Math.abs(sbgDiscountedExpectedResidualLifetime({ alpha: 3.8, beta: 15.2 }, 0.1, k) - v),
      ).toBeLessThanOrEqual(0.005);
    });
    case2.forEach((v, k) => {
      expect(
        Math.abs(sbgDiscountedExpectedResidualLifetime({ alpha: 1 / 15, beta: 4 / 15 }, 0.1, k) - v),
      ).toBeLessThanOrEqual(0.005);
    });
  });

  it('DERL and DEL equal their defining sums, including small d (z = 1/(1+d) near 1)', () => {
    for (const params of [
      p,
      { alpha: 3.8, beta: 15.2 },
      { alpha: 1 / 15, beta: 4 / 15 },
      { alpha: 1, beta: 1 },
      { alpha: 40, beta: 300 },
    ]) {
      for (const d of [0.5, 0.1, 0.01, 0.001]) {
        for (const renewals of [0, 1, 7, 30]) {
          const got = sbgDiscountedExpectedResidualLifetime(params, d, renewals);
          expect(rel(got, derlBySum(params, d, renewals))).toBeLessThan(1e-9);
        }
        // DEL = 1 + DERL(0 renewals)/(1+d): the first period counts in full, the rest one period later.
        const del = sbgDiscountedExpectedLifetime(params, d);
        const viaDerl = 1 + derlBySum(params, d, 0) / (1 + d);
        expect(rel(del, viaDerl)).toBeLessThan(1e-9);
      }
    }
  });

  it('d = 0: the mean lifetime (alpha+beta-1)/(alpha-1) when alpha > 1, infinite otherwise', () => {
    expect(sbgDiscountedExpectedLifetime({ alpha: 3.8, beta: 15.2 }, 0)).toBeCloseTo(18 / 2.8, 10);
    expect(sbgDiscountedExpectedLifetime({ alpha: 0.668, beta: 3.806 }, 0)).toBe(Infinity);
  });

  it('rejects bad input', () => {
    expect(() => sbgRiskTableFromSurvivors([1000])).toThrow(InvalidRetentionDataError);
    expect(() => sbgRiskTableFromSurvivors([1000])).toThrow(/two points/);
    expect(() => sbgRiskTableFromSurvivors([1000, 1200])).toThrow(/non-increasing/);
    expect(() => fitSbg({ atRisk: [100, 50], lost: [60, 60] })).toThrow(/lost <= atRisk/);
    expect(() => sbgSurvival({ alpha: 0, beta: 1 }, 2)).toThrow(RangeError);
    expect(() => sbgDiscountedExpectedResidualLifetime(p, -0.1, 0)).toThrow(RangeError);
  });
});

describe('sBG simulation recovery', () => {
  it('recovers known parameters within 3 standard errors (seeded, 5 cohorts of 2,000)', () => {
    const truth = { alpha: 1.3, beta: 4.5 };
    const u = mulberry32(31337);
    const cohorts: number[][] = [];
    for (let c = 0; c < 5; c++) {
      const years = 4 + 2 * c; // cohorts observed for 4, 6, ..., 12 periods
      const alive = new Array<number>(years + 1).fill(0);
      for (let i = 0; i < 2000; i++) {
        const g = gammaDraw(u, truth.alpha);
        const theta = g / (g + gammaDraw(u, truth.beta));
        let t = 0;
        alive[0]!++;
        while (t < years && u() >= theta) alive[++t]!++;
      }
      cohorts.push(alive);
    }
    const fit = fitSbg(sbgRiskTableFromCohorts(cohorts));
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.params.alpha - truth.alpha)).toBeLessThan(3 * fit.standardErrors.alpha);
    expect(Math.abs(fit.params.beta - truth.beta)).toBeLessThan(3 * fit.standardErrors.beta);
  });
});
