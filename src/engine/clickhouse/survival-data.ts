/**
 * Survival data in ClickHouse SQL, the same rules as duckdb/survival-data.ts (../survival-types.ts): one
 * relationship (start, stop, event) per customer at an as-of day, reduced in ClickHouse to counts per
 * (group, days) and per cohort cell; per-customer rows only for the Cox model (RowBinary).
 *
 * 18.16: no CTEs and one JOIN per SELECT, so the relationship is a nested subquery: per-customer
 * aggregates of subscriptions (or transactions) joined to the customer's last churn day (a JOIN that runs
 * shard-locally: both tables are sharded by customer, distributed_product_mode = 'local'), joined in turn
 * as the right side to the customers table. No window functions: the latest subscription's plan and fee
 * are `argMax` over a tuple key in DuckDB's order. `if(c, x, NULL)` is typed as x (the NULL is lost), so
 * missing values travel as flags (`has_churn`, `churned`) until the end. `greatest` takes two arguments,
 * and max() of an empty table is 1970-01-01, not NULL.
 */
import type { ClickHouseEngine } from './clickhouse-engine.js';
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
import { chDate, chIdent, chNumber, chString } from './sql.js';
import type { RowBinaryType } from './row-binary.js';

interface LifeContext {
  readonly source: SurvivalDataSource;
  readonly asOf: string;
  /**
   * A subquery of one relationship per customer: customer_id, start, stop (Date), event (UInt8),
   * l_plan (Nullable(String)), l_fee (Nullable(Float64)).
   */
  readonly life: string;
}

/** Resolve the as-of day and the source, and build the subquery of one relationship per customer. */
async function lifeContext(engine: ClickHouseEngine, options: SurvivalDataOptions): Promise<LifeContext> {
  const { lostDays } = checkSurvivalDataOptions(options);
  const t = (name: string) => engine.t(name);
  let asOf = options.asOf;
  if (asOf === undefined) {
    // max() of an empty table is 1970-01-01 in ClickHouse, not NULL: count the rows too; greatest() takes
    // two arguments in 18.16
    const [r] = await engine.conn.query(
      `SELECT toString(greatest(
         greatest((SELECT max(toDate(date)) FROM ${t('transactions')}), (SELECT max(start_date) FROM ${t('subscriptions')})),
         greatest((SELECT ifNull(max(end_date), toDate(0)) FROM ${t('subscriptions')}),
           (SELECT max(date) FROM ${t('churn_events')})))) AS d,
       (SELECT count() FROM ${t('transactions')}) + (SELECT count() FROM ${t('subscriptions')})
         + (SELECT count() FROM ${t('churn_events')}) AS n`,
    );
    if (Number(r?.n ?? 0) === 0)
      throw new UserError(
        'the workspace has no subscriptions or transactions: import some first (or use --table FILE)',
      );
    asOf = String(r!.d);
  }
  const A = chDate(asOf);
  const [counts] = await engine.conn.query(
    `SELECT (SELECT count() FROM ${t('subscriptions')} WHERE start_date <= ${A}) AS subs,
       (SELECT count() FROM ${t('transactions')} WHERE toDate(date) <= ${A}) AS tx`,
  );
  const churn = `(SELECT customer_id, max(date) AS churn_day FROM ${t('churn_events')} WHERE date <= ${A}
      GROUP BY customer_id)`;
  if (Number(counts?.subs ?? 0) > 0) {
    // an end after the as-of day is not known yet: the subscription counts as active
    const ended = `(isNotNull(end_date) AND assumeNotNull(end_date) <= ${A})`;
    // DuckDB's latest row: start_date DESC, end_date DESC NULLS FIRST, subscription_id DESC NULLS LAST,
    // row_key DESC (row keys are decimal strings here: longer is larger)
    const latest = `tuple(start_date, 1 - ${ended}, if(${ended}, assumeNotNull(end_date), toDate(0)),
      isNotNull(subscription_id), ifNull(subscription_id, ''), length(row_key), row_key)`;
    return {
      source: 'subscriptions',
      asOf,
      life: `(SELECT customer_id, start,
          if(all_ended, last_end, if(has_churn AND churn_day >= last_start, churn_day, ${A})) AS stop,
          all_ended OR (has_churn AND churn_day >= last_start) AS event, l_plan, l_fee
        FROM (
          SELECT customer_id, min(start_date) AS start, max(start_date) AS last_start,
            min(${ended}) AS all_ended, maxIf(assumeNotNull(end_date), ${ended}) AS last_end,
            argMax(plan, ${latest}) AS l_plan, argMax(monthly_fee, ${latest}) AS l_fee,
            any(isNotNull(ev_day)) AS has_churn, any(assumeNotNull(ev_day)) AS churn_day
          FROM (SELECT customer_id, start_date, end_date, plan, monthly_fee, subscription_id, row_key
            FROM ${t('subscriptions')} WHERE start_date <= ${A})
          ANY LEFT JOIN (SELECT customer_id, churn_day AS ev_day FROM ${churn}) USING (customer_id)
          GROUP BY customer_id))`,
    };
  }
  if (Number(counts?.tx ?? 0) > 0) {
    return {
      source: 'transactions',
      asOf,
      life: `(SELECT customer_id, start, last_day AS stop,
          dateDiff('day', last_day, ${A}) > ${chNumber(lostDays)}
            OR (isNotNull(ev_day) AND assumeNotNull(ev_day) >= last_day) AS event,
          CAST(NULL AS Nullable(String)) AS l_plan, CAST(NULL AS Nullable(Float64)) AS l_fee
        FROM (SELECT customer_id, min(toDate(date)) AS start, max(toDate(date)) AS last_day
          FROM ${t('transactions')} WHERE toDate(date) <= ${A} GROUP BY customer_id)
        ANY LEFT JOIN (SELECT customer_id, churn_day AS ev_day FROM ${churn}) USING (customer_id))`,
    };
  }
  throw new UserError(`the workspace has no subscriptions or transactions up to ${asOf}`);
}

/** SQL of a customer column over the relationship joined to customers (`c_<name>` columns). */
function columnSql(name: SurvivalCovariate): string {
  checkSurvivalCovariate(name);
  if (name === 'plan') return 'coalesce(l_plan, c_plan)';
  if (name === 'monthly_fee') return 'l_fee';
  return chIdent(`c_${name}`);
}

/** The relationships (right side, so that a customer missing from `customers` stays) with customer columns. */
function lifeWithCustomers(engine: ClickHouseEngine, ctx: LifeContext, columns: readonly string[]): string {
  const select = ['customer_id', ...columns.map((c) => `${chIdent(c)} AS ${chIdent(`c_${c}`)}`)];
  return `(SELECT ${select.join(', ')} FROM ${engine.t('customers')})
    ALL RIGHT JOIN ${ctx.life} USING (customer_id)`;
}

/** The customer columns (of the customers table) that the given covariates read. */
const customerColumns = (names: readonly SurvivalCovariate[]): string[] =>
  [...new Set(names.filter((n) => n !== 'monthly_fee'))].sort();

/** Kaplan-Meier counts per (group, whole days from start to stop). */
export async function chSurvivalCounts(
  engine: ClickHouseEngine,
  options: SurvivalCountsOptions,
): Promise<SurvivalCounts> {
  const by = checkSurvivalBy(options.by);
  const ctx = await lifeContext(engine, options);
  const group = by === null ? `'all'` : `ifNull(toString(${columnSql(by)}), ${chString(MISSING_GROUP)})`;
  const rows = await engine.conn.query(
    `SELECT ${group} AS grp, dateDiff('day', start, stop) AS days,
       countIf(event) AS events, countIf(NOT event) AS censored
     FROM ${lifeWithCustomers(engine, ctx, by === null ? [] : customerColumns([by]))}
     GROUP BY grp, days ORDER BY grp, days`,
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
export async function chSurvivalSubjects(
  engine: ClickHouseEngine,
  options: SurvivalSubjectsOptions,
): Promise<SurvivalSubjects> {
  const covariates = [...new Set(options.covariates)];
  const select = covariates.map((name) => columnSql(name));
  const ctx = await lifeContext(engine, options);
  if (ctx.source === 'transactions' && covariates.includes('monthly_fee'))
    throw new UserError('monthly_fee needs subscriptions; this workspace has only transactions');
  const isNumeric = (n: SurvivalCovariate) => (SURVIVAL_NUMERIC_COVARIATES as readonly string[]).includes(n);
  // missing values as NaN and '' straight from SQL: RowBinary then needs no Nullable columns
  const values = covariates.map((name, j) =>
    isNumeric(name) ? `ifNull(toFloat64(${select[j]!}), nan)` : `ifNull(toString(${select[j]!}), '')`,
  );
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, toFloat64(dateDiff('day', start, stop)), toUInt8(event)${values.map((v) => `, ${v}`).join('')}
     FROM ${lifeWithCustomers(engine, ctx, customerColumns(covariates))}
     ORDER BY customer_id`,
    [
      'String',
      'Float64',
      'UInt8',
      ...covariates.map((n): RowBinaryType => (isNumeric(n) ? 'Float64' : 'String')),
    ],
  );
  const column = <T>(j: number): T[] => rows.map((r) => r[j] as T);
  return {
    source: ctx.source,
    asOf: ctx.asOf,
    customerIds: column<string>(0),
    days: Float64Array.from(column<number>(1)),
    events: Uint8Array.from(column<number>(2)),
    numeric: covariates
      .map((name, j) => ({ name, j }))
      .filter(({ name }) => isNumeric(name))
      .map(({ name, j }) => ({ name, values: Float64Array.from(column<number>(3 + j)) })),
    categorical: covariates
      .map((name, j) => ({ name, j }))
      .filter(({ name }) => !isNumeric(name))
      .map(({ name, j }) => ({ name, values: column<string>(3 + j) })),
  };
}

/** A period's index counted from year 0 (months, quarters or years) of a Date expression. */
function periodIndex(period: CohortPeriod, d: string): string {
  if (period === 'month') return `(toInt32(toYear(${d})) * 12 + toInt32(toMonth(${d})))`;
  if (period === 'quarter') return `(toInt32(toYear(${d})) * 4 + toInt32(toQuarter(${d})))`;
  return `toInt32(toYear(${d}))`;
}

/** The label of the cohort period of a Date expression (no formatDateTime in 18.16). */
function cohortLabel(period: CohortPeriod, d: string): string {
  if (period === 'month') return `substring(toString(${d}), 1, 7)`;
  if (period === 'quarter') return `concat(toString(toYear(${d})), '-Q', toString(toQuarter(${d})))`;
  return `toString(toYear(${d}))`;
}

/** Customers per (acquisition cohort, complete periods observed, churn period). */
export async function chCohortCounts(
  engine: ClickHouseEngine,
  options: CohortCountsOptions,
): Promise<CohortCounts> {
  const { period, maxPeriods: max } = checkCohortOptions(options);
  const ctx = await lifeContext(engine, options);
  const cap = (expr: string) => (max === undefined ? expr : `least(${expr}, ${chNumber(max)})`);
  const first = periodIndex(period, 'start');
  const rows = await engine.conn.query(
    `SELECT observed < 0 AS incomplete, if(incomplete, '', ${cohortLabel(period, 'start')}) AS cohort,
       if(incomplete, 0, ${cap('observed')}) AS observed_cell,
       NOT incomplete AND event AND churn <= observed_cell AS churned, if(churned, churn, 0) AS churn_cell,
       count() AS customers
     FROM (
       SELECT start, event, ${periodIndex(period, `(${chDate(ctx.asOf)} + 1)`)} - ${first} - 1 AS observed,
         ${periodIndex(period, 'stop')} - ${first} AS churn
       FROM ${ctx.life})
     GROUP BY incomplete, cohort, observed_cell, churned, churn_cell
     ORDER BY incomplete, cohort, observed_cell, NOT churned, churn_cell`,
  );
  const incomplete = rows.filter((r) => Number(r.incomplete) === 1);
  return {
    source: ctx.source,
    asOf: ctx.asOf,
    period,
    incomplete: incomplete.reduce((s, r) => s + Number(r.customers), 0),
    rows: rows
      .filter((r) => Number(r.incomplete) === 0)
      .map((r) => ({
        cohort: String(r.cohort),
        periodsObserved: Number(r.observed_cell),
        churnPeriod: Number(r.churned) === 1 ? Number(r.churn_cell) : null,
        customers: Number(r.customers),
      })),
  };
}
