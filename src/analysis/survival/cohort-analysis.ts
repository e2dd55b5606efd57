/**
 * The acquisition-cohort retention matrix of the workspace: cohorts by the month (or quarter, year) of the
 * first subscription start (or first purchase without subscriptions) x periods since, each cell the share
 * of the cohort still active at the end of that period with its count. A relationship ends as in the
 * Kaplan-Meier analysis (engine/survival-types.ts); only complete periods count, so a cohort's cells after
 * its last complete period are null (not yet observed), never 0.
 */
import type { Engine } from '../../engine/engine.js';
import { COHORT_PERIODS, type CohortPeriod, type SurvivalDataSource } from '../../engine/survival-types.js';
import { cohortRetention } from '../../models/survival/cohort-retention.js';
import { UserError } from '../../util/errors.js';

export interface CohortAnalysisOptions {
  /** Default month. */
  readonly period?: CohortPeriod;
  /** Inclusive `YYYY-MM-DD`; default the last day of data. */
  readonly asOf?: string;
  /** Show periods since acquisition 0..maxPeriods only. */
  readonly maxPeriods?: number;
  /** Transactions source: lost after this many days without a purchase (default 60). */
  readonly lostDays?: number;
}

export interface CohortReportRow {
  readonly cohort: string;
  readonly size: number;
  /** Complete periods observed after the acquisition period (capped at maxPeriods). */
  readonly periodsObserved: number;
  /** Customers still active at the end of period k; null where not yet observed. */
  readonly active: readonly (number | null)[];
  readonly share: readonly (number | null)[];
}

export interface CohortReport {
  readonly source: SurvivalDataSource;
  readonly asOf: string;
  readonly period: CohortPeriod;
  /** Periods since acquisition: 0 .. the longest observation. */
  readonly periods: readonly number[];
  readonly cohorts: readonly CohortReportRow[];
  /** Retention over the cohorts that have reached period k (size-weighted). */
  readonly pooled: readonly { readonly period: number; readonly share: number; readonly size: number }[];
  readonly customers: number;
  /** Customers of a cohort whose acquisition period is not complete yet (left out). */
  readonly incomplete: number;
}

/**
 * @example const m = await cohortAnalysis(engine, { asOf: '2025-12-31', maxPeriods: 24 });
 */
export async function cohortAnalysis(
  engine: Engine,
  options: CohortAnalysisOptions = {},
): Promise<CohortReport> {
  const period = options.period ?? 'month';
  if (!(COHORT_PERIODS as readonly string[]).includes(period))
    throw new UserError(`--by must be one of ${COHORT_PERIODS.join(', ')}, not "${period}"`);
  const counts = await engine.cohortCounts({
    period,
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.maxPeriods === undefined ? {} : { maxPeriods: options.maxPeriods }),
    ...(options.lostDays === undefined ? {} : { lostDays: options.lostDays }),
  });
  const m = cohortRetention(
    counts.rows.map((r) => ({
      cohort: r.cohort,
      monthsObserved: r.periodsObserved,
      churnMonth: r.churnPeriod,
      count: r.customers,
    })),
  );
  return {
    source: counts.source,
    asOf: counts.asOf,
    period,
    periods: m.months,
    cohorts: m.cohorts.map((cohort, i) => ({
      cohort,
      size: m.size[i]!,
      periodsObserved: m.monthsObserved[i]!,
      active: m.active[i]!,
      share: m.share[i]!,
    })),
    pooled: m.pooled.map((p) => ({ period: p.month, share: p.share, size: p.size })),
    customers: m.size.reduce((s, n) => s + n, 0),
    incomplete: counts.incomplete,
  };
}
