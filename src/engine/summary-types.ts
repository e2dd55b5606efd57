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
