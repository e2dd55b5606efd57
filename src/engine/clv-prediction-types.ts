/** Stored CLV predictions: the latest per-customer run and the totals of every run (for the trend). */

/** Bins of the histogram below the 99th percentile (the top 1 % get one more bin). */
export const CLV_HISTOGRAM_BINS = 20;

/** Where a stored run came from: the fits, horizon and money assumptions behind it. */
export interface ClvPredictionSource {
  readonly savedAt: string;
  readonly model: string;
  /** Workspace fit id of the transaction model; null when it came from a file. */
  readonly fitId: number | null;
  readonly spendModel: string;
  readonly spendFitId: number | null;
  readonly timeUnit: string;
  readonly calibrationEnd: string;
  readonly horizon: number;
  readonly discountRate: number;
  readonly margin: number;
}

/** One run's per-customer columns (equal lengths), replacing the stored ones. */
export interface ClvPredictionBatch {
  readonly source: Omit<ClvPredictionSource, 'savedAt'>;
  readonly customerIds: readonly string[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly probabilityAlive: Float64Array;
  readonly expectedTransactions: Float64Array;
  readonly expectedSpend: Float64Array;
  readonly clv: Float64Array;
}

export interface ClvPredictionQuery {
  /** Customer ids containing this text (case-insensitive). */
  readonly search?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface StoredClvPrediction {
  readonly customerId: string;
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly probabilityAlive: number;
  readonly expectedTransactions: number;
  readonly expectedSpend: number;
  readonly clv: number;
}

export interface ClvPredictionPage {
  /** Null when nothing is stored. */
  readonly source: ClvPredictionSource | null;
  /** Customers matching the query, over all pages. */
  readonly total: number;
  /** Highest CLV first. */
  readonly predictions: readonly StoredClvPrediction[];
}

export interface ClvHistogramBin {
  /** Inclusive lower and exclusive upper edge (the last bin holds everything from its lower edge up). */
  readonly from: number;
  readonly to: number;
  readonly customers: number;
  readonly clv: number;
}

export interface ClvTotals {
  readonly customers: number;
  /** Customer equity: the sum of CLV. */
  readonly clv: number;
  readonly mean: number;
  readonly median: number;
  readonly expectedTransactions: number;
  /** Mean P(alive): the expected share of customers still active at the calibration end. */
  readonly shareAlive: number;
}

export interface ClvDistribution {
  readonly source: ClvPredictionSource;
  readonly totals: ClvTotals;
  /**
   * Equal-width bins from the lowest CLV to the 99th percentile, then one bin for the top 1 % (CLV is
   * heavily skewed: a range up to the maximum would put nearly everyone in the first bin).
   */
  readonly histogram: readonly ClvHistogramBin[];
  /** Totals of every stored run, oldest first (the trend of customer equity). */
  readonly history: readonly (ClvPredictionSource & { readonly customers: number; readonly clv: number })[];
}
