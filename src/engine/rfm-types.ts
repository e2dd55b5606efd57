/** Options and results of the RFM analysis an engine computes. */
export interface RfmOptions {
  /** Inclusive `YYYY-MM-DD`; default the last transaction day. */
  readonly asOf?: string;
  /** Score bins per dimension (2..10); default 5. */
  readonly bins?: number;
  /** Count F and M over the last N days only; default all history. */
  readonly windowDays?: number;
  /** Segment of each (R, FM) cell on the 1..5 scale: `cells[r - 1][fm - 1]`. */
  readonly cells: readonly (readonly string[])[];
  /** Return every customer's row (else only the segment summary). */
  readonly perCustomer?: boolean;
}

export interface RfmSegmentSummary {
  readonly segment: string;
  readonly customers: number;
  readonly revenue: number;
  readonly customerShare: number;
  readonly revenueShare: number;
  readonly meanRecency: number;
  readonly meanFrequency: number;
  readonly meanMonetary: number;
}

export interface RfmCustomers {
  readonly customerIds: readonly string[];
  readonly recency: Float64Array;
  readonly frequency: Float64Array;
  readonly monetary: Float64Array;
  readonly rScore: Float64Array;
  readonly fScore: Float64Array;
  readonly mScore: Float64Array;
  readonly segment: readonly string[];
}

export interface RfmResult {
  readonly asOf: string;
  readonly bins: number;
  readonly windowDays: number | null;
  readonly customers: number;
  /** Customers in `customers` without a transaction up to the as-of date (not scored). */
  readonly withoutPurchases: number;
  readonly segments: readonly RfmSegmentSummary[];
  /** Lowest value of each score bin, per dimension (recency: highest days for score 1). */
  readonly binEdges: {
    readonly recency: readonly number[];
    readonly frequency: readonly number[];
    readonly monetary: readonly number[];
  };
  readonly perCustomer: RfmCustomers | null;
}
