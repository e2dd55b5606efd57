/**
 * RFM in DuckDB SQL. Recency = days from the last purchase to the as-of date; frequency = purchase days
 * (same-day purchases merged, as in the CLV summary); monetary = net amount (returns subtract).
 *
 * Scores are quantile bins over customers with ties handled deterministically: a value's score comes from
 * the rank of its first occurrence, score = 1 + floor(bins * (rank - 1) / n), so equal values always share
 * a score (and a heavily tied value may leave higher bins empty). Higher is better on every dimension: the
 * most recent customers get the highest R score.
 */
import type { RfmOptions, RfmResult } from '../rfm-types.js';
import { UserError } from '../../util/errors.js';
import { rfmSettings } from '../rfm-options.js';
import { quoteString } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

const TABLE = 'retain_rfm';

export async function duckDbRfm(engine: DuckDbEngine, options: RfmOptions): Promise<RfmResult> {
  const { bins, windowDays } = rfmSettings(options);
  const [range] = await engine.query(
    `SELECT strftime(max("date"), '%Y-%m-%d') AS last, count(*) AS n FROM transactions`,
  );
  if (Number(range?.n ?? 0) === 0)
    throw new UserError('the workspace has no transactions: import some first');
  const asOf = options.asOf ?? String(range!.last);
  const cells = options.cells
    .flatMap((row, r) => row.map((segment, fm) => `(${r + 1}, ${fm + 1}, ${quoteString(segment)})`))
    .join(', ');
  // scores on the 1..5 scale the segment map is written for
  const to5 = (s: string) => (bins === 5 ? s : `CAST(round(1 + (${s} - 1) * 4.0 / ${bins - 1}) AS INTEGER)`);
  const window =
    windowDays === null ? 'true' : `"date" >= CAST($1 AS DATE) - INTERVAL ${windowDays} DAY + INTERVAL 1 DAY`;
  await engine.run(`DROP TABLE IF EXISTS ${TABLE}`);
  await engine.run(
    `CREATE TEMP TABLE ${TABLE} AS
     WITH last AS (
       SELECT customer_id, date_diff('day', CAST(max("date") AS DATE), CAST($1 AS DATE)) AS recency
       FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY GROUP BY customer_id),
     fm AS (
       SELECT customer_id, count(DISTINCT CAST("date" AS DATE)) AS frequency, sum(amount) AS monetary
       FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND ${window} GROUP BY customer_id),
     c AS (SELECT last.customer_id, recency, coalesce(frequency, 0) AS frequency, coalesce(monetary, 0) AS monetary
           FROM last LEFT JOIN fm USING (customer_id)),
     scored AS (
       SELECT *,
         1 + floor(${bins} * (rank() OVER (ORDER BY recency DESC) - 1) / count(*) OVER ()) AS r_score,
         1 + floor(${bins} * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER ()) AS f_score,
         1 + floor(${bins} * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER ()) AS m_score
       FROM c),
     cells(r5, fm5, segment) AS (VALUES ${cells})
     SELECT s.*, cells.segment
     FROM scored s JOIN cells ON cells.r5 = ${to5('s.r_score')}
       AND cells.fm5 = ${to5('CAST(round((s.f_score + s.m_score) / 2.0 + 0.0001) AS INTEGER)')}`,
    [asOf],
  );
  try {
    const [totals] = await engine.query(
      `SELECT count(*) AS n, coalesce(sum(monetary), 0) AS revenue FROM ${TABLE}`,
    );
    const n = Number(totals!.n);
    const revenue = Number(totals!.revenue);
    const segments = (
      await engine.query(
        `SELECT segment, count(*) AS customers, sum(monetary) AS revenue, avg(recency) AS r, avg(frequency) AS f,
           avg(monetary) AS m FROM ${TABLE} GROUP BY segment ORDER BY sum(monetary) DESC, segment`,
      )
    ).map((s) => ({
      segment: String(s.segment),
      customers: Number(s.customers),
      revenue: Number(s.revenue),
      customerShare: n > 0 ? Number(s.customers) / n : 0,
      revenueShare: revenue !== 0 ? Number(s.revenue) / revenue : 0,
      meanRecency: Number(s.r),
      meanFrequency: Number(s.f),
      meanMonetary: Number(s.m),
    }));
    const edges = async (col: string, score: string, order: 'min' | 'max') =>
      (
        await engine.query(`SELECT ${score} AS s, ${order}(${col}) AS v FROM ${TABLE} GROUP BY 1 ORDER BY 1`)
      ).map((r) => Number(r.v));
    const [none] = await engine.query(
      `SELECT count(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} r WHERE r.customer_id = c.customer_id)`,
    );
    const perCustomer = options.perCustomer
      ? await readColumns(
          engine.connection,
          `SELECT customer_id, CAST(recency AS DOUBLE), CAST(frequency AS DOUBLE), CAST(monetary AS DOUBLE),
             CAST(r_score AS DOUBLE), CAST(f_score AS DOUBLE), CAST(m_score AS DOUBLE), segment
           FROM ${TABLE} ORDER BY customer_id`,
          {
            customerIds: 'string',
            recency: 'f64',
            frequency: 'f64',
            monetary: 'f64',
            rScore: 'f64',
            fScore: 'f64',
            mScore: 'f64',
            segment: 'string',
          } as const,
        )
      : null;
    return {
      asOf,
      bins,
      windowDays,
      customers: n,
      withoutPurchases: Number(none!.n),
      segments,
      binEdges: {
        recency: await edges('recency', 'r_score', 'max'),
        frequency: await edges('frequency', 'f_score', 'min'),
        monetary: await edges('monetary', 'm_score', 'min'),
      },
      perCustomer,
    };
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${TABLE}`);
  }
}
