/**
 * Per-group period statistics for group-level warnings (DOMAIN 5.3) in ClickHouse SQL; the periods and the
 * counting rules are those of duckdb/alerts-groups.ts (read its header).
 *
 * 18.16 pitfalls worked around:
 * - no GROUPING SETS: every unit's row is repeated once per dimension with ARRAY JOIN (parallel arrays of
 *   dimension names and group values) and grouped once by (dimension, group, period);
 * - no FILTER and no UNION of the periods' rows: each period's pieces are `-If` aggregates of one scan,
 *   unpivoted by a parallel ARRAY JOIN over the periods; `maxIf` / `minIf` over no rows give 0, so each
 *   comes with its `countIf`;
 * - one JOIN per SELECT: churn records, then the customers' attributes, are joined in nested SELECTs;
 * - a Date compares only with a Date: period bounds are Date literals computed here.
 */
import type { GroupAlertStats, GroupAlertStatsOptions } from '../alert-types.js';
import { checkDimensions } from '../duckdb/alerts-common.js';
import { GROUP_DIMENSIONS, checkPeriodSettings, periodDays, periodStatsOf } from '../duckdb/alerts-groups.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chKindFilter, chResolveAsOf } from './alerts-common.js';
import { chDate, chIdent, chString } from './sql.js';

/** The day `days` before `day` (YYYY-MM-DD), as a Date literal. */
function dayBefore(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) - days * 86_400_000;
  return chDate(new Date(t).toISOString().slice(0, 10));
}

/**
 * The per-period pieces shared by group and product warnings, over the transactions of one unit (`keys`
 * plus the day `d` and `amount` of its transactions): `aggregates` gives, per period k, whether the unit is
 * active at the period's start s_k (a transaction within lostAfterDays before it), whether it turns lost
 * in the period, and its spend; `unpivot` turns them into one row per unit and period (period, unit_active, unit_lost, x);
 * `window` restricts the transactions to the ones any period needs.
 */
export function chPeriodSql(asOf: string, D: number, P: number, L: number) {
  const periods = Array.from({ length: P + 1 }, (_, k) => k);
  const start = (k: number) => dayBefore(asOf, D * (k + 1)); // s_k, the day before the period
  const end = (k: number) => dayBefore(asOf, D * k); // the period's last day
  const aggregates = periods
    .map((k) => {
      const before = `d >= ${dayBefore(asOf, D * (k + 1) + L)} AND d <= ${start(k)}`;
      return `countIf(${before}) AS n_last${k}, maxIf(d, ${before}) AS last${k},
        countIf(d > ${start(k)}) AS n_next${k}, minIf(d, d > ${start(k)}) AS next${k},
        sumIf(amount, d > ${start(k)} AND d <= ${end(k)}) AS x${k}`;
    })
    .join(',\n');
  const lost = (k: number) =>
    `last${k} + ${L + 1} <= ${end(k)} AND (n_next${k} = 0 OR next${k} > last${k} + ${L + 1})`;
  const unpivot = `ARRAY JOIN [${periods.join(', ')}] AS period, [${periods.map((k) => `n_last${k} > 0`).join(', ')}] AS unit_active,
    [${periods.map(lost).join(', ')}] AS unit_lost, [${periods.map((k) => `x${k}`).join(', ')}] AS x`;
  const window = `toDate(date) <= ${chDate(asOf)} AND toDate(date) >= ${dayBefore(asOf, D * (P + 1) + L)}`;
  return { aggregates, unpivot, window };
}

export async function chGroupAlertStats(
  engine: ClickHouseEngine,
  options: GroupAlertStatsOptions,
): Promise<GroupAlertStats> {
  const D = options.periodDays;
  const P = options.baselinePeriods;
  const L = options.lostAfterDays;
  checkPeriodSettings(D, P, L);
  const dims = options.dimensions;
  checkDimensions(dims, GROUP_DIMENSIONS, 'group');
  const kinds = chKindFilter(options.kinds);
  const asOf = await chResolveAsOf(engine, options.asOf, options.kinds);
  let source: 'churn_events' | 'inactivity' =
    options.churnSource === 'auto' ? 'inactivity' : options.churnSource;
  if (options.churnSource === 'auto') {
    const [ev] = await engine.conn.query(`SELECT count() AS n FROM ${engine.t('churn_events')}`);
    if (Number(ev!.n) > 0) source = 'churn_events';
  }
  const attributes = dims.filter((d) => d !== 'all');
  const { aggregates, unpivot, window } = chPeriodSql(asOf, D, P, L);
  const periods = `SELECT customer_id, toUInt32(period) AS k, unit_lost AS lost, x FROM (
      SELECT customer_id, ${aggregates} FROM (
        SELECT customer_id, toDate(date) AS d, amount FROM ${engine.t('transactions')} WHERE ${window} AND ${kinds})
      GROUP BY customer_id)
    ${unpivot} WHERE unit_active`;
  // the period of a churn record: (A - D(k+1), A - Dk]
  const churned =
    source === 'churn_events'
      ? `SELECT customer_id, k, lost, x, ifNull(event, 0) AS churned FROM (${periods})
         ANY LEFT JOIN (
           SELECT DISTINCT customer_id, toUInt32(intDiv(dateDiff('day', date, ${chDate(asOf)}), ${D})) AS k, 1 AS event
           FROM ${engine.t('churn_events')}
           WHERE date <= ${chDate(asOf)} AND date > ${dayBefore(asOf, D * (P + 1))}) USING customer_id, k`
      : `SELECT customer_id, k, lost, x, lost AS churned FROM (${periods})`;
  const columns = attributes.map((a) => chIdent(a));
  const withAttributes = attributes.length
    ? `SELECT k, churned, x, ${columns.join(', ')} FROM (${churned})
       ANY LEFT JOIN (SELECT customer_id, ${columns.join(', ')} FROM ${engine.t('customers')}) USING customer_id`
    : `SELECT k, churned, x FROM (${churned})`;
  const dimensionNames = dims.map((d) => chString(d));
  const groupValues = dims.map((d) => (d === 'all' ? `'all'` : `toNullable(toString(${chIdent(d)}))`));
  const rows = await engine.conn.query(
    `SELECT dimension, grp, k, count() AS active, countIf(churned = 1) AS churned,
       sum(x) AS spend, sum(x * x) AS spend_sq
     FROM (${withAttributes})
     ARRAY JOIN [${dimensionNames.join(', ')}] AS dimension, [${groupValues.join(', ')}] AS grp
     WHERE isNotNull(grp)
     GROUP BY dimension, grp, k ORDER BY dimension, grp, k`,
  );
  return {
    asOf,
    churnSource: source,
    periods: periodDays(asOf, D, P),
    rows: periodStatsOf(rows),
  };
}
