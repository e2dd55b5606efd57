/**
 * Options and results of the early-warning (流失预警) operations an engine computes: per-customer alert
 * levels from recency and the F / M decline against the customer's own baseline (DOMAIN 5.3), per-group
 * period statistics for group warnings, the car dealer's visit grades, and the stored alert history.
 * The rules arrive already checked (see `src/analysis/alerts/rules.ts`); percentages are 0..100.
 */

/** Inclusive range of whole days. */
export interface DayRange {
  readonly from: number;
  readonly to: number;
}

/** A decline in percent: above `above` (exclusive) and up to `upTo` (inclusive; null = no upper limit). */
export interface PercentRange {
  readonly above: number;
  readonly upTo: number | null;
}

/** One warning level; a customer is at the highest level any of whose conditions holds. */
export interface AlertLevelSpec {
  readonly name: string;
  readonly recencyDays: DayRange | null;
  readonly frequencyDownPercent: PercentRange | null;
  readonly monetaryDownPercent: PercentRange | null;
}

/** Bits of `fired`: which of the level's conditions held. */
export const FIRED_RECENCY = 1;
export const FIRED_FREQUENCY = 2;
export const FIRED_MONETARY = 4;

/** Severity of the `lost` status (beyond every warning level). */
export const LOST_SEVERITY = 99;
export const LOST_LEVEL = 'lost';

export type AlertChange = 'new' | 'escalated' | 'lowered' | 'unchanged' | 'lost' | 'returned' | 'cleared';
export const ALERT_CHANGES: readonly AlertChange[] = [
  'new',
  'escalated',
  'lowered',
  'unchanged',
  'lost',
  'returned',
  'cleared',
];

/** The rules that place a customer at a level: everything of the options but the run's date and outputs. */
export type CustomerAlertSpec = Pick<
  CustomerAlertOptions,
  'kinds' | 'levels' | 'lostAfterDays' | 'baselineMonths' | 'recentDays'
>;

export interface CustomerAlertOptions {
  /** Inclusive `YYYY-MM-DD`; default the last transaction day. */
  readonly asOf?: string;
  /** Transaction kinds counted (null: all). */
  readonly kinds: readonly string[] | null;
  /** Warning levels, lowest severity first (severity = position + 1). */
  readonly levels: readonly AlertLevelSpec[];
  /** R above this many days = lost. */
  readonly lostAfterDays: number;
  /** Baseline: the calendar months before the last-transaction month. */
  readonly baselineMonths: number;
  /** The recent window: this many days ending with the last transaction day. */
  readonly recentDays: number;
  /** Store the run (replacing a stored run of the same as-of date). */
  readonly save?: { readonly rulesHash: string; readonly rules: unknown } | null;
  /** Return every customer's row (for CSV output). */
  readonly perCustomer?: boolean;
  /** Return this many alerts, most severe first (lost customers excluded). */
  readonly list?: number;
}

export interface CustomerAlertRow {
  readonly customerId: string;
  readonly level: string;
  readonly severity: number;
  readonly lastTransaction: string;
  readonly recency: number;
  /** First transaction in or before the first baseline month. */
  readonly fullHistory: boolean;
  readonly recentCount: number;
  readonly baselineMonthlyCount: number;
  readonly frequencyDownPercent: number | null;
  readonly recentAmount: number;
  readonly baselineMonthlyAmount: number;
  readonly monetaryDownPercent: number | null;
  /** FIRED_* bits: the conditions of `level` that held. */
  readonly fired: number;
  /** Against the previous stored run; null when there is none. */
  readonly change: AlertChange | null;
  readonly previousLevel: string | null;
}

/** One row per customer with a transaction up to the as-of date, and per customer whose alert was cleared. */
export interface CustomerAlertColumns {
  readonly customerIds: readonly string[];
  /** '' = no level now. */
  readonly level: readonly string[];
  readonly severity: Float64Array;
  readonly lastTransaction: readonly string[];
  readonly recency: Float64Array;
  readonly fullHistory: Float64Array;
  readonly recentCount: Float64Array;
  readonly baselineMonthlyCount: Float64Array;
  readonly frequencyDownPercent: Float64Array;
  readonly recentAmount: Float64Array;
  readonly baselineMonthlyAmount: Float64Array;
  readonly monetaryDownPercent: Float64Array;
  readonly fired: Float64Array;
  readonly change: readonly string[];
  readonly previousLevel: readonly string[];
}

export interface AlertLevelCount {
  readonly level: string;
  readonly severity: number;
  readonly customers: number;
  /** Customers at this level by the condition that held (a customer may count in several). */
  readonly byRecency: number;
  readonly byFrequency: number;
  readonly byMonetary: number;
}

export interface CustomerAlertResult {
  readonly asOf: string;
  /** Customers with a transaction (of the counted kinds) up to the as-of date. */
  readonly customers: number;
  /** Customers in `customers` without such a transaction (no level). */
  readonly withoutTransactions: number;
  /** Customers without a full baseline (R-based levels only). */
  readonly shortHistory: number;
  /** Customers at no level (possible only when the levels' R ranges leave gaps). */
  readonly noLevel: number;
  /** Every level and `lost`, by severity. */
  readonly levels: readonly AlertLevelCount[];
  /** The stored run compared with, null when there is none before the as-of date. */
  readonly previous: { readonly asOf: string; readonly rulesHash: string } | null;
  readonly changes: Readonly<Record<AlertChange, number>> | null;
  readonly saved: boolean;
  readonly list: readonly CustomerAlertRow[];
  readonly perCustomer: CustomerAlertColumns | null;
}

/** A stored run of `retain alerts`. */
export interface AlertRun {
  readonly asOf: string;
  readonly savedAt: string;
  readonly rulesHash: string;
  readonly customers: number;
  /** Customers per level (and `lost`). */
  readonly levels: Readonly<Record<string, number>>;
  readonly groupAlerts: number;
}

export interface GroupAlertStatsOptions {
  readonly asOf?: string;
  readonly kinds: readonly string[] | null;
  /** Customer columns to group by; `all` = every customer as one group. */
  readonly dimensions: readonly string[];
  readonly periodDays: number;
  readonly baselinePeriods: number;
  readonly lostAfterDays: number;
  /** `churn_events`: churn records; `inactivity`: customers turning lost; `auto`: events when there are any. */
  readonly churnSource: 'auto' | 'churn_events' | 'inactivity';
}

/**
 * Product-level warnings (DOMAIN 5.3): the same period statistics per product or category, where a unit is
 * a customer's buying of that product: active while the customer bought it within `lapseAfterDays` before
 * the period, churned when they lapse from it in the period, spend = their spend on it.
 */
export interface ProductAlertStatsOptions {
  readonly asOf?: string;
  readonly kinds: readonly string[] | null;
  /** Transaction columns to group by. */
  readonly dimensions: readonly ('product' | 'category')[];
  readonly periodDays: number;
  readonly baselinePeriods: number;
  readonly lapseAfterDays: number;
}

/** One group in one period: period 0 is the current one, 1..n the baseline periods before it. */
export interface GroupPeriodStats {
  readonly dimension: string;
  readonly group: string;
  readonly period: number;
  /** Customers active (R within the lost limit) at the period's start. */
  readonly active: number;
  /** Of those, customers who churned in the period. */
  readonly churned: number;
  /** Their spend in the period (sum, and sum of squares of each customer's spend). */
  readonly spend: number;
  readonly spendSquares: number;
}

export interface GroupAlertStats {
  readonly asOf: string;
  readonly churnSource: 'churn_events' | 'inactivity';
  /** First and last day of each period, period 0 first. */
  readonly periods: readonly { readonly period: number; readonly from: string; readonly to: string }[];
  readonly rows: readonly GroupPeriodStats[];
}

/** A group warning as stored with its run. */
export interface StoredGroupAlert {
  readonly dimension: string;
  readonly group: string;
  readonly metric: 'churn_rate' | 'spend';
  /** Churn rate (0..1) or spend per active customer, in the current period and the baseline periods. */
  readonly current: number;
  readonly baseline: number;
  /** 100 (current / baseline - 1); null when the baseline is 0. */
  readonly changePercent: number | null;
  /** Two-sample z statistic of current against baseline (positive: higher now). */
  readonly z: number;
}

export interface DealerGradeSpec {
  readonly grade: string;
  readonly minVisits: number;
}

export interface DealerGradeOptions {
  readonly asOf?: string;
  readonly visitKinds: readonly string[];
  /** Grades by visits in the window, highest `minVisits` first; the last has minVisits 0. */
  readonly grades: readonly DealerGradeSpec[];
  readonly gradeWindowMonths: number;
  readonly surveyAfterMonths: number;
  readonly perCustomer?: boolean;
  /** Return this many customers of the survey list (longest absence first). */
  readonly list?: number;
}

export interface DealerCustomerRow {
  readonly customerId: string;
  readonly visits: number;
  readonly lastVisit: string | null;
  /** Signup or first transaction, whichever is earlier. */
  readonly customerSince: string;
  readonly grade: string;
  /** Days since the last visit (or, without visits, since `customerSince`). */
  readonly daysAbsent: number;
  readonly survey: boolean;
}

export interface DealerGradeResult {
  readonly asOf: string;
  readonly customers: number;
  readonly grades: readonly {
    readonly grade: string;
    readonly minVisits: number;
    readonly customers: number;
  }[];
  readonly survey: number;
  /** Of the survey list, customers who never visited. */
  readonly surveyNeverVisited: number;
  readonly list: readonly DealerCustomerRow[];
  readonly perCustomer: {
    readonly customerIds: readonly string[];
    readonly visits: Float64Array;
    readonly lastVisit: readonly string[];
    readonly customerSince: readonly string[];
    readonly grade: readonly string[];
    readonly daysAbsent: Float64Array;
    readonly survey: Float64Array;
  } | null;
}
