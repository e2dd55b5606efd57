import type { CustomerAlertSpec } from './alert-types.js';

/** Lifecycle rules and the per-customer signals and stages an engine computes (DOMAIN.md 3). */
export const LIFECYCLE_MODELS = ['states', 'four-stage', 'five-stage'] as const;
export type LifecycleModel = (typeof LIFECYCLE_MODELS)[number];

/** Every threshold of the default rules is a named setting (days unless said otherwise). */
export interface LifecycleRules {
  /** Active while recency <= activeDays. */
  readonly activeDays: number;
  /** Dormant while activeDays < recency <= lostDays; lost beyond (or on a recorded churn / ended contract). */
  readonly lostDays: number;
  /** New while the first purchase is within newDays. */
  readonly newDays: number;
  /** Reactivated while the first purchase after a lost spell is within reactivatedDays. */
  readonly reactivatedDays: number;
  /** Exploration while tenure < explorationDays or purchases < explorationPurchases. */
  readonly explorationDays: number;
  readonly explorationPurchases: number;
  /** Spend trend window: the last trendDays vs the trendDays before. */
  readonly trendDays: number;
  /** Formation above +growth, decline below -growth, stability between (e.g. 0.2 = 20 %). */
  readonly growth: number;
  /**
   * Patterns of ended relationships, by the relationship's length at the last purchase: I (ended in
   * exploration, as above), II below patternFormationDays, III below patternStableDays, IV longer.
   */
  readonly patternFormationDays: number;
  readonly patternStableDays: number;
  /**
   * "Decline ... or at an orange/red alert": an established customer (past exploration) whose early-warning
   * level (DOMAIN 5.3) reaches this severity is in decline whatever the 90-day trend. Severity is the level's
   * position in the alert rules (default rules: 1 yellow, 2 orange, 3 red); 0 turns the rule off.
   */
  readonly declineAlertSeverity: number;
  /**
   * 0 (default): only levels fired by the F or M decline count, since a monthly-billed customer is 11-30
   * days from the last bill most of the time and R alone would put most of them at orange. 1: levels fired
   * by R count too.
   */
  readonly declineOnRecencyAlert: number;
}

export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = {
  activeDays: 30,
  lostDays: 60,
  newDays: 90,
  reactivatedDays: 90,
  explorationDays: 90,
  explorationPurchases: 3,
  trendDays: 90,
  growth: 0.2,
  patternFormationDays: 365,
  patternStableDays: 1095,
  declineAlertSeverity: 2,
  declineOnRecencyAlert: 0,
};

export interface LifecycleOptions {
  readonly asOf: string;
  readonly rules: LifecycleRules;
  /** The early-warning rules for `declineAlertSeverity`; null or absent: no alert-based decline. */
  readonly alerts?: CustomerAlertSpec | null;
}

/** Every customer's stage in the three models, with the rule that placed them and the numbers it used. */
export interface LifecycleStages {
  readonly asOf: string;
  readonly customerIds: readonly string[];
  /** Days since the last purchase (NaN without purchases). */
  readonly recency: Float64Array;
  /** Days since the first purchase or the signup, whichever is earlier. */
  readonly tenure: Float64Array;
  readonly purchases: Float64Array;
  readonly spendRecent: Float64Array;
  readonly spendPrevious: Float64Array;
  /** (recent - previous) / previous; +Infinity when only recent spend, -1 when neither. */
  readonly trend: Float64Array;
  readonly state: readonly string[];
  readonly stateRule: readonly string[];
  readonly fourStage: readonly string[];
  readonly fiveStage: readonly string[];
  readonly stageRule: readonly string[];
  /** Pattern I-IV of an ended relationship (lost customers), '' otherwise. */
  readonly pattern: readonly string[];
  /** The early-warning level that counts for decline ('' for none or when alerts are not used). */
  readonly alertLevel: readonly string[];
}

/** Customers per combination of state, stages and pattern (the summary without per-customer rows). */
export interface LifecycleCount {
  readonly state: string;
  readonly fourStage: string;
  readonly fiveStage: string;
  readonly pattern: string;
  readonly customers: number;
}

export interface LifecycleHistoryRow {
  readonly monthEnd: string;
  readonly stage: string;
  readonly customers: number;
}

export interface LifecycleTransition {
  readonly from: string;
  readonly to: string;
  readonly customers: number;
}
