/**
 * The per-customer (x, t_x, T, mean repeat spend) summary in DuckDB SQL. Reproduces the published CDNOW
 * summary exactly: merge same-day purchases (amounts summed), x = purchase days in calibration - 1,
 * t_x = (last - first purchase day) / days per unit, T = (calibration end - first purchase day) / days per
 * unit, spend = mean of the repeat purchase days only (the first purchase is excluded).
 */
import { DAYS_PER_UNIT, type CustomerSummary, type SummaryOptions } from '../summary-types.js';
import { UserError } from '../../util/errors.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function duckDbCustomerSummary(
  engine: DuckDbEngine,
  options: SummaryOptions,
): Promise<CustomerSummary> {
  const timeUnit = options.timeUnit ?? 'week';
  const mergePeriod = options.mergePeriod ?? 'day';
  for (const [name, value] of [
    ['calibration end', options.calibrationEnd],
    ['holdout end', options.holdoutEnd],
  ] as const) {
    if (value !== undefined && !ISO_DATE.test(value))
      throw new UserError(`${name} must be YYYY-MM-DD, not "${value}"`);
  }
  const [range] = await engine.query(
    `SELECT strftime(max("date"), '%Y-%m-%d') AS last, count(*) AS n FROM transactions`,
  );
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no transactions: import some first');
  const calibrationEnd = options.calibrationEnd ?? String(range!.last);
  const holdoutEnd = options.holdoutEnd ?? null;
  if (holdoutEnd !== null && holdoutEnd <= calibrationEnd)
    throw new UserError(`holdout end ${holdoutEnd} must be after the calibration end ${calibrationEnd}`);
  const days = DAYS_PER_UNIT[timeUnit];
  const period = `date_trunc('${mergePeriod}', "date")::DATE`;
  const sql = `
    WITH periods AS (
      SELECT customer_id, ${period} AS p, sum(amount) AS amount
      FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY
      GROUP BY ALL),
    ranked AS (SELECT *, min(p) OVER (PARTITION BY customer_id) AS first_p FROM periods),
    cal AS (
      SELECT customer_id, first_p, count(*) - 1 AS x, max(p) AS last_p,
             coalesce(avg(amount) FILTER (WHERE p > first_p), 0) AS monetary
      FROM ranked GROUP BY customer_id, first_p),
    hold AS (
      SELECT customer_id, count(*) AS hx, avg(amount) AS hm FROM (
        SELECT customer_id, ${period} AS p, sum(amount) AS amount FROM transactions
        WHERE "date" >= CAST($1 AS DATE) + INTERVAL 1 DAY AND "date" < CAST($2 AS DATE) + INTERVAL 1 DAY
        GROUP BY ALL) GROUP BY customer_id)
    SELECT cal.customer_id,
           CAST(x AS DOUBLE) AS x,
           date_diff('day', first_p, last_p) / ${days} AS tx,
           date_diff('day', first_p, CAST($1 AS DATE)) / ${days} AS T,
           CAST(monetary AS DOUBLE) AS monetary,
           strftime(first_p, '%Y-%m-%d') AS first_purchase,
           CAST(coalesce(hx, 0) AS DOUBLE) AS hx,
           CAST(coalesce(hm, 0) AS DOUBLE) AS hm
    FROM cal LEFT JOIN hold USING (customer_id)
    ORDER BY cal.customer_id`;
  const cols = await readColumns(
    engine.connection,
    sql,
    {
      customerId: 'string',
      x: 'f64',
      tx: 'f64',
      T: 'f64',
      monetary: 'f64',
      firstPurchase: 'string',
      hx: 'f64',
      hm: 'f64',
    } as const,
    [calibrationEnd, holdoutEnd ?? calibrationEnd],
  );
  const holdoutDays =
    holdoutEnd === null ? null : (Date.parse(holdoutEnd) - Date.parse(calibrationEnd)) / 86_400_000;
  return {
    calibrationEnd,
    holdoutEnd,
    timeUnit,
    mergePeriod,
    customerIds: cols.customerId,
    x: cols.x,
    tx: cols.tx,
    T: cols.T,
    monetary: cols.monetary,
    firstPurchase: cols.firstPurchase,
    holdoutX: holdoutEnd === null ? null : cols.hx,
    holdoutMonetary: holdoutEnd === null ? null : cols.hm,
    holdoutLength: holdoutDays === null ? null : holdoutDays / days,
  };
}
