/** Point-in-time churn features and labels an engine builds from the workspace (DOMAIN 5.4). */

export interface ChurnFeatureOptions {
  /**
   * Features use only what is dated on or before this day (inclusive `YYYY-MM-DD`). Default: the last
   * data day, minus the horizon when there is one (so that the labels are known).
   */
  readonly asOf?: string;
  /** Label = churned in (asOf, asOf + horizonDays]; null: no label (scoring). */
  readonly horizonDays: number | null;
  /**
   * Without subscriptions, a customer is at risk while their last transaction is at most this many days
   * old, and has churned once it is older (default 60, the lifecycle's lost limit).
   */
  readonly lostDays?: number;
  /** Usage metrics (interactions of kind `usage`) to turn into features, most frequent first (default 12). */
  readonly maxUsageMetrics?: number;
}

export interface ChurnFeatureColumns {
  readonly asOf: string;
  readonly horizonDays: number | null;
  /** `subscriptions`: at risk = a subscription active on the as-of day; `transactions`: recent buyers. */
  readonly population: 'subscriptions' | 'transactions';
  readonly customerIds: readonly string[];
  /** NaN = missing. */
  readonly numeric: readonly { readonly name: string; readonly values: Float64Array }[];
  /** '' = missing. */
  readonly categorical: readonly { readonly name: string; readonly values: readonly string[] }[];
  /** 1 = churned within the horizon; null without a horizon. */
  readonly labels: Uint8Array | null;
  /** The last day the workspace has data for; labels need asOf + horizonDays <= dataEnd. */
  readonly dataEnd: string;
}

/** Scores of one horizon for many customers, as stored. */
export interface ChurnScoreBatch {
  readonly asOf: string;
  readonly horizonDays: number;
  /** Which model file / kind produced them (free text, e.g. `gbdt churn.json`). */
  readonly model: string;
  readonly customerIds: readonly string[];
  readonly probabilities: Float64Array;
  /** JSON text per customer: the top reasons. */
  readonly reasons: readonly string[];
}

export interface StoredChurnScore {
  readonly customerId: string;
  readonly horizonDays: number;
  readonly probability: number;
  readonly reasons: string;
}

export interface ChurnScoreQuery {
  readonly asOf?: string;
  readonly horizonDays?: number;
  readonly limit?: number;
  /** Rows skipped before the first returned (paging). */
  readonly offset?: number;
  readonly customerId?: string;
}

/** A page of stored scores and how many match in all. */
export interface StoredChurnScorePage {
  readonly asOf: string | null;
  readonly total: number;
  readonly scores: StoredChurnScore[];
}

export interface ChurnRateHistoryOptions {
  /** The periods end on or before this day. */
  readonly asOf: string;
  readonly horizonDays: number;
  /** How many periods back (k = 1..periods). */
  readonly periods: number;
  readonly lostDays?: number;
}

export interface ChurnRateHistoryRow {
  /** The period's start: customers at risk on this day, churned within the horizon after it. */
  readonly asOf: string;
  readonly atRisk: number;
  readonly churned: number;
}
