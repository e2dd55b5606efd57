/**
 * Kaplan-Meier estimator with Greenwood standard errors and pointwise confidence intervals, matching R's
 * `survfit(Surv(time, status) ~ 1)` (survival 3.x) at every distinct time, censoring-only times included.
 *
 * The core works on counts per distinct time (`kaplanMeierFromCounts`), so SQL can reduce millions of
 * subjects to a few hundred rows first; `kaplanMeier` does that reduction itself from typed arrays.
 *
 *   S(t) = Π_{t_i <= t} (1 - d_i / n_i),   Var[log S(t)] ≈ Σ_{t_i <= t} d_i / (n_i (n_i - d_i))   (Greenwood)
 *
 * where n_i is the number at risk just before t_i (all subjects with time >= t_i: a subject censored at t_i
 * counts as at risk for the events at t_i) and d_i the number of events at t_i. Time 0 is an ordinary time:
 * subjects with time 0 are at risk at 0 (R agrees; in the Telco data 11 customers have tenure 0).
 * When everyone at risk dies (n_i = d_i) S drops to 0 and the Greenwood term is infinite, as in R.
 *
 * Reference: Kaplan & Meier (1958); Greenwood (1926); Therneau & Grambsch (2000), chapter 2.
 *
 * @example
 * const km = kaplanMeier([1, 2, 2, 3], [1, 1, 0, 1]);
 * km.survival // [0.75, 0.5, 0]
 */

import { confidenceZ, survivalInterval, type ConfType } from './confidence.js';
import { aggregateSurvival, countsFromRows, type SurvivalCountRow, type SurvivalCounts } from './counts.js';

export interface KaplanMeierOptions {
  /** Confidence level of the pointwise intervals (R's conf.int); default 0.95. */
  readonly confLevel?: number;
  /** Interval transform (R's conf.type); default 'log' as in R. */
  readonly confType?: ConfType;
}

/** One Kaplan-Meier curve, columnar, one entry per distinct time (ascending). */
export interface KaplanMeierCurve {
  /** Number of subjects (sum of all events and censorings). */
  readonly n: number;
  /** Total number of events. */
  readonly events: number;
  readonly confLevel: number;
  readonly confType: ConfType;
  readonly time: Float64Array;
  /** Number at risk just before each time. */
  readonly nRisk: Float64Array;
  readonly nEvent: Float64Array;
  readonly nCensor: Float64Array;
  readonly survival: Float64Array;
  /** Greenwood standard error of S (R: summary(fit)$std.err). */
  readonly stdErr: Float64Array;
  /** Greenwood standard error of log S, i.e. of the cumulative hazard (R: fit$std.err). */
  readonly stdErrLog: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Resolved options with R's defaults. */
export function kmOptions(options: KaplanMeierOptions = {}): {
  confLevel: number;
  confType: ConfType;
  z: number;
} {
  const confLevel = options.confLevel ?? 0.95;
  const confType = options.confType ?? 'log';
  if (confType !== 'log' && confType !== 'log-log' && confType !== 'plain') {
    throw new RangeError(`confType must be 'log', 'log-log' or 'plain', got ${String(confType)}`);
  }
  return { confLevel, confType, z: confidenceZ(confLevel) };
}

/**
 * Kaplan-Meier curve from sorted distinct-time counts (the output of `aggregateSurvival` or
 * `countsFromRows`). O(number of distinct times).
 */
export function kaplanMeierFromSortedCounts(
  counts: SurvivalCounts,
  options: KaplanMeierOptions = {},
): KaplanMeierCurve {
  const { confLevel, confType, z } = kmOptions(options);
  const m = counts.time.length;
  const nRisk = new Float64Array(m);
  let atRisk = 0;
  let events = 0;
  for (let i = m - 1; i >= 0; i--) {
    atRisk += counts.events[i]! + counts.censored[i]!;
    events += counts.events[i]!;
    nRisk[i] = atRisk;
  }
  const survival = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const stdErrLog = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  let s = 1;
  let greenwood = 0;
  for (let i = 0; i < m; i++) {
    const d = counts.events[i]!;
    const r = nRisk[i]!;
    if (d > 0) {
      // Multiply the factors (rather than exp of a sum of logs): the same rounding as R's product.
      s *= (r - d) / r;
      greenwood += r > d ? d / (r * (r - d)) : Infinity;
    }
    const se = Math.sqrt(greenwood);
    survival[i] = s;
    stdErrLog[i] = se;
    stdErr[i] = s * se;
    const [lo, hi] = survivalInterval(s, se, z, confType);
    lower[i] = lo;
    upper[i] = hi;
  }
  return {
    n: atRisk,
    events,
    confLevel,
    confType,
    time: counts.time.slice(),
    nRisk,
    nEvent: counts.events.slice(),
    nCensor: counts.censored.slice(),
    survival,
    stdErr,
    stdErrLog,
    lower,
    upper,
  };
}

/**
 * Kaplan-Meier curve from counts per time, e.g. `SELECT tenure, sum(churned), sum(1 - churned) GROUP BY
 * tenure`. Rows may come in any order and repeat a time (they are summed).
 *
 * @example kaplanMeierFromCounts([{ time: 1, events: 1, censored: 0 }, { time: 2, events: 1, censored: 2 }])
 * // survival [0.75, 0.5]
 */
export function kaplanMeierFromCounts(
  rows: readonly SurvivalCountRow[],
  options: KaplanMeierOptions = {},
): KaplanMeierCurve {
  return kaplanMeierFromSortedCounts(countsFromRows(rows), options);
}

/**
 * Kaplan-Meier curve from one (time, event) pair per subject; event 1/true = the event (churn), 0/false =
 * censored. Typed arrays are the fast path (integer times are tallied in O(n)).
 *
 * @example kaplanMeier(Float64Array.of(1, 2, 2, 3), Uint8Array.of(1, 1, 0, 1)).survival // [0.75, 0.5, 0]
 */
export function kaplanMeier(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  options: KaplanMeierOptions = {},
): KaplanMeierCurve {
  return kaplanMeierFromSortedCounts(aggregateSurvival(times, events), options);
}
