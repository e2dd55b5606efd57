/**
 * The car dealer's variant of early warning (DOMAIN 5.3), in DuckDB SQL: grade every customer by service
 * visits in the last `gradeWindowMonths` months up to the as-of date A (visits = distinct days with a
 * transaction of a visit kind; window (A - months, A]), and put on the churn-survey list every customer
 * without a visit for `surveyAfterMonths` months: the last visit, or for a customer who never visited the
 * day they became a customer (signup or first transaction of any kind, whichever is earlier), on or
 * before A - surveyAfterMonths months. Customers known by A are graded: signup on or before A, or a
 * transaction on or before A.
 */
import type { DealerCustomerRow, DealerGradeOptions, DealerGradeResult } from '../alert-types.js';
import { quoteString } from '../sql.js';
import { checkDealerOptions } from '../alerts-options.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { kindFilter, resolveAsOf } from './alerts-common.js';
import { readColumns } from './read-columns.js';

const TABLE = 'retain_dealer';

export async function duckDbDealerGrades(
  engine: DuckDbEngine,
  options: DealerGradeOptions,
): Promise<DealerGradeResult> {
  checkDealerOptions(options);
  const { grades, gradeWindowMonths: window, surveyAfterMonths: survey } = options;
  const asOf = await resolveAsOf(
    engine,
    options.asOf,
    options.visitKinds,
    'import service visits as transactions with kind "visit", or name the kinds that count as visits in a rules file (dealer.visitKinds)',
  );
  const grade = grades
    .map((g) => `WHEN visits >= ${Math.floor(g.minVisits)} THEN ${quoteString(g.grade)}`)
    .join(' ');
  await engine.run(`DROP TABLE IF EXISTS ${TABLE}`);
  await engine.run(
    `CREATE TEMP TABLE ${TABLE} AS
     WITH v AS (
       SELECT customer_id,
         count(DISTINCT CAST("date" AS DATE)) FILTER (WHERE "date" >= CAST($1 AS DATE) - INTERVAL ${window} MONTH + INTERVAL 1 DAY) AS visits,
         CAST(max("date") AS DATE) AS last_visit
       FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND ${kindFilter(options.visitKinds)}
       GROUP BY customer_id),
     f AS (
       SELECT customer_id, CAST(min("date") AS DATE) AS first_t FROM transactions
       WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY GROUP BY customer_id),
     pop AS (
       SELECT c.customer_id, least(CASE WHEN c.signup_date <= CAST($1 AS DATE) THEN c.signup_date END, f.first_t) AS since
       FROM customers c LEFT JOIN f ON f.customer_id = c.customer_id
       WHERE c.signup_date <= CAST($1 AS DATE) OR f.first_t IS NOT NULL),
     g AS (
       SELECT pop.customer_id, coalesce(v.visits, 0) AS visits, v.last_visit, pop.since,
         date_diff('day', coalesce(v.last_visit, pop.since), CAST($1 AS DATE)) AS absent,
         coalesce(v.last_visit, pop.since) <= CAST($1 AS DATE) - INTERVAL ${survey} MONTH AS survey
       FROM pop LEFT JOIN v ON v.customer_id = pop.customer_id)
     SELECT *, CASE ${grade} END AS grade FROM g`,
    [asOf],
  );
  try {
    const counts = await engine.query(`SELECT grade, count(*) AS n FROM ${TABLE} GROUP BY grade`);
    const [totals] = await engine.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE survey) AS survey,
         count(*) FILTER (WHERE survey AND last_visit IS NULL) AS never FROM ${TABLE}`,
    );
    const columns = `customer_id, CAST(visits AS DOUBLE) AS visits, coalesce(strftime(last_visit, '%Y-%m-%d'), '') AS last_visit,
      strftime(since, '%Y-%m-%d') AS since, grade, CAST(absent AS DOUBLE) AS absent, CAST(survey AS DOUBLE) AS survey`;
    const list: DealerCustomerRow[] =
      (options.list ?? 0) > 0
        ? (
            await engine.query(
              `SELECT ${columns} FROM ${TABLE} WHERE survey ORDER BY absent DESC, customer_id
               LIMIT ${Math.floor(options.list!)}`,
            )
          ).map((r) => ({
            customerId: String(r.customer_id),
            visits: Number(r.visits),
            lastVisit: r.last_visit === '' ? null : String(r.last_visit),
            customerSince: String(r.since),
            grade: String(r.grade),
            daysAbsent: Number(r.absent),
            survey: Number(r.survey) === 1,
          }))
        : [];
    const perCustomer = options.perCustomer
      ? await readColumns(engine.connection, `SELECT ${columns} FROM ${TABLE} ORDER BY customer_id`, {
          customerIds: 'string',
          visits: 'f64',
          lastVisit: 'string',
          customerSince: 'string',
          grade: 'string',
          daysAbsent: 'f64',
          survey: 'f64',
        } as const)
      : null;
    return {
      asOf,
      customers: Number(totals!.n),
      grades: grades.map((g) => ({
        grade: g.grade,
        minVisits: g.minVisits,
        customers: Number(counts.find((c) => c.grade === g.grade)?.n ?? 0),
      })),
      survey: Number(totals!.survey),
      surveyNeverVisited: Number(totals!.never),
      list,
      perCustomer,
    };
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${TABLE}`);
  }
}
