/**
 * Repeat purchases per period and customers by first-purchase day in ClickHouse SQL, counted as on DuckDB
 * (duckdb/transaction-series.ts): purchases merged as in the summary, calibration and holdout merged
 * separately, only customers with a first purchase on or before the calibration end. Only the counts per
 * period and per first-purchase day come to Node; ../summary-window.ts shapes the series for both engines.
 *
 * 18.16: no CTEs and one JOIN per SELECT, so the distinct purchase periods (tagged holdout or not) are
 * joined once with each customer's first calibration period (co-sharded: the join runs on each shard).
 */
import type { TransactionSeries, TransactionSeriesOptions } from '../summary-types.js';
import { DAYS_PER_UNIT } from '../summary-types.js';
import { addDays, assembleTransactionSeries, calibrationWindow } from '../summary-window.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chNumber } from './sql.js';
import { periodStart } from './summary-periods.js';

export async function chTransactionSeries(
  engine: ClickHouseEngine,
  options: TransactionSeriesOptions,
): Promise<TransactionSeries> {
  const timeUnit = options.timeUnit ?? 'week';
  const mergePeriod = options.mergePeriod ?? 'day';
  const { calibrationEnd, holdoutEnd } = await calibrationWindow(engine, options);
  const len = chNumber(DAYS_PER_UNIT[timeUnit]);
  const cal = chDate(calibrationEnd);
  const transactions = engine.t('transactions');
  const firsts = `SELECT customer_id, min(${periodStart(mergePeriod)}) AS first_p FROM ${transactions}
    WHERE toDate(date) <= ${cal} GROUP BY customer_id`;

  const cohortRows = await engine.conn.query(
    `SELECT toString(first_p) AS first_purchase, dateDiff('day', first_p, ${cal}) AS age_days, count() AS n
     FROM (${firsts}) GROUP BY first_p ORDER BY first_p`,
  );

  // a purchase on day D belongs to period k = ceil((D - calibration end) / period length); a holdout
  // period that starts before the calibration end (merge by week or month) counts from the day after it
  const dayAfter = chDate(addDays(calibrationEnd, 1));
  const countRows = await engine.conn.query(
    `SELECT toInt64(ceil(dateDiff('day', ${cal}, if(h = 1, greatest(p, ${dayAfter}), p)) / ${len})) AS k,
       count() AS n
     FROM (
       SELECT DISTINCT customer_id, ${periodStart(mergePeriod)} AS p, toDate(date) > ${cal} AS h
       FROM ${transactions}
       WHERE toDate(date) <= ${holdoutEnd === null ? cal : chDate(holdoutEnd)})
     ALL INNER JOIN (${firsts}) USING (customer_id)
     WHERE h = 1 OR p > first_p
     GROUP BY k ORDER BY k`,
  );
  return assembleTransactionSeries(
    { calibrationEnd, holdoutEnd },
    timeUnit,
    mergePeriod,
    cohortRows.map((r) => ({
      firstPurchase: String(r.first_purchase),
      ageDays: Number(r.age_days),
      customers: Number(r.n),
    })),
    countRows.map((r) => ({ k: Number(r.k), n: Number(r.n) })),
  );
}
