/** What engines return when reading stored retention / win-back plans back (the plans list, one plan's pages). */

/** One stored plan with its contacted customers aggregated (by the engine, never listed here). */
export interface StoredPlanSummary {
  readonly planId: string;
  readonly kind: 'retention' | 'winback';
  readonly createdAt: string;
  readonly asOf: string;
  readonly budget: number;
  /** The plan's summary as stored (options, totals). */
  readonly document: unknown;
  /** Customers the plan chose to contact. */
  readonly contacted: number;
  readonly cost: number;
  readonly expectedSaved: number;
  readonly byAction: readonly {
    readonly action: string;
    readonly customers: number;
    readonly cost: number;
    readonly expectedSaved: number;
  }[];
}

export interface StoredPlanPageQuery {
  readonly limit: number;
  readonly offset: number;
}

/** One page of a stored plan's contacted customers (highest expected saved value first). */
export interface StoredPlanItemPage {
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly items: readonly {
    readonly customerId: string;
    readonly action: string;
    readonly cost: number;
    readonly probability: number;
    readonly value: number;
    readonly expectedSaved: number;
  }[];
}
