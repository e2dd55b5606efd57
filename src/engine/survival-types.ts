/**
 * Survival data an engine builds from the workspace: one customer's relationship as a (start, stop, event)
 * triple, reduced in SQL to what the survival models need (counts per time for Kaplan-Meier and the
 * log-rank test, per-customer rows for Cox, counts per cohort cell for the retention matrix).
 *
 * Source: the subscriptions table when it has a subscription starting on or before the as-of day, else the
 * transactions table.
 * - subscriptions: start = the first subscription start; the relationship ended (event) when every
 *   subscription started by the as-of day had ended by it (stop = the last end), or when a churn event on
 *   or after the last subscription start is dated by it (stop = that day); otherwise it is censored at the
 *   as-of day. End dates after the as-of day are not known yet (the subscription is active).
 * - transactions: start = the first purchase, stop = the last purchase (both up to the as-of day); the
 *   customer is lost (event) when the last purchase is more than `lostDays` old at the as-of day or a churn
 *   event on or after it is dated by the as-of day; otherwise censored at the last purchase (the last day
 *   known alive, so later purchases can only lengthen the time).
 */

/** Customer columns a workspace analysis may group by; `plan` prefers the last subscription's plan. */
export const SURVIVAL_GROUP_COLUMNS = ['region', 'plan', 'channel', 'segment', 'gender'] as const;
export type SurvivalGroupColumn = (typeof SURVIVAL_GROUP_COLUMNS)[number];

/** Numeric workspace covariates: the last subscription's monthly fee, the customer's age. */
export const SURVIVAL_NUMERIC_COVARIATES = ['monthly_fee', 'age'] as const;
export const SURVIVAL_COVARIATES = [...SURVIVAL_GROUP_COLUMNS, ...SURVIVAL_NUMERIC_COVARIATES] as const;
export type SurvivalCovariate = (typeof SURVIVAL_COVARIATES)[number];

/** Which table the relationships come from. */
export type SurvivalDataSource = 'subscriptions' | 'transactions';

/** The label of a group whose value is missing (NULL) in the workspace. */
export const MISSING_GROUP = '(missing)';

export interface SurvivalDataOptions {
  /** Inclusive analysis day `YYYY-MM-DD`; default the last day of data (transactions, subscriptions, churn events). */
  readonly asOf?: string;
  /** Transactions source: lost after this many days without a purchase (default 60). */
  readonly lostDays?: number;
}

export interface SurvivalCountsOptions extends SurvivalDataOptions {
  /** Group by this customer column; null or omitted: one group named `all`. */
  readonly by?: SurvivalGroupColumn | null;
}

/** Customers of one group whose relationship lasted exactly `days` days, split into events and censored. */
export interface SurvivalDayCount {
  readonly group: string;
  readonly days: number;
  readonly events: number;
  readonly censored: number;
}

export interface SurvivalCounts {
  readonly source: SurvivalDataSource;
  readonly asOf: string;
  /** Sorted by group, then days. */
  readonly rows: readonly SurvivalDayCount[];
}

export interface SurvivalSubjectsOptions extends SurvivalDataOptions {
  readonly covariates: readonly SurvivalCovariate[];
}

/** One row per customer (columnar), for models that need individual rows (Cox). */
export interface SurvivalSubjects {
  readonly source: SurvivalDataSource;
  readonly asOf: string;
  readonly customerIds: readonly string[];
  readonly days: Float64Array;
  /** 1 = the relationship ended, 0 = censored. */
  readonly events: Uint8Array;
  /** Numeric covariates; NaN = missing. */
  readonly numeric: readonly { readonly name: SurvivalCovariate; readonly values: Float64Array }[];
  /** Text covariates; '' = missing. */
  readonly categorical: readonly { readonly name: SurvivalCovariate; readonly values: readonly string[] }[];
}

export const COHORT_PERIODS = ['month', 'quarter', 'year'] as const;
export type CohortPeriod = (typeof COHORT_PERIODS)[number];

export interface CohortCountsOptions extends SurvivalDataOptions {
  /** Length of a cohort and of a step since acquisition; default month. */
  readonly period?: CohortPeriod;
  /** Report at most this many periods since acquisition (0..maxPeriods). */
  readonly maxPeriods?: number;
}

/**
 * Customers of one cohort with the same observation length and churn period. `periodsObserved` counts the
 * complete periods after the acquisition period up to the as-of day (the acquisition period is period 0);
 * `churnPeriod` is the period since acquisition in which the relationship ended, null when it has not ended
 * within the observed periods.
 */
export interface CohortCount {
  readonly cohort: string;
  readonly periodsObserved: number;
  readonly churnPeriod: number | null;
  readonly customers: number;
}

export interface CohortCounts {
  readonly source: SurvivalDataSource;
  readonly asOf: string;
  readonly period: CohortPeriod;
  readonly rows: readonly CohortCount[];
  /** Customers left out because their acquisition period is not complete at the as-of day. */
  readonly incomplete: number;
}
