/**
 * Measured uplift of a campaign, treatment against a random control group:
 *
 * - retention: the difference of two proportions p_T - p_C with Newcombe's hybrid score interval
 *   (Newcombe 1998, method 10: built from the two Wilson score intervals). It keeps close to its nominal
 *   coverage for small groups and rates near 0 or 1, where the Wald interval does not.
 * - value: the difference of two means with Welch's t interval (unequal variances, Welch-Satterthwaite
 *   degrees of freedom).
 */
import { normalQuantile, studentTTwoSidedP } from '../special/distributions.js';

export interface Interval {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
}

/** Wilson score interval of a proportion x / n. */
export function wilsonInterval(x: number, n: number, level = 0.95): Interval {
  if (!(n > 0)) return { estimate: NaN, lower: NaN, upper: NaN, level };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half), level };
}

/**
 * Newcombe's hybrid score interval of p1 - p2 (x1 of n1 against x2 of n2).
 *
 * @example newcombeInterval(56, 70, 48, 80) // estimate 0.2, interval 0.0524 to 0.3339 (Newcombe 1998)
 */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, level = 0.95): Interval {
  const a = wilsonInterval(x1, n1, level);
  const b = wilsonInterval(x2, n2, level);
  const d = a.estimate - b.estimate;
  const lower = d - Math.sqrt((a.estimate - a.lower) ** 2 + (b.upper - b.estimate) ** 2);
  const upper = d + Math.sqrt((a.upper - a.estimate) ** 2 + (b.estimate - b.lower) ** 2);
  return { estimate: d, lower, upper, level };
}

/** Quantile of Student's t (q > 0.5) by bisection on the two-sided tail. */
export function studentTQuantile(q: number, df: number): number {
  if (!(q > 0.5 && q < 1)) throw new RangeError(`q must be in (0.5, 1), got ${q}`);
  if (!Number.isFinite(df) || df > 1e7) return normalQuantile(q);
  const tail = 2 * (1 - q);
  let lo = 0;
  let hi = 1;
  while (studentTTwoSidedP(hi, df) > tail) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 1e-12 * hi; k++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSidedP(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface SampleMoments {
  readonly n: number;
  readonly mean: number;
  /** Sample variance (n - 1 in the denominator). */
  readonly variance: number;
}

export function moments(values: ArrayLike<number>): SampleMoments {
  const n = values.length;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const d = v - mean;
    mean += d / (i + 1);
    m2 += d * (v - mean);
  }
  return { n, mean: n > 0 ? mean : NaN, variance: n > 1 ? m2 / (n - 1) : NaN };
}

/** Welch's interval of mean1 - mean2, with its degrees of freedom. */
export function welchInterval(a: SampleMoments, b: SampleMoments, level = 0.95): Interval & { df: number } {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const estimate = a.mean - b.mean;
  if (!(a.n >= 2 && b.n >= 2) || !Number.isFinite(se))
    return { estimate, lower: NaN, upper: NaN, level, df: NaN };
  if (se === 0) return { estimate, lower: estimate, upper: estimate, level, df: Infinity };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = studentTQuantile(1 - (1 - level) / 2, df);
  return { estimate, lower: estimate - t * se, upper: estimate + t * se, level, df };
}
