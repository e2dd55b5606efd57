/**
 * Survivors per acquisition cohort for contractual retention models (sBG). A customer's life is their first
 * continuous spell of subscriptions (plan changes that follow on within a day continue it; a later return
 * is a win-back, not survival). Survivors of a cohort at period k = customers whose spell lasted at least k
 * whole periods; period k is reported only once every member could have been observed that long.
 */
import type { SubscriptionCohorts, SubscriptionCohortOptions } from '../summary-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import type { DuckDbEngine } from './duckdb-engine.js';

export async function duckDbSubscriptionCohorts(
  engine: DuckDbEngine,
  options: SubscriptionCohortOptions,
): Promise<SubscriptionCohorts> {
  const unit = options.unit ?? 'month';
  checkIsoDate('as-of date', options.asOf);
  const [range] = await engine.query(
    `SELECT count(*) AS n, strftime(greatest(max(start_date), coalesce(max(end_date), max(start_date))), '%Y-%m-%d') AS last
     FROM subscriptions`,
  );
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no subscriptions: import some first');
  const asOf = options.asOf ?? String(range!.last);
  const step = `INTERVAL 1 ${unit.toUpperCase()}`;
  const rows = await engine.query(
    `WITH s AS (
       SELECT customer_id, start_date, end_date,
         max(coalesce(end_date, DATE '9999-12-31')) OVER (PARTITION BY customer_id ORDER BY start_date, end_date
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
       FROM subscriptions WHERE start_date <= CAST($1 AS DATE)),
     spells AS (
       SELECT *, sum(CASE WHEN prev_end IS NULL OR start_date > prev_end + INTERVAL 1 DAY THEN 1 ELSE 0 END)
         OVER (PARTITION BY customer_id ORDER BY start_date, end_date ROWS UNBOUNDED PRECEDING) AS spell
       FROM s),
     life AS (
       SELECT customer_id, min(start_date) AS start,
         CASE WHEN bool_or(end_date IS NULL OR end_date > CAST($1 AS DATE)) THEN NULL ELSE max(end_date) END AS stop
       FROM spells WHERE spell = 1 GROUP BY customer_id),
     cohorts AS (SELECT date_trunc('${unit}', start)::DATE AS cohort, start, stop FROM life),
     observed AS (
       SELECT cohort, k FROM (SELECT DISTINCT cohort FROM cohorts) c, range(0, 2000) r(k)
       WHERE c.cohort + (k + 1) * ${step} <= CAST($1 AS DATE) + INTERVAL 1 DAY)
     SELECT strftime(o.cohort, '%Y-%m-%d') AS cohort, o.k,
       count(*) FILTER (WHERE c.stop IS NULL OR c.stop >= c.start + o.k * ${step}) AS survivors
     FROM observed o JOIN cohorts c USING (cohort)
     GROUP BY o.cohort, o.k ORDER BY o.cohort, o.k`,
    [asOf],
  );
  const byCohort = new Map<string, number[]>();
  for (const r of rows) {
    const list = byCohort.get(String(r.cohort)) ?? [];
    list[Number(r.k)] = Number(r.survivors);
    byCohort.set(String(r.cohort), list);
  }
  return {
    unit,
    asOf,
    cohorts: [...byCohort.entries()].map(([cohort, survivors]) => ({ cohort, survivors })),
  };
}
