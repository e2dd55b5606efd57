/** Per-customer value measures that value segmentations are built from. */
export interface CustomerValueOptions {
  /** Inclusive `YYYY-MM-DD`; default the last transaction day. */
  readonly asOf?: string;
  /** Window of "current" value in days, ending at the as-of date; default 365. */
  readonly windowDays?: number;
}

export interface CustomerValues {
  readonly asOf: string;
  readonly windowDays: number;
  readonly customerIds: readonly string[];
  /** Net amount in the window. */
  readonly revenue: Float64Array;
  /** Net amount minus recorded cost in the window (cost 0 where not recorded). */
  readonly profit: Float64Array;
  /** Purchase days in the window. */
  readonly frequency: Float64Array;
  /** Revenue per purchase day in the window (0 without purchases). */
  readonly averageOrderValue: Float64Array;
  /** Net amount in the last 90 days. */
  readonly recentRevenue: Float64Array;
  /** Revenue per calendar month with any transaction in the window (ARPU). */
  readonly monthlyRevenue: Float64Array;
  /** Whether any cost was recorded in the window (else profit = revenue). */
  readonly hasCost: boolean;
}
