/**
 * Median survival time with its confidence interval, exactly as R's `print(survfit)` reports it
 * (median, 0.95LCL, 0.95UCL from survival:::survmean):
 * - the median is the first curve time where S(t) < 0.5 + tol (tol = √ε ≈ 1.5e-8, R's tolerance);
 * - if S is 0.5 there (within tol), the curve is flat at exactly one half up to the next drop, and the
 *   median is the midpoint between that time and the first later time where S is lower;
 * - the lower limit applies the same rule to the lower confidence curve, the upper limit to the upper one;
 * - a curve that never gets below one half gives NaN (R prints NA); NaN points of a limit curve (log-log
 *   at S = 1, any type at S = 0) are skipped, as R skips its NAs.
 * Same rule for other probabilities via `survivalQuantile` (R's survmean only prints the median).
 *
 * Reference: Brookmeyer & Crowley (1982) for the interval obtained by inverting the pointwise band.
 */

import type { KaplanMeierCurve } from './kaplan-meier.js';

/** R's tolerance for "the curve equals the target". */
const TOLERANCE = Math.sqrt(Number.EPSILON);

export interface MedianSurvival {
  readonly median: number;
  readonly lower: number;
  readonly upper: number;
}

/** First time where values drop below target (with the flat-at-target midpoint rule), else NaN. */
function crossing(time: Float64Array, values: Float64Array, target: number): number {
  const m = time.length;
  let first = -1;
  for (let i = 0; i < m; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v) && v < target + TOLERANCE) {
      first = i;
      break;
    }
  }
  if (first < 0) return NaN;
  const y1 = values[first]!;
  if (Math.abs(y1 - target) < TOLERANCE) {
    for (let j = first + 1; j < m; j++) {
      const v = values[j]!;
      if (!Number.isNaN(v) && v < y1) return (time[first]! + time[j]!) / 2;
    }
  }
  return time[first]!;
}

/**
 * Time at which the curve (and its confidence limits) cross survival probability 1 - p; p = 0.5 is the
 * median.
 *
 * @example survivalQuantile(kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]), 0.5).median // 2.5
 */
export function survivalQuantile(curve: KaplanMeierCurve, p: number): MedianSurvival {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const target = 1 - p;
  return {
    median: crossing(curve.time, curve.survival, target),
    lower: crossing(curve.time, curve.lower, target),
    upper: crossing(curve.time, curve.upper, target),
  };
}

/**
 * Median survival time with R's confidence limits (NaN where R prints NA).
 *
 * @example medianSurvival(kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1])) // { median: 2.5, lower: 1, upper: NaN }
 */
export function medianSurvival(curve: KaplanMeierCurve): MedianSurvival {
  return survivalQuantile(curve, 0.5);
}
