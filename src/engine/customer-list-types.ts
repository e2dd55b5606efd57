/** Paged customer list and one customer's record, for the API and the dashboard (never the whole table). */
export const CUSTOMER_SORTS = ['id', 'revenue', 'churn'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerListQuery {
  /** Case-insensitive substring of the customer id (matched literally: `%` and `_` are not wildcards). */
  readonly search?: string;
  readonly limit: number;
  readonly offset: number;
  /** id ascending (default), revenue or churn probability descending. */
  readonly sort?: CustomerSort;
}

export interface CustomerListRow {
  readonly customerId: string;
  readonly region: string | null;
  readonly plan: string | null;
  readonly segment: string | null;
  /** Net amount of every transaction. */
  readonly revenue: number;
  /** Lifecycle state at the latest recorded month end (`retain lifecycle history`), null when none. */
  readonly stage: string | null;
  /** Stored churn probability of the latest scoring day, shortest horizon; null when not scored. */
  readonly churnProbability: number | null;
}

export interface CustomerList {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly stageAsOf: string | null;
  readonly scoresAsOf: string | null;
  readonly churnHorizonDays: number | null;
  readonly customers: readonly CustomerListRow[];
}

export interface CustomerDetail {
  readonly customerId: string;
  readonly profile: {
    readonly signupDate: string | null;
    readonly region: string | null;
    readonly channel: string | null;
    readonly plan: string | null;
    readonly segment: string | null;
    readonly gender: string | null;
    readonly age: number | null;
    readonly acquisitionCost: number | null;
    readonly attributes: unknown;
    /** Created by an import of another table for an unknown id. */
    readonly isStub: boolean;
  };
  readonly transactions: {
    readonly count: number;
    readonly revenue: number;
    readonly firstPurchase: string | null;
    readonly lastPurchase: string | null;
    /** Purchases and net amount per calendar month (`YYYY-MM`), oldest first: the purchase history. */
    readonly monthly: readonly { readonly month: string; readonly count: number; readonly amount: number }[];
    /** The latest transactions, newest first (at most 20). */
    readonly recent: readonly {
      readonly date: string;
      readonly amount: number;
      readonly product: string | null;
      readonly category: string | null;
      readonly kind: string | null;
    }[];
  };
  readonly subscriptions: readonly {
    readonly subscriptionId: string | null;
    readonly startDate: string;
    readonly endDate: string | null;
    readonly plan: string | null;
    readonly monthlyFee: number | null;
  }[];
  readonly churnEvents: readonly {
    readonly date: string;
    readonly reasonCode: string | null;
    readonly type: string | null;
    readonly note: string | null;
  }[];
  /** Stored churn scores of the latest scoring day, per horizon, with their reasons. */
  readonly churnScores: readonly {
    readonly asOf: string;
    readonly horizonDays: number;
    readonly probability: number;
    readonly model: string;
    readonly reasons: unknown;
  }[];
  /** Lifecycle stages at the latest recorded month end, null when none is recorded. */
  readonly lifecycle: {
    readonly monthEnd: string;
    readonly state: string;
    readonly fourStage: string;
    readonly fiveStage: string;
  } | null;
  /** Early-warning levels of the stored alert runs (`retain alerts`), newest first (at most 12). */
  readonly alerts: readonly {
    readonly asOf: string;
    readonly level: string;
    readonly severity: number;
    readonly recency: number;
    readonly frequencyDownPercent: number | null;
    readonly monetaryDownPercent: number | null;
  }[];
  /**
   * Net revenue over the 365 days to `asOf` (the latest recorded month end, else the last transaction day)
   * against the thresholds of the lifecycle value tiers: the 1/3 and 2/3 quantiles of the paying customers.
   */
  readonly value: {
    readonly asOf: string;
    readonly revenue365: number;
    readonly thresholds: { readonly high: number; readonly medium: number } | null;
  } | null;
}
