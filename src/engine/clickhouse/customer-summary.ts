/**
 * The per-customer (x, t_x, T, mean repeat spend) summary in ClickHouse SQL, the same as DuckDB's
 * (duckdb/customer-summary.ts): same-period purchases merged, x = purchase periods in calibration - 1,
 * spend = mean of the repeat periods. Calibration and holdout periods are merged separately, as on DuckDB.
 *
 * 18.16: no CTEs and one JOIN per SELECT, so calibration and holdout come from one pass over the merged
 * periods (tagged holdout or not) with `-If` aggregates instead of a join. The compensated sum (DuckDB's
 * fsum) is `sumKahan`. The shards merge the purchase periods (a customer's rows are all on one shard); the
 * per-customer step runs where the outer query runs, the entry server, and comes to Node in RowBinary.
 */
import { DAYS_PER_UNIT, type CustomerSummary, type SummaryOptions } from '../summary-types.js';
import { calibrationWindow } from '../summary-window.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chNumber } from './sql.js';
import { periodStart } from './summary-periods.js';

export async function chCustomerSummary(
  engine: ClickHouseEngine,
  options: SummaryOptions,
): Promise<CustomerSummary> {
  const timeUnit = options.timeUnit ?? 'week';
  const mergePeriod = options.mergePeriod ?? 'day';
  const { calibrationEnd, holdoutEnd } = await calibrationWindow(engine, options);
  const days = chNumber(DAYS_PER_UNIT[timeUnit]);
  const cal = chDate(calibrationEnd);
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, toFloat64(x), dateDiff('day', first_p, last_p) / ${days},
       dateDiff('day', first_p, ${cal}) / ${days},
       toFloat64(multiIf(x = 0, 0, x = 1, last_amount, (total - first_amount) / x)),
       toFloat64(hx), toFloat64(if(hx = 0, 0, hm)), first_p
     FROM (
       SELECT customer_id, minIf(p, h = 0) AS first_p, maxIf(p, h = 0) AS last_p, countIf(h = 0) - 1 AS x,
         sumKahanIf(amount, h = 0) AS total, argMinIf(amount, p, h = 0) AS first_amount,
         argMaxIf(amount, p, h = 0) AS last_amount, countIf(h = 1) AS hx, avgIf(amount, h = 1) AS hm
       FROM (
         SELECT customer_id, ${periodStart(mergePeriod)} AS p, toDate(date) > ${cal} AS h, sum(amount) AS amount
         FROM ${engine.t('transactions')}
         WHERE toDate(date) <= ${holdoutEnd === null ? cal : chDate(holdoutEnd)}
         GROUP BY customer_id, p, h)
       GROUP BY customer_id
       HAVING countIf(h = 0) > 0)
     ORDER BY customer_id`,
    ['String', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64', 'Float64', 'Date'],
  );
  const column = (j: number) => Float64Array.from(rows, (r) => r[j] as number);
  const holdoutDays =
    holdoutEnd === null ? null : (Date.parse(holdoutEnd) - Date.parse(calibrationEnd)) / 86_400_000;
  return {
    calibrationEnd,
    holdoutEnd,
    timeUnit,
    mergePeriod,
    customerIds: rows.map((r) => r[0] as string),
    x: column(1),
    tx: column(2),
    T: column(3),
    monetary: column(4),
    firstPurchase: rows.map((r) => r[7] as string),
    holdoutX: holdoutEnd === null ? null : column(5),
    holdoutMonetary: holdoutEnd === null ? null : column(6),
    holdoutLength: holdoutDays === null ? null : holdoutDays / DAYS_PER_UNIT[timeUnit],
  };
}
