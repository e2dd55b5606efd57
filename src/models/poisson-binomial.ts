/**
 * The number of churners among customers who each leave with their own probability p_i follows the
 * Poisson-binomial distribution: mean sum p_i, variance sum p_i (1 - p_i). Its central interval is
 * computed exactly (the O(n^2) recursion over customers) up to `exactLimit` customers and from the
 * normal approximation with a continuity correction above, where the two agree to a count or so
 * (Hong 2013, Computational Statistics & Data Analysis 59).
 *
 * @example poissonBinomialInterval([0.5, 0.5], 0.5) // { expected: 1, sd: 0.707.., lower: 1, upper: 1, exact: true }
 */
import { normalQuantile } from './special/distributions.js';

export interface CountInterval {
  readonly expected: number;
  readonly sd: number;
  /** Central interval with at least `level` probability: P(lower <= N <= upper) >= level. */
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly exact: boolean;
}

export function poissonBinomialInterval(
  probabilities: ArrayLike<number>,
  level = 0.9,
  exactLimit = 3000,
): CountInterval {
  if (!(level > 0 && level < 1)) throw new RangeError('level must be in (0, 1)');
  const n = probabilities.length;
  let expected = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability ${i} is ${p}, not in [0, 1]`);
    expected += p;
    variance += p * (1 - p);
  }
  const sd = Math.sqrt(variance);
  const tail = (1 - level) / 2;
  if (n <= exactLimit) {
    // pmf[k] = P(N = k) after the customers so far
    let pmf = new Float64Array(n + 1);
    pmf[0] = 1;
    for (let i = 0; i < n; i++) {
      const p = probabilities[i]!;
      const next = new Float64Array(n + 1);
      for (let k = 0; k <= i; k++) {
        next[k] = next[k]! + pmf[k]! * (1 - p);
        next[k + 1] = next[k + 1]! + pmf[k]! * p;
      }
      pmf = next;
    }
    let lower = 0;
    let cum = pmf[0]!;
    while (cum <= tail && lower < n) cum += pmf[++lower]!;
    let upper = n;
    cum = pmf[n]!;
    while (cum <= tail && upper > 0) cum += pmf[--upper]!;
    return { expected, sd, lower, upper, level, exact: true };
  }
  const z = normalQuantile(1 - tail);
  return {
    expected,
    sd,
    lower: Math.max(0, Math.ceil(expected - z * sd - 0.5)),
    upper: Math.min(n, Math.floor(expected + z * sd + 0.5)),
    level,
    exact: false,
  };
}
