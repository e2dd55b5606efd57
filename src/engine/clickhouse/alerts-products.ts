/**
 * Per-product period statistics for product-level warnings (DOMAIN 5.3) in ClickHouse SQL; the unit is a
 * (customer, product) pair as in duckdb/alerts-products.ts, the periods those of alerts-groups.ts.
 *
 * 18.16 pitfalls worked around: no UNION of one SELECT per dimension over a CTE: every transaction is
 * repeated once per dimension with a parallel ARRAY JOIN of dimension names and values (on the shards),
 * so that one aggregation serves products and categories.
 */
import type { GroupAlertStats, ProductAlertStatsOptions } from '../alert-types.js';
import { checkDimensions } from '../duckdb/alerts-common.js';
import { checkPeriodSettings, periodDays, periodStatsOf } from '../duckdb/alerts-groups.js';
import { PRODUCT_DIMENSIONS } from '../duckdb/alerts-products.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chKindFilter, chResolveAsOf } from './alerts-common.js';
import { chPeriodSql } from './alerts-groups.js';
import { chIdent, chString } from './sql.js';

export async function chProductAlertStats(
  engine: ClickHouseEngine,
  options: ProductAlertStatsOptions,
): Promise<GroupAlertStats> {
  const D = options.periodDays;
  const P = options.baselinePeriods;
  const L = options.lapseAfterDays;
  checkPeriodSettings(D, P, L);
  const dims = options.dimensions;
  checkDimensions(dims, PRODUCT_DIMENSIONS, 'product');
  const kinds = chKindFilter(options.kinds);
  const asOf = await chResolveAsOf(engine, options.asOf, options.kinds);
  const { aggregates, unpivot, window } = chPeriodSql(asOf, D, P, L);
  const names = dims.map((d) => chString(d)).join(', ');
  const values = dims.map((d) => `toNullable(toString(${chIdent(d)}))`).join(', ');
  const rows = await engine.conn.query(
    `SELECT dimension, grp, toUInt32(period) AS k, count() AS active, countIf(unit_lost = 1) AS churned,
       sum(x) AS spend, sum(x * x) AS spend_sq
     FROM (
       SELECT dimension, grp, customer_id, ${aggregates} FROM (
         SELECT dimension, grp, customer_id, toDate(date) AS d, amount FROM ${engine.t('transactions')}
         ARRAY JOIN [${names}] AS dimension, [${values}] AS grp
         WHERE isNotNull(grp) AND ${window} AND ${kinds})
       GROUP BY dimension, grp, customer_id)
     ${unpivot} WHERE unit_active
     GROUP BY dimension, grp, k ORDER BY dimension, grp, k`,
  );
  return { asOf, churnSource: 'inactivity', periods: periodDays(asOf, D, P), rows: periodStatsOf(rows) };
}
