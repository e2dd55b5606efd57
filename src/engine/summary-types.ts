/** Options of the per-customer (frequency, recency, age, spend) summary the probabilistic CLV models fit on. */
export type TimeUnit = 'day' | 'week' | 'month';

/** Days in one time unit (a month is a twelfth of a Julian year). */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { day: 1, week: 7, month: 365.25 / 12 };

export interface SummaryOptions {
  /** Last day of the calibration period, inclusive, `YYYY-MM-DD`. Default: the last transaction day. */
  readonly calibrationEnd?: string;
  /** Last day of the holdout period, inclusive; holdout actuals are computed when given. */
  readonly holdoutEnd?: string;
  /** Unit of t_x and T (and of model rates). Default week. */
  readonly timeUnit?: TimeUnit;
  /** Purchases within one period of this length are merged into one (amounts summed). Default day. */
  readonly mergePeriod?: TimeUnit;
}

/** One row per customer with a first purchase on or before the calibration end; arrays share the order. */
export interface CustomerSummary {
  readonly calibrationEnd: string;
  readonly holdoutEnd: string | null;
  readonly timeUnit: TimeUnit;
  readonly mergePeriod: TimeUnit;
  readonly customerIds: readonly string[];
  /** Repeat purchase periods in calibration (purchase periods - 1). */
  readonly x: Float64Array;
  /** Time of the last calibration purchase after the first, in time units. */
  readonly tx: Float64Array;
  /** Time from the first purchase to the calibration end, in time units. */
  readonly T: Float64Array;
  /** Mean amount of the repeat purchase periods (0 when x = 0). */
  readonly monetary: Float64Array;
  /** First purchase date, `YYYY-MM-DD`. */
  readonly firstPurchase: readonly string[];
  /** Holdout purchase periods and their mean amount (null without a holdout). */
  readonly holdoutX: Float64Array | null;
  readonly holdoutMonetary: Float64Array | null;
  /** Holdout length in time units. */
  readonly holdoutLength: number | null;
}

export interface SubscriptionCohortOptions {
  /** Period length of the cohorts and of survival. Default month. */
  readonly unit?: TimeUnit;
  /** Observation date, `YYYY-MM-DD`; default the latest start or end date. */
  readonly asOf?: string;
}

/** Survivors of each acquisition cohort at periods 0, 1, 2, ... (index = whole periods since start). */
export interface SubscriptionCohorts {
  readonly unit: TimeUnit;
  readonly asOf: string;
  readonly cohorts: readonly { readonly cohort: string; readonly survivors: readonly number[] }[];
}

export interface TransactionSeriesOptions {
  /** Last day of the calibration period, inclusive. Default: the last transaction day. */
  readonly calibrationEnd?: string;
  /** Last day of the holdout period, inclusive; without it the series stops at the calibration end. */
  readonly holdoutEnd?: string;
  /** Period length of the series (and unit of the times). Default week. */
  readonly timeUnit?: TimeUnit;
  /** Purchases within one period of this length are merged into one, as in the summary. Default day. */
  readonly mergePeriod?: TimeUnit;
}

/**
 * Repeat purchases per period of the customers whose first purchase is on or before the calibration end
 * (merged as in `CustomerSummary`, first purchase excluded), and those customers by first-purchase day.
 * Period k ends k time units after the calibration end (inclusive, days counted as in T: a purchase on
 * day D lies at time D - calibration end): k <= 0 are calibration periods, k >= 1 holdout periods (the last
 * one is cut at the holdout end). The series runs from the period holding the earliest first purchase.
 */
export interface TransactionSeries {
  readonly calibrationEnd: string;
  readonly holdoutEnd: string | null;
  readonly timeUnit: TimeUnit;
  readonly mergePeriod: TimeUnit;
  /** One entry per period, in time order; arrays share the order. */
  readonly periods: {
    /** k: the period's number relative to the calibration end (<= 0 calibration, >= 1 holdout). */
    readonly k: Float64Array;
    /** First and last day of the period, `YYYY-MM-DD`, inclusive. */
    readonly start: readonly string[];
    readonly end: readonly string[];
    /** End of the period in time units after the calibration end (k, or less for a cut last period). */
    readonly endTime: Float64Array;
    /** Repeat purchase periods (merged purchases after the first) falling in the period. */
    readonly repeatTransactions: Float64Array;
  };
  /** Customers by first-purchase day; arrays share the order (oldest first). */
  readonly cohorts: {
    readonly firstPurchase: readonly string[];
    /** Age at the calibration end in time units (the T of each of these customers). */
    readonly age: Float64Array;
    readonly customers: Float64Array;
  };
}
