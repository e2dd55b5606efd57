/**
 * The Kaplan-Meier step function read at chosen times, with R's `summary(fit, times = ..., extend = TRUE)`
 * semantics:
 * - survival, its standard error and interval are those of the last curve time <= t (1, 0 and [1, 1] before
 *   the first time; for log-log R reports NA there and so do we, as NaN);
 * - nRisk is the number still at risk at t: subjects with time >= t (all n before the first time, 0 after the
 *   last one);
 * - nEvent and nCensor count what happened in (previous requested time, t], the first interval starting
 *   at -∞.
 * Requested times are sorted ascending and de-duplicated (R sorts them too). Beyond the last time R drops the
 * row unless extend = TRUE; we always return it (survival stays at its last value, nRisk is 0).
 */

import { confidenceZ, survivalInterval } from './confidence.js';
import type { KaplanMeierCurve } from './kaplan-meier.js';

export interface SurvivalAtTime {
  readonly time: number;
  readonly nRisk: number;
  readonly nEvent: number;
  readonly nCensor: number;
  readonly survival: number;
  readonly stdErr: number;
  readonly lower: number;
  readonly upper: number;
}

/** Index of the last curve time <= t (binary search), or -1. */
export function lastIndexAtOrBefore(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length; // invariant: time[i] <= t for i < lo, time[i] > t for i >= hi
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Survival (with SE, interval and counts) at the requested times.
 *
 * @example survivalAt(kaplanMeier([1, 2, 2, 3], [1, 1, 0, 1]), [2.5])
 * // [{ time: 2.5, nRisk: 1, nEvent: 2, nCensor: 1, survival: 0.5, ... }]
 */
export function survivalAt(curve: KaplanMeierCurve, times: readonly number[]): SurvivalAtTime[] {
  for (const t of times) {
    if (Number.isNaN(t)) throw new RangeError('requested time is NaN');
  }
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const z = confidenceZ(curve.confLevel);
  const out: SurvivalAtTime[] = [];
  let previous = -1; // index of the last curve time counted so far
  for (const t of sorted) {
    const i = lastIndexAtOrBefore(curve.time, t);
    let nEvent = 0;
    let nCensor = 0;
    for (let k = previous + 1; k <= i; k++) {
      nEvent += curve.nEvent[k]!;
      nCensor += curve.nCensor[k]!;
    }
    previous = Math.max(previous, i);
    // At risk at t: the risk set of the first curve time >= t.
    const next = i >= 0 && curve.time[i] === t ? i : i + 1;
    const nRisk = next < curve.time.length ? curve.nRisk[next]! : 0;
    if (i < 0) {
      const [lower, upper] = survivalInterval(1, 0, z, curve.confType);
      out.push({ time: t, nRisk, nEvent, nCensor, survival: 1, stdErr: 0, lower, upper });
    } else {
      out.push({
        time: t,
        nRisk,
        nEvent,
        nCensor,
        survival: curve.survival[i]!,
        stdErr: curve.stdErr[i]!,
        lower: curve.lower[i]!,
        upper: curve.upper[i]!,
      });
    }
  }
  return out;
}
