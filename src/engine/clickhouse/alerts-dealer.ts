/**
 * The car dealer's variant of early warning (DOMAIN 5.3) in ClickHouse SQL: visit grades and the
 * churn-survey list, by the rules of duckdb/alerts-dealer.ts (read its header).
 *
 * 18.16 pitfalls worked around:
 * - one JOIN per SELECT and no CTEs: one scan of the transactions gives each customer's first day (any
 *   kind) and visits (`-If` aggregates), joined once to the customers;
 * - `least` is NULL when either side is (DuckDB's ignores NULLs) and `maxIf` is 0 over no rows: the
 *   customer's first day and last visit are chosen with explicit conditions;
 * - Nullable conditions are wrapped in `ifNull` before `multiIf` / WHERE.
 */
import type { DealerCustomerRow, DealerGradeOptions, DealerGradeResult } from '../alert-types.js';
import { checkDealerOptions } from '../alerts-options.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chKindFilter, chResolveAsOf } from './alerts-common.js';
import { chDate, chNumber, chString } from './sql.js';

export async function chDealerGrades(
  engine: ClickHouseEngine,
  options: DealerGradeOptions,
): Promise<DealerGradeResult> {
  checkDealerOptions(options);
  const { grades, gradeWindowMonths: windowMonths, surveyAfterMonths: surveyMonths } = options;
  const asOf = await chResolveAsOf(
    engine,
    options.asOf,
    options.visitKinds,
    'import service visits as transactions with kind "visit", or name the kinds that count as visits in a rules file (dealer.visitKinds)',
  );
  const A = chDate(asOf);
  const grade = grades.map((g) => `visits >= ${chNumber(Math.floor(g.minVisits))}, ${chString(g.grade)}`);
  const visit = chKindFilter(options.visitKinds);
  const graded = `SELECT customer_id, visits, last_visit, since, dateDiff('day', seen, ${A}) AS absent,
      seen <= addMonths(${A}, -${surveyMonths}) AS survey, multiIf(${grade.join(', ')}, '') AS grade
    FROM (
      SELECT customer_id, visits, last_visit, since, if(isNull(last_visit), since, assumeNotNull(last_visit)) AS seen
      FROM (
        SELECT customer_id, toUInt64(ifNull(visits_in_window, 0)) AS visits,
          if(ifNull(n_visits, 0) > 0, toNullable(assumeNotNull(visited)), NULL) AS last_visit,
          multiIf(known AND isNotNull(first_t), least(assumeNotNull(signup_date), assumeNotNull(first_t)),
            known, assumeNotNull(signup_date), assumeNotNull(first_t)) AS since
        FROM (
          SELECT customer_id, signup_date, ifNull(signup_date <= ${A}, 0) AS known, first_t, n_visits, visits_in_window, visited
          FROM ${engine.t('customers')}
          ANY LEFT JOIN (
            SELECT customer_id, min(toDate(date)) AS first_t, countIf(${visit}) AS n_visits,
              uniqExactIf(toDate(date), ${visit} AND toDate(date) >= addDays(addMonths(${A}, -${windowMonths}), 1)) AS visits_in_window,
              maxIf(toDate(date), ${visit}) AS visited
            FROM ${engine.t('transactions')} WHERE toDate(date) <= ${A} GROUP BY customer_id) USING customer_id)
        WHERE known OR isNotNull(first_t)))`;
  const counted = await engine.conn.query(
    `SELECT grade AS g, count() AS n, countIf(survey) AS s, countIf(survey AND isNull(last_visit)) AS never
     FROM (${graded}) GROUP BY g`,
  );
  const total = (key: string) => counted.reduce((s, r) => s + Number(r[key]), 0);
  const columns = `customer_id AS id, toFloat64(visits) AS o_visits, ifNull(toString(last_visit), '') AS o_last,
    toString(since) AS o_since, grade AS o_grade, toFloat64(absent) AS o_absent, toFloat64(survey) AS o_survey`;
  const list: DealerCustomerRow[] =
    (options.list ?? 0) > 0
      ? (
          await engine.conn.query(
            `SELECT ${columns} FROM (${graded}) WHERE survey ORDER BY absent DESC, customer_id
             LIMIT ${chNumber(Math.floor(options.list!))}`,
          )
        ).map((r) => ({
          customerId: String(r.id),
          visits: Number(r.o_visits),
          lastVisit: r.o_last === '' ? null : String(r.o_last),
          customerSince: String(r.o_since),
          grade: String(r.o_grade),
          daysAbsent: Number(r.o_absent),
          survey: Number(r.o_survey) === 1,
        }))
      : [];
  let perCustomer: DealerGradeResult['perCustomer'] = null;
  if (options.perCustomer) {
    const rows = await engine.conn.rowBinary(`SELECT ${columns} FROM (${graded}) ORDER BY customer_id`, [
      'String',
      'Float64',
      'String',
      'String',
      'String',
      'Float64',
      'Float64',
    ]);
    const strings = (j: number) => rows.map((r) => String(r[j]));
    const doubles = (j: number) => Float64Array.from(rows, (r) => Number(r[j]));
    perCustomer = {
      customerIds: strings(0),
      visits: doubles(1),
      lastVisit: strings(2),
      customerSince: strings(3),
      grade: strings(4),
      daysAbsent: doubles(5),
      survey: doubles(6),
    };
  }
  return {
    asOf,
    customers: total('n'),
    grades: grades.map((g) => ({
      grade: g.grade,
      minVisits: g.minVisits,
      customers: Number(counted.find((c) => c.g === g.grade)?.n ?? 0),
    })),
    survey: total('s'),
    surveyNeverVisited: total('never'),
    list,
    perCustomer,
  };
}
