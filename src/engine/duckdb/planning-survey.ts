/**
 * Survey answers summarised in DuckDB SQL: interactions of kind `survey`, per question (`metric`): answers,
 * customers, mean rating (`value`), share of low ratings, NPS where every rating is a whole number 0-10,
 * and the most frequent answers (`note`) with their mean rating.
 */
import type { SurveySummary, SurveySummaryOptions } from '../planning-types.js';
import { checkSurveyOptions, surveySummaryOf } from '../survey-rows.js';
import type { DuckDbEngine } from './duckdb-engine.js';

export async function duckDbSurveySummary(
  engine: DuckDbEngine,
  options: SurveySummaryOptions,
): Promise<SurveySummary> {
  const { lowAt, top } = checkSurveyOptions(options);
  const params: unknown[] = [lowAt];
  const where = [`kind = 'survey'`];
  if (options.from !== undefined) {
    params.push(options.from);
    where.push(`"date" >= CAST($${params.length} AS DATE)`);
  }
  if (options.to !== undefined) {
    params.push(options.to);
    where.push(`"date" < CAST($${params.length} AS DATE) + INTERVAL 1 DAY`);
  }
  const s = `SELECT customer_id, coalesce(nullif(metric, ''), '(none)') AS metric, "value",
    nullif(trim(note), '') AS note FROM interactions WHERE ${where.join(' AND ')}`;
  const [totals] = await engine.query(
    `SELECT count(*) AS n, count(DISTINCT customer_id) AS c FROM (${s}) WHERE $1 = $1`,
    params,
  );
  const questions = await engine.query(
    `SELECT metric, count(*) AS answers, count(DISTINCT customer_id) AS customers, avg("value") AS mean,
       avg(CAST("value" <= $1 AS DOUBLE)) AS low,
       CASE WHEN count("value") > 0 AND min("value") >= 0 AND max("value") <= 10
         AND bool_and("value" = round("value")) IS NOT FALSE
         THEN 100 * (avg(CAST("value" >= 9 AS DOUBLE)) - avg(CAST("value" <= 6 AS DOUBLE))) END AS nps
     FROM (${s}) GROUP BY metric ORDER BY answers DESC, metric`,
    params,
  );
  const answers =
    top > 0
      ? await engine.query(
          `SELECT * FROM (
             SELECT metric, note, count(*) AS n, avg("value") AS mean,
               row_number() OVER (PARTITION BY metric ORDER BY count(*) DESC, note) AS rn
             FROM (${s}) WHERE note IS NOT NULL GROUP BY metric, note)
           WHERE rn <= ${top} AND $1 = $1 ORDER BY metric, rn`,
          params,
        )
      : [];
  return surveySummaryOf(options, totals!, questions, answers);
}
