/**
 * Per-group period statistics for group-level warnings (DOMAIN 5.3), in DuckDB SQL.
 *
 * Periods end on the as-of date A: period k (0 = current, 1..n = baseline) is the `periodDays` days
 * (A - D(k+1), A - Dk]; it starts after day s_k = A - D(k+1). In each period and group:
 * - active = customers whose last transaction on or before s_k is at most `lostAfterDays` days before s_k;
 * - churned = of those, customers with a churn record in the period (`churn_events`), or customers who
 *   turn lost in the period (`inactivity`: R first exceeds `lostAfterDays` on a day of the period);
 * - spend = their net transaction amounts in the period, summed, and the sum of each one's squared spend
 *   (so that the analysis can test the mean spend per active customer).
 * A customer is in the group of their current attribute value (customers table); customers without a
 * value are in no group of that dimension.
 */
import type { GroupAlertStats, GroupAlertStatsOptions, GroupPeriodStats } from '../alert-types.js';
import { UserError } from '../../util/errors.js';
import { quoteIdent } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { checkDimensions, kindFilter, resolveAsOf } from './alerts-common.js';

/** Customer columns a group warning may group by (`all`: everyone as one group). */
export const GROUP_DIMENSIONS = ['all', 'segment', 'region', 'plan', 'channel', 'gender'] as const;

/**
 * The per-period pieces shared by group and product warnings. Over the transactions of one unit (a
 * customer, or a customer's purchases of one product), for each period k: the last transaction day within
 * lostAfterDays before the period's start s_k (the unit is active when there is one), the first one after
 * s_k, and the spend in the period. `base` turns them into one row per active unit and period with
 * `lost_in_period` (R first exceeds lostAfterDays on a day of the period) and the spend `x`.
 */
export function periodSql(D: number, P: number, L: number) {
  const A = 'CAST($1 AS DATE)';
  const s = (k: number) => `(${A} - ${D * (k + 1)})`;
  const ts = (day: string) => `CAST(${day} AS TIMESTAMP)`;
  const periods = Array.from({ length: P + 1 }, (_, k) => k);
  const periodAggregates = (k: number): string => {
    const first = ts(`${s(k)} + 1`); // the period's first day
    const after = ts(`${s(k)} + ${D + 1}`); // the day after its last
    const lookBack = ts(`${s(k)} - ${L}`);
    return `CAST(max("date") FILTER (WHERE "date" < ${first} AND "date" >= ${lookBack}) AS DATE) AS last${k},
      CAST(min("date") FILTER (WHERE "date" >= ${first}) AS DATE) AS next${k},
      sum(amount) FILTER (WHERE "date" >= ${first} AND "date" < ${after}) AS x${k}`;
  };
  const aggregates = periods.map(periodAggregates).join(',\n');
  const base = (keys: string) =>
    periods
      .map(
        (k) => `SELECT ${keys}, ${k} AS k,
        last${k} + ${L + 1} <= ${s(k)} + ${D} AND (next${k} IS NULL OR next${k} > last${k} + ${L + 1}) AS lost_in_period,
        coalesce(x${k}, 0) AS x
      FROM agg WHERE last${k} IS NOT NULL`,
      )
      .join('\nUNION ALL\n');
  /** The transactions any period can need: up to the as-of date, from lostAfterDays before the first. */
  const window = `"date" < ${ts(`${A} + 1`)} AND "date" >= ${ts(`${s(P)} - ${L}`)}`;
  return { A, s, aggregates, base, window };
}

/** The periods' first and last days (period 0 ends on the as-of date). */
export function periodDays(asOf: string, D: number, P: number): GroupAlertStats['periods'] {
  const day = (offset: number) => {
    const t = Date.parse(`${asOf}T00:00:00Z`) - offset * 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  };
  return Array.from({ length: P + 1 }, (_, k) => ({ period: k, from: day(D * (k + 1) - 1), to: day(D * k) }));
}

/** Rows of (dimension, grp, k, active, churned, spend, spend_sq) as period statistics. */
export function periodStatsOf(rows: readonly Record<string, unknown>[]): GroupPeriodStats[] {
  return rows.map((r) => ({
    dimension: String(r.dimension),
    group: String(r.grp),
    period: Number(r.k),
    active: Number(r.active),
    churned: Number(r.churned),
    spend: Number(r.spend),
    spendSquares: Number(r.spend_sq),
  }));
}

/** Whole-number settings of the period statistics, checked. */
export function checkPeriodSettings(D: number, P: number, L: number): void {
  for (const [name, v, min] of [
    ['period days', D, 1],
    ['baseline periods', P, 1],
    ['lost after days', L, 0],
  ] as const)
    if (!Number.isInteger(v) || v < min) throw new UserError(`${name} must be a whole number >= ${min}`);
}

export async function duckDbGroupAlertStats(
  engine: DuckDbEngine,
  options: GroupAlertStatsOptions,
): Promise<GroupAlertStats> {
  const D = options.periodDays;
  const P = options.baselinePeriods;
  const L = options.lostAfterDays;
  checkPeriodSettings(D, P, L);
  const dims = options.dimensions;
  checkDimensions(dims, GROUP_DIMENSIONS, 'group');
  const asOf = await resolveAsOf(engine, options.asOf, options.kinds);
  let source: 'churn_events' | 'inactivity' =
    options.churnSource === 'auto' ? 'inactivity' : options.churnSource;
  if (options.churnSource === 'auto') {
    const [ev] = await engine.query(`SELECT count(*) AS n FROM churn_events`);
    if (Number(ev!.n) > 0) source = 'churn_events';
  }
  const kinds = kindFilter(options.kinds);
  const attributes = dims.filter((d) => d !== 'all');
  const sets = [...(dims.includes('all') ? ['(k)'] : []), ...attributes.map((d) => `(k, ${quoteIdent(d)})`)];
  const dimension = attributes.length
    ? `CASE ${attributes.map((d) => `WHEN grouping(${quoteIdent(d)}) = 0 THEN '${d}'`).join(' ')} ELSE 'all' END`
    : `'all'`;
  const group = attributes.length
    ? `CASE ${attributes.map((d) => `WHEN grouping(${quoteIdent(d)}) = 0 THEN CAST(${quoteIdent(d)} AS VARCHAR)`).join(' ')} ELSE 'all' END`
    : `'all'`;
  const { A, s, aggregates, base, window } = periodSql(D, P, L);
  const churned = source === 'churn_events' ? 'ev.customer_id IS NOT NULL' : 'b.lost_in_period';
  const events =
    source === 'churn_events'
      ? `LEFT JOIN (
           SELECT DISTINCT customer_id, date_diff('day', "date", ${A}) // ${D} AS k FROM churn_events
           WHERE "date" <= ${A} AND "date" > ${s(P)}) ev ON ev.customer_id = b.customer_id AND ev.k = b.k`
      : '';
  const rows = await engine.query(
    `WITH agg AS (
       SELECT customer_id, ${aggregates}
       FROM transactions
       WHERE ${window} AND ${kinds}
       GROUP BY customer_id),
     b AS (${base('customer_id')}),
     j AS (
       SELECT b.k, ${attributes.map((d) => `c.${quoteIdent(d)}`).join(', ') || 'NULL AS none'},
         ${churned} AS churned, b.x
       FROM b ${events}
       LEFT JOIN customers c ON c.customer_id = b.customer_id)
     SELECT ${dimension} AS dimension, ${group} AS grp, k, count(*) AS active, count(*) FILTER (WHERE churned) AS churned,
       coalesce(sum(x), 0) AS spend, coalesce(sum(x * x), 0) AS spend_sq
     FROM j GROUP BY GROUPING SETS (${sets.join(', ')})
     ORDER BY dimension, grp, k`,
    [asOf],
  );
  const out = periodStatsOf(rows.filter((r) => r.grp !== null && r.grp !== undefined));
  return {
    asOf,
    churnSource: source,
    periods: periodDays(asOf, D, P),
    rows: out,
  };
}
