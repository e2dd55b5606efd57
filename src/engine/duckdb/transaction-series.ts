/**
 * Repeat purchases per period (week by default) and customers by first-purchase day, in DuckDB SQL: what a
 * tracking chart of actual vs expected cumulative repeat transactions needs. Purchases are merged exactly
 * as in the customer summary (calibration and holdout merged separately), so the calibration periods sum
 * to the summary's x and the holdout periods to its holdout x.
 */
import { DAYS_PER_UNIT, type TransactionSeries, type TransactionSeriesOptions } from '../summary-types.js';
import { UserError } from '../../util/errors.js';
import { assembleTransactionSeries } from '../summary-window.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { calibrationWindow } from './calibration-window.js';

export async function duckDbTransactionSeries(
  engine: DuckDbEngine,
  options: TransactionSeriesOptions,
): Promise<TransactionSeries> {
  const timeUnit = options.timeUnit ?? 'week';
  const mergePeriod = options.mergePeriod ?? 'day';
  const { calibrationEnd, holdoutEnd } = await calibrationWindow(engine, options);
  const len = DAYS_PER_UNIT[timeUnit];
  const period = `date_trunc('${mergePeriod}', "date")::DATE`;
  const cal = `CAST($1 AS DATE)`;
  const calibration = `
    cal_p AS (
      SELECT DISTINCT customer_id, ${period} AS p FROM transactions
      WHERE "date" < ${cal} + INTERVAL 1 DAY),
    firsts AS (SELECT customer_id, min(p) AS first_p FROM cal_p GROUP BY customer_id)`;

  const cohortRows = await engine.query(
    `WITH ${calibration}
     SELECT strftime(first_p, '%Y-%m-%d') AS first_purchase, date_diff('day', first_p, ${cal}) AS age_days,
            count(*) AS n
     FROM firsts GROUP BY first_p ORDER BY first_p`,
    [calibrationEnd],
  );
  if (cohortRows.length === 0)
    throw new UserError(`no customer made a first purchase on or before ${calibrationEnd}`);

  // a purchase on day D belongs to period k = ceil((D - calibration end) / period length)
  const periodOf = (days: string) => `CAST(ceil(CAST(${days} AS DOUBLE) / ${len}) AS BIGINT)`;
  const holdout =
    holdoutEnd === null
      ? ''
      : `UNION ALL
         SELECT ${periodOf(`date_diff('day', ${cal}, greatest(h.p, ${cal} + 1))`)} AS k FROM (
           SELECT DISTINCT customer_id, ${period} AS p FROM transactions
           WHERE "date" >= ${cal} + INTERVAL 1 DAY AND "date" < CAST($2 AS DATE) + INTERVAL 1 DAY) h
         SEMI JOIN firsts USING (customer_id)`;
  const countRows = await engine.query(
    `WITH ${calibration},
     repeats AS (
       SELECT ${periodOf(`date_diff('day', ${cal}, c.p)`)} AS k
       FROM cal_p c JOIN firsts f USING (customer_id) WHERE c.p > f.first_p
       ${holdout})
     SELECT k, count(*) AS n FROM repeats GROUP BY k ORDER BY k`,
    holdoutEnd === null ? [calibrationEnd] : [calibrationEnd, holdoutEnd],
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
