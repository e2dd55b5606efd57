/**
 * Survey answers summarised in DuckDB SQL: interactions of kind `survey`, per question (`metric`): answers,
 * customers, mean rating (`value`), share of low ratings, NPS where every rating is a whole number 0-10,
 * and the most frequent answers (`note`) with their mean rating.
 */
import type { SurveySummary, SurveySummaryOptions } from '../planning-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import type { DuckDbEngine } from './duckdb-engine.js';

export async function duckDbSurveySummary(
  engine: DuckDbEngine,
  options: SurveySummaryOptions,
): Promise<SurveySummary> {
  checkIsoDate('--from', options.from);
  checkIsoDate('--to', options.to);
  const lowAt = options.lowAt ?? 6;
  if (!Number.isFinite(lowAt)) throw new UserError('--low must be a number');
  const top = options.topAnswers ?? 5;
  if (!(Number.isInteger(top) && top >= 0)) throw new UserError('--top must be a whole number >= 0');
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
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    from: options.from ?? null,
    to: options.to ?? null,
    answers: Number(totals!.n),
    customers: Number(totals!.c),
    questions: questions.map((q) => ({
      metric: String(q.metric),
      answers: Number(q.answers),
      customers: Number(q.customers),
      meanRating: num(q.mean),
      lowShare: num(q.low),
      nps: num(q.nps),
      topAnswers: answers
        .filter((a) => a.metric === q.metric)
        .map((a) => ({ answer: String(a.note), count: Number(a.n), meanRating: num(a.mean) })),
    })),
  };
}
