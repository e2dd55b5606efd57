/**
 * Checks and defaults of the churn operations that every engine applies the same way (churn features,
 * churn-rate history, stored score pages), so that DuckDB and ClickHouse refuse and default alike.
 */
import type { ChurnFeatureOptions, ChurnRateHistoryOptions } from './churn-types.js';
import { UserError } from '../util/errors.js';
import { checkIsoDate } from '../util/dates.js';

/** Customer columns every feature table carries as categories, after the plan. */
export const CHURN_CUSTOMER_CATEGORIES = ['region', 'channel', 'segment', 'gender'] as const;

/** `day` moved by `days` (either sign), as `YYYY-MM-DD`. */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A usage metric's name as a feature name (lower case, `_` between words). */
export function usageFeatureName(metric: string): string {
  const s = metric
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return s || 'metric';
}

/** The checked horizon, lost-days limit and usage-metric count of a feature request. */
export function checkChurnFeatureOptions(options: ChurnFeatureOptions): {
  horizonDays: number | null;
  lostDays: number;
  maxUsageMetrics: number;
} {
  if (options.asOf !== undefined) checkIsoDate('--as-of', options.asOf);
  const H = options.horizonDays;
  if (H !== null && !(Number.isInteger(H) && H > 0))
    throw new UserError('--horizon must be a whole number of days > 0');
  const L = options.lostDays ?? 60;
  if (!(Number.isInteger(L) && L > 0)) throw new UserError('lost days must be a whole number > 0');
  const maxUsageMetrics = options.maxUsageMetrics ?? 12;
  if (!(Number.isInteger(maxUsageMetrics) && maxUsageMetrics >= 0))
    throw new UserError('the number of usage metrics must be a whole number >= 0');
  return { horizonDays: H, lostDays: L, maxUsageMetrics };
}

/**
 * The as-of day of a feature request (default: the data end minus the horizon); refused when the labels
 * of the horizon would need data after the workspace's last day.
 */
export function churnFeatureAsOf(asOfOption: string | undefined, H: number | null, dataEnd: string): string {
  const asOf = asOfOption ?? shiftDay(dataEnd, -(H ?? 0));
  if (H !== null) {
    const labelEnd = shiftDay(asOf, H);
    if (labelEnd > dataEnd)
      throw new UserError(
        `labels for a ${H}-day horizon after ${asOf} need data up to ${labelEnd}; the workspace ends on ${dataEnd} (use an earlier --as-of)`,
      );
  }
  return asOf;
}

/** The checked horizon and lost-days limit of a churn-rate history. */
export function checkChurnRateHistoryOptions(options: ChurnRateHistoryOptions): {
  horizonDays: number;
  lostDays: number;
} {
  checkIsoDate('--as-of', options.asOf);
  const H = options.horizonDays;
  const L = options.lostDays ?? 60;
  if (!(Number.isInteger(H) && H > 0)) throw new UserError('--horizon must be a whole number of days > 0');
  if (!(Number.isInteger(options.periods) && options.periods > 0)) throw new UserError('periods must be > 0');
  return { horizonDays: H, lostDays: L };
}

/** `--limit` (with its default) and `--offset` of a paged list, checked. */
export function checkPaging(
  limitOption: number | undefined,
  offsetOption: number | undefined,
  defaultLimit: number,
): { limit: number; offset: number } {
  const limit = limitOption ?? defaultLimit;
  if (!(Number.isInteger(limit) && limit >= 0)) throw new UserError('--limit must be a whole number >= 0');
  const offset = offsetOption ?? 0;
  if (!(Number.isInteger(offset) && offset >= 0)) throw new UserError('--offset must be a whole number >= 0');
  return { limit, offset };
}

/** The refusal of churn features on a workspace without dated records. */
export const NO_DATED_RECORDS = 'the workspace has no dated records: import some first';
