/**
 * Survival data in DuckDB SQL: every customer's relationship as (start, stop, event) at an as-of day (the
 * rules are in ../survival-types.ts), reduced in the engine so that only compact results reach TypeScript:
 * counts per (group, days) for Kaplan-Meier and the log-rank test, counts per (cohort, periods observed,
 * churn period) for the retention matrix, and per-customer columns only for the Cox model.
 */
import type {
  CohortCounts,
  CohortCountsOptions,
  CohortPeriod,
  SurvivalCounts,
  SurvivalCountsOptions,
  SurvivalCovariate,
  SurvivalDataOptions,
  SurvivalDataSource,
  SurvivalSubjects,
  SurvivalSubjectsOptions,
} from '../survival-types.js';
import { MISSING_GROUP, SURVIVAL_NUMERIC_COVARIATES } from '../survival-types.js';
import {
  checkCohortOptions,
  checkSurvivalBy,
  checkSurvivalCovariate,
  checkSurvivalDataOptions,
} from '../survival-options.js';
import { UserError } from '../../util/errors.js';
import { quoteIdent } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

interface LifeContext {
  readonly source: SurvivalDataSource;
  readonly asOf: string;
  /** `WITH ... life AS (...)`: customer_id, start, stop, event, plan, monthly_fee; $1 is the as-of day. */
  readonly cte: string;
}

/** Resolve the as-of day and the source, and build the CTE of one relationship per customer. */
async function lifeContext(engine: DuckDbEngine, options: SurvivalDataOptions): Promise<LifeContext> {
  const { lostDays } = checkSurvivalDataOptions(options);
  let asOf = options.asOf;
  if (asOf === undefined) {
    const [r] = await engine.query(
      `SELECT strftime(greatest(
         (SELECT max(CAST("date" AS DATE)) FROM transactions), (SELECT max(start_date) FROM subscriptions),
         (SELECT max(end_date) FROM subscriptions), (SELECT max("date") FROM churn_events)), '%Y-%m-%d') AS d`,
    );
    if (r?.d === null || r?.d === undefined)
      throw new UserError(
        'the workspace has no subscriptions or transactions: import some first (or use --table FILE)',
      );
    asOf = String(r.d);
  }
  const [counts] = await engine.query(
    `SELECT (SELECT count(*) FROM subscriptions WHERE start_date <= CAST($1 AS DATE)) AS subs,
       (SELECT count(*) FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY) AS tx`,
    [asOf],
  );
  const A = 'CAST($1 AS DATE)';
  const churn = `ev AS (SELECT customer_id, max("date") AS churn_day FROM churn_events WHERE "date" <= ${A}
      GROUP BY customer_id)`;
  if (Number(counts?.subs ?? 0) > 0) {
    return {
      source: 'subscriptions',
      asOf,
      cte: `WITH s AS (
          SELECT customer_id, start_date, CASE WHEN end_date <= ${A} THEN end_date END AS end_date, plan,
            monthly_fee,
            row_number() OVER (PARTITION BY customer_id
              ORDER BY start_date DESC, end_date DESC NULLS FIRST, subscription_id DESC NULLS LAST, row_key DESC) AS latest
          FROM subscriptions WHERE start_date <= ${A}),
        agg AS (
          SELECT customer_id, min(start_date) AS start, max(start_date) AS last_start,
            bool_and(end_date IS NOT NULL) AS all_ended, max(end_date) AS last_end,
            any_value(plan) FILTER (WHERE latest = 1) AS plan,
            any_value(monthly_fee) FILTER (WHERE latest = 1) AS monthly_fee
          FROM s GROUP BY customer_id),
        ${churn},
        life AS (
          SELECT a.customer_id, a.start,
            CASE WHEN a.all_ended THEN a.last_end WHEN ev.churn_day >= a.last_start THEN ev.churn_day
              ELSE ${A} END AS stop,
            (a.all_ended OR coalesce(ev.churn_day >= a.last_start, false)) AS event, a.plan, a.monthly_fee
          FROM agg a LEFT JOIN ev USING (customer_id))`,
    };
  }
  if (Number(counts?.tx ?? 0) > 0) {
    return {
      source: 'transactions',
      asOf,
      cte: `WITH tx AS (
          SELECT customer_id, min(CAST("date" AS DATE)) AS start, max(CAST("date" AS DATE)) AS last_day
          FROM transactions WHERE "date" < ${A} + INTERVAL 1 DAY GROUP BY customer_id),
        ${churn},
        life AS (
          SELECT tx.customer_id, tx.start, tx.last_day AS stop,
            (date_diff('day', tx.last_day, ${A}) > ${lostDays} OR coalesce(ev.churn_day >= tx.last_day, false)) AS event,
            CAST(NULL AS VARCHAR) AS plan, CAST(NULL AS DOUBLE) AS monthly_fee
          FROM tx LEFT JOIN ev USING (customer_id))`,
    };
  }
  throw new UserError(`the workspace has no subscriptions or transactions up to ${asOf}`);
}

/** SQL of a customer column (`l` = life, `c` = customers). */
function columnSql(name: SurvivalCovariate): string {
  checkSurvivalCovariate(name);
  if (name === 'plan') return 'coalesce(l.plan, c.plan)';
  if (name === 'monthly_fee') return 'l.monthly_fee';
  return `c.${quoteIdent(name)}`;
}

/** Kaplan-Meier counts per (group, whole days from start to stop). */
export async function duckDbSurvivalCounts(
  engine: DuckDbEngine,
  options: SurvivalCountsOptions,
): Promise<SurvivalCounts> {
  const by = checkSurvivalBy(options.by);
  const ctx = await lifeContext(engine, options);
  const group = by === null ? `'all'` : `coalesce(CAST(${columnSql(by)} AS VARCHAR), '${MISSING_GROUP}')`;
  const rows = await engine.query(
    `${ctx.cte}
     SELECT ${group} AS grp, date_diff('day', l.start, l.stop) AS days,
       count(*) FILTER (WHERE l.event) AS events, count(*) FILTER (WHERE NOT l.event) AS censored
     FROM life l LEFT JOIN customers c USING (customer_id)
     GROUP BY ALL ORDER BY grp, days`,
    [ctx.asOf],
  );
  return {
    source: ctx.source,
    asOf: ctx.asOf,
    rows: rows.map((r) => ({
      group: String(r.grp),
      days: Number(r.days),
      events: Number(r.events),
      censored: Number(r.censored),
    })),
  };
}

/** One row per customer with the requested covariates (ordered by customer id). */
export async function duckDbSurvivalSubjects(
  engine: DuckDbEngine,
  options: SurvivalSubjectsOptions,
): Promise<SurvivalSubjects> {
  const covariates = [...new Set(options.covariates)];
  const select = covariates.map((name) => columnSql(name));
  const ctx = await lifeContext(engine, options);
  if (ctx.source === 'transactions' && covariates.includes('monthly_fee'))
    throw new UserError('monthly_fee needs subscriptions; this workspace has only transactions');
  const isNumeric = (n: SurvivalCovariate) => (SURVIVAL_NUMERIC_COVARIATES as readonly string[]).includes(n);
  const kinds: Record<string, 'f64' | 'string'> = { customer_id: 'string', days: 'f64', event: 'f64' };
  covariates.forEach((name, j) => (kinds[`v${j}`] = isNumeric(name) ? 'f64' : 'string'));
  const columns = await readColumns(
    engine.connection,
    `${ctx.cte}
     SELECT l.customer_id, CAST(date_diff('day', l.start, l.stop) AS DOUBLE) AS days,
       CAST(l.event AS DOUBLE) AS event${covariates
         .map((name, j) =>
           isNumeric(name)
             ? `, CAST(${select[j]!} AS DOUBLE) AS v${j}`
             : `, CAST(${select[j]!} AS VARCHAR) AS v${j}`,
         )
         .join('')}
     FROM life l LEFT JOIN customers c USING (customer_id)
     ORDER BY l.customer_id`,
    kinds,
    [ctx.asOf],
  );
  const col = columns as Record<string, Float64Array | string[]>;
  return {
    source: ctx.source,
    asOf: ctx.asOf,
    customerIds: col.customer_id as string[],
    days: col.days as Float64Array,
    events: Uint8Array.from(col.event as Float64Array),
    numeric: covariates
      .map((name, j) => ({ name, j }))
      .filter(({ name }) => isNumeric(name))
      .map(({ name, j }) => ({ name, values: col[`v${j}`] as Float64Array })),
    categorical: covariates
      .map((name, j) => ({ name, j }))
      .filter(({ name }) => !isNumeric(name))
      .map(({ name, j }) => ({ name, values: col[`v${j}`] as string[] })),
  };
}

/** The label of a cohort period starting on day `d` (SQL). */
function cohortLabel(period: CohortPeriod, d: string): string {
  if (period === 'month') return `strftime(${d}, '%Y-%m')`;
  if (period === 'quarter') return `strftime(${d}, '%Y') || '-Q' || CAST(quarter(${d}) AS VARCHAR)`;
  return `strftime(${d}, '%Y')`;
}

/** Customers per (acquisition cohort, complete periods observed, churn period). */
export async function duckDbCohortCounts(
  engine: DuckDbEngine,
  options: CohortCountsOptions,
): Promise<CohortCounts> {
  const { period, maxPeriods: max } = checkCohortOptions(options);
  const ctx = await lifeContext(engine, options);
  const cap = (expr: string) => (max === undefined ? expr : `least(${expr}, ${max})`);
  const rows = await engine.query(
    `${ctx.cte},
     cells AS (
       SELECT date_trunc('${period}', start)::DATE AS cohort_start,
         date_diff('${period}', date_trunc('${period}', start), date_trunc('${period}', CAST($1 AS DATE) + INTERVAL 1 DAY)) - 1 AS observed,
         CASE WHEN event THEN date_diff('${period}', date_trunc('${period}', start), date_trunc('${period}', stop)) END AS churn
       FROM life)
     SELECT ${cohortLabel(period, 'cohort_start')} AS cohort, ${cap('observed')} AS observed,
       CASE WHEN churn <= ${cap('observed')} THEN churn END AS churn, count(*) AS customers
     FROM cells WHERE observed >= 0
     GROUP BY ALL
     UNION ALL
     SELECT NULL, NULL, NULL, count(*) FROM cells WHERE observed < 0
     ORDER BY cohort NULLS LAST, observed, churn NULLS LAST`,
    [ctx.asOf],
  );
  const incomplete = rows.filter((r) => r.cohort === null).reduce((s, r) => s + Number(r.customers), 0);
  return {
    source: ctx.source,
    asOf: ctx.asOf,
    period,
    incomplete,
    rows: rows
      .filter((r) => r.cohort !== null)
      .map((r) => ({
        cohort: String(r.cohort),
        periodsObserved: Number(r.observed),
        churnPeriod: r.churn === null ? null : Number(r.churn),
        customers: Number(r.customers),
      })),
  };
}
