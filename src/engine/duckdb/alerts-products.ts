/**
 * Per-product period statistics for product-level warnings (DOMAIN 5.3), in DuckDB SQL. The unit is a
 * (customer, product) pair: the pair is active at the start of a period when the customer bought the
 * product within `lapseAfterDays` before it, churned when the customer lapses from the product in the
 * period (no purchase of it for more than `lapseAfterDays`), and its spend is the customer's net spend on
 * the product in the period. The periods and the tests are those of group warnings (alerts-groups.ts).
 */
import type { GroupAlertStats, ProductAlertStatsOptions } from '../alert-types.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { checkDimensions, kindFilter, resolveAsOf } from './alerts-common.js';
import { checkPeriodSettings, periodDays, periodSql, periodStatsOf } from './alerts-groups.js';

export const PRODUCT_DIMENSIONS = ['product', 'category'] as const;

export async function duckDbProductAlertStats(
  engine: DuckDbEngine,
  options: ProductAlertStatsOptions,
): Promise<GroupAlertStats> {
  const D = options.periodDays;
  const P = options.baselinePeriods;
  const L = options.lapseAfterDays;
  checkPeriodSettings(D, P, L);
  const dims = options.dimensions;
  checkDimensions(dims, PRODUCT_DIMENSIONS, 'product');
  const asOf = await resolveAsOf(engine, options.asOf, options.kinds);
  const { aggregates, base, window } = periodSql(D, P, L);
  // one row per transaction and dimension, so that a single aggregation serves products and categories
  const units = dims
    .map(
      (d) => `SELECT '${d}' AS dimension, CAST(${d} AS VARCHAR) AS grp, customer_id, "date", amount
        FROM transactions WHERE ${d} IS NOT NULL AND ${window} AND ${kindFilter(options.kinds)}`,
    )
    .join('\nUNION ALL\n');
  const rows = await engine.query(
    `WITH agg AS (
       SELECT dimension, grp, customer_id, ${aggregates}
       FROM (${units}) GROUP BY dimension, grp, customer_id),
     b AS (${base('dimension, grp')})
     SELECT dimension, grp, k, count(*) AS active, count(*) FILTER (WHERE lost_in_period) AS churned,
       coalesce(sum(x), 0) AS spend, coalesce(sum(x * x), 0) AS spend_sq
     FROM b GROUP BY dimension, grp, k ORDER BY dimension, grp, k`,
    [asOf],
  );
  return { asOf, churnSource: 'inactivity', periods: periodDays(asOf, D, P), rows: periodStatsOf(rows) };
}
