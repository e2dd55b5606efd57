/**
 * Survey answers summarised in ClickHouse (as duckdb/planning-survey.ts): interactions of kind `survey`,
 * per question (`metric`): answers, customers, mean rating, share of low ratings, NPS where every rating is
 * a whole number 0-10, and the most frequent answers (`note`) with their mean rating.
 *
 * 18.16: no `trim` (a regular expression strips the spaces, as DuckDB's trim does), no window functions
 * (`LIMIT n BY` ranks the answers), no `bool_and` (min of the 0/1 test). `date` is a DateTime: the
 * day bounds compare `toDate(date)`. An alias named like a column replaces that column everywhere in
 * the query (even inside its own expression), so derived columns get new names.
 */
import type { SurveySummary, SurveySummaryOptions } from '../planning-types.js';
import { checkSurveyOptions, surveySummaryOf } from '../survey-rows.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chNumber } from './sql.js';

export async function chSurveySummary(
  engine: ClickHouseEngine,
  options: SurveySummaryOptions,
): Promise<SurveySummary> {
  const { lowAt, top } = checkSurveyOptions(options);
  const where = [`kind = 'survey'`];
  if (options.from !== undefined) where.push(`toDate(date) >= ${chDate(options.from)}`);
  if (options.to !== undefined) where.push(`toDate(date) <= ${chDate(options.to)}`);
  const s = `SELECT customer_id, ifNull(nullIf(metric, ''), '(none)') AS question, value,
    nullIf(replaceRegexpAll(note, '^ +| +$', ''), '') AS answer
    FROM ${engine.t('interactions')} WHERE ${where.join(' AND ')}`;
  const [totals] = await engine.conn.query(`SELECT count() AS n, uniqExact(customer_id) AS c FROM (${s})`);
  const questions = await engine.conn.query(
    `SELECT question, count() AS answers, uniqExact(customer_id) AS customers, avg(value) AS mean,
       avg(toFloat64(value <= ${chNumber(lowAt)})) AS low,
       if(count(value) > 0 AND min(value) >= 0 AND max(value) <= 10 AND min(value = round(value)) = 1,
         100 * (avg(toFloat64(value >= 9)) - avg(toFloat64(value <= 6))), NULL) AS nps
     FROM (${s}) GROUP BY question ORDER BY answers DESC, question`,
  );
  const answers =
    top > 0
      ? await engine.conn.query(
          `SELECT question, assumeNotNull(answer) AS text, count() AS n, avg(value) AS mean
           FROM (${s}) WHERE answer IS NOT NULL GROUP BY question, text
           ORDER BY question, n DESC, text LIMIT ${chNumber(top)} BY question`,
        )
      : [];
  return surveySummaryOf(
    options,
    totals!,
    questions.map((r) => ({ ...r, metric: r.question })),
    answers.map((r) => ({ ...r, metric: r.question, note: r.text })),
  );
}
