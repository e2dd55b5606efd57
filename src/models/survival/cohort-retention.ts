/**
 * Acquisition-cohort retention matrix: one row per cohort (e.g. customers acquired in '2024-03'), one
 * column per month since acquisition, each cell the share of the cohort still active, with its counts.
 *
 * Rules (documented because every cohort chart depends on them):
 * - a customer is active at month k (k = 0, 1, ...) when they have not churned or churned at a month > k;
 *   `churnMonth` is the month since acquisition in which the customer was lost (0 = lost in the acquisition
 *   month itself, so month 0 is below 100% only if that happens);
 * - censoring: a cohort's cell for month k exists only if the cohort has been observed k months
 *   (k <= monthsObserved, the cohort's observation length, i.e. the months from its acquisition month to
 *   the analysis date). Later cells are null, never 0: the cohort simply has not reached that age. This is
 *   the triangle of a classic cohort table;
 * - monthsObserved is a property of the cohort; rows of one cohort that disagree use the largest value
 *   (a row with churnMonth above its own monthsObserved is rejected);
 * - `pooled` is the retention over all cohorts that have reached month k (Σ active / Σ size over those
 *   cohorts), a size-weighted average that does not mix in cohorts too young to count.
 * Rows may carry a `count` (default 1) so SQL can send one row per (cohort, monthsObserved, churnMonth).
 *
 * @example
 * cohortRetention([
 *   { cohort: '2024-01', monthsObserved: 2, churnMonth: 1 },
 *   { cohort: '2024-01', monthsObserved: 2, churnMonth: null },
 *   { cohort: '2024-02', monthsObserved: 1, churnMonth: null },
 * ]).share // [[1, 0.5, 0.5], [1, 1, null]]
 */

import { SurvivalInputError } from './errors.js';

export interface CohortRow {
  readonly cohort: string;
  /** Whole months the cohort has been observed (acquisition month to analysis date), >= 0. */
  readonly monthsObserved: number;
  /** Month since acquisition in which the customer churned; null when still active. */
  readonly churnMonth: number | null;
  /** Number of identical customers this row stands for; default 1. */
  readonly count?: number;
}

export interface CohortRetention {
  /** Cohort labels, sorted (so '2024-03' comes before '2024-10'). */
  readonly cohorts: readonly string[];
  readonly size: readonly number[];
  readonly monthsObserved: readonly number[];
  /** Months since acquisition: 0 .. the longest observation. */
  readonly months: readonly number[];
  /** active[c][k]: customers of cohort c active at month k; null where not yet observed. */
  readonly active: readonly (readonly (number | null)[])[];
  /** share[c][k] = active / size; null where not yet observed. */
  readonly share: readonly (readonly (number | null)[])[];
  /** Retention pooled over the cohorts observed at month k, with their combined size. */
  readonly pooled: readonly { readonly month: number; readonly share: number; readonly size: number }[];
}

export function cohortRetention(rows: readonly CohortRow[]): CohortRetention {
  const byCohort = new Map<string, { observed: number; size: number; churned: Map<number, number> }>();
  rows.forEach((r, i) => {
    const count = r.count ?? 1;
    if (!(Number.isInteger(r.monthsObserved) && r.monthsObserved >= 0)) {
      throw new SurvivalInputError(
        `cohort row ${i}: monthsObserved must be an integer >= 0, got ${r.monthsObserved}`,
      );
    }
    if (
      r.churnMonth !== null &&
      !(Number.isInteger(r.churnMonth) && r.churnMonth >= 0 && r.churnMonth <= r.monthsObserved)
    ) {
      throw new SurvivalInputError(
        `cohort row ${i}: churnMonth must be null or an integer in [0, monthsObserved = ${r.monthsObserved}], got ${r.churnMonth}`,
      );
    }
    if (!(count >= 0 && count < Infinity))
      throw new SurvivalInputError(`cohort row ${i}: count must be finite and >= 0, got ${count}`);
    let c = byCohort.get(r.cohort);
    if (c === undefined) byCohort.set(r.cohort, (c = { observed: 0, size: 0, churned: new Map() }));
    c.observed = Math.max(c.observed, r.monthsObserved);
    c.size += count;
    if (r.churnMonth !== null) c.churned.set(r.churnMonth, (c.churned.get(r.churnMonth) ?? 0) + count);
  });
  const cohorts = [...byCohort.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const maxMonth = cohorts.reduce((m, c) => Math.max(m, byCohort.get(c)!.observed), 0);
  const months = Array.from({ length: cohorts.length === 0 ? 0 : maxMonth + 1 }, (_, k) => k);
  const active: (number | null)[][] = [];
  const share: (number | null)[][] = [];
  const pooledActive = new Array<number>(months.length).fill(0);
  const pooledSize = new Array<number>(months.length).fill(0);
  for (const label of cohorts) {
    const c = byCohort.get(label)!;
    const rowActive: (number | null)[] = [];
    const rowShare: (number | null)[] = [];
    let remaining = c.size;
    for (const k of months) {
      if (k > c.observed) {
        rowActive.push(null);
        rowShare.push(null);
        continue;
      }
      remaining -= c.churned.get(k) ?? 0; // churned in month k: no longer active at k
      rowActive.push(remaining);
      rowShare.push(c.size > 0 ? remaining / c.size : null);
      pooledActive[k]! += remaining;
      pooledSize[k]! += c.size;
    }
    active.push(rowActive);
    share.push(rowShare);
  }
  return {
    cohorts,
    size: cohorts.map((c) => byCohort.get(c)!.size),
    monthsObserved: cohorts.map((c) => byCohort.get(c)!.observed),
    months,
    active,
    share,
    pooled: months.map((k) => ({
      month: k,
      share: pooledSize[k]! > 0 ? pooledActive[k]! / pooledSize[k]! : NaN,
      size: pooledSize[k]!,
    })),
  };
}
