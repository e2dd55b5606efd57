/**
 * Lifecycle stages in ClickHouse SQL (DOMAIN.md 3), the same rules as src/engine/duckdb/lifecycle.ts: the
 * signals per customer as of a day and the three stage models, then counts, the month-end history (each
 * month a partition of `lifecycle_history`) and the moves between two recorded month ends.
 *
 * 18.16 pitfalls worked around:
 * - one JOIN per SELECT and no CTEs: the stage query is `customers ANY LEFT JOIN (signals)` where the
 *   signals nest one more JOIN per source (purchase days, churn events + contracts as one UNION ALL, alert
 *   levels). With the Distributed `customers` outermost, every nested sharded table is read shard-local
 *   (distributed_product_mode = 'local'), so the whole per-customer step runs on each shard;
 * - no window function for "back after a gap": each customer's sorted purchase day numbers (an array) give
 *   the gap before every day;
 * - the query runs with join_use_nulls = 0, so customers without purchases get 0 / '' from the JOIN and
 *   the stage rules stay plain (non-Nullable) conditions; the NULLs the interface wants (NaN recency,
 *   tenure from the signup alone, as DuckDB's `least` skips a NULL) are put back explicitly;
 * - windows are compared as day numbers (`toRelativeDayNum`) against literals computed here, so the day
 *   thresholds may be any number >= 0 as on DuckDB;
 * - `toString(Float64)` writes 12 where DuckDB writes 12.0: the alert explanation adds the '.0';
 * - replacing a month is `DROP PARTITION` on every shard (synchronous, unlike ALTER DELETE); the alert
 *   levels come from alerts.ts's SELECT over the Distributed tables, so the month's stages are inserted
 *   through the Distributed table (a per-shard INSERT over local tables would run that SELECT on all
 *   shards from every shard).
 */
import type { ClickHouseEngine } from './clickhouse-engine.js';
import {
  LIFECYCLE_MODELS,
  type LifecycleCount,
  type LifecycleHistoryRow,
  type LifecycleModel,
  type LifecycleOptions,
  type LifecycleRules,
  type LifecycleStages,
  type LifecycleTransition,
} from '../lifecycle-types.js';
import { LOST_SEVERITY, type CustomerAlertSpec } from '../alert-types.js';
import { lifecycleRuleTexts } from '../lifecycle-options.js';
import { UserError } from '../../util/errors.js';
import { chDate, chNumber, chString } from './sql.js';
import { chCustomerAlertSql } from './alerts.js';
import { nextVersion } from './records.js';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a checked `YYYY-MM-DD` (what `toRelativeDayNum` gives for that Date). */
function dayNumber(day: string): number {
  chDate(day);
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

/** A Float64 as DuckDB casts it to text (an integral value keeps a '.0'). */
const duckText = (expr: string): string =>
  `concat(toString(${expr}), if(${expr} = floor(${expr}) AND NOT isInfinite(${expr}), '.0', ''))`;

/**
 * Per customer with a purchase day up to the as-of day: first / last day, purchase days, the two spend
 * windows, whether (and how long ago) they came back after a gap > lostDays within reactivatedDays, and
 * whether a churn was recorded (a churn event since the last purchase, or every contract ended).
 */
function signalsSql(
  engine: ClickHouseEngine,
  rules: LifecycleRules,
  alerts: CustomerAlertSpec | null,
  asOf: string,
): string {
  const a = dayNumber(asOf);
  const asOfDay = chDate(asOf);
  const n = chNumber;
  const purchaseDays = `SELECT customer_id, toRelativeDayNum(toDate(date)) AS dn, sum(amount) AS amount
    FROM ${engine.t('transactions')} WHERE toDate(date) <= ${asOfDay} GROUP BY customer_id, dn`;
  const perCustomer = `SELECT customer_id, min(dn) AS p_first, max(dn) AS p_last, count() AS p_days,
      sumIf(amount, dn > ${n(a - rules.trendDays)}) AS p_recent,
      sumIf(amount, dn <= ${n(a - rules.trendDays)} AND dn > ${n(a - 2 * rules.trendDays)}) AS p_previous,
      arraySort(groupArray(dn)) AS p_sorted,
      arrayFilter((d, prev) -> d >= ${n(a - rules.reactivatedDays)} AND d - prev > ${n(rules.lostDays)},
        p_sorted, arrayPushFront(arrayPopBack(p_sorted), p_sorted[1])) AS p_returns,
      notEmpty(p_returns) AS p_came_back, ${a} - arrayReduce('max', p_returns) AS p_since_return
    FROM (${purchaseDays}) GROUP BY customer_id`;
  const churn = `SELECT customer_id, max(ce_n) AS c_events, max(ce_last) AS c_last_event,
      max(sub_n) AS c_contracts, max(sub_ended) AS c_all_ended
    FROM (
      SELECT customer_id, count() AS ce_n, max(toRelativeDayNum(date)) AS ce_last, toUInt64(0) AS sub_n,
        toUInt8(0) AS sub_ended
      FROM ${engine.t('churn_events')} WHERE date <= ${asOfDay} GROUP BY customer_id
      UNION ALL
      SELECT customer_id, toUInt64(0), toUInt32(0), count(),
        toUInt8(min(ifNull(end_date < ${asOfDay}, 0)))
      FROM ${engine.t('subscriptions')} WHERE start_date <= ${asOfDay} GROUP BY customer_id)
    GROUP BY customer_id`;
  const withChurn = `SELECT customer_id, p_first, p_last, p_days, p_recent, p_previous, p_came_back,
      p_since_return,
      (c_events > 0 AND c_last_event >= p_last) OR (c_contracts > 0 AND c_all_ended = 1) AS p_churned
    FROM (${perCustomer}) ANY LEFT JOIN (${churn}) USING customer_id`;
  if (alerts === null) return withChurn;
  return `SELECT customer_id, p_first, p_last, p_days, p_recent, p_previous, p_came_back, p_since_return,
      p_churned, al_severity, al_level, al_volume_severity, al_volume_level, al_f_down, al_m_down, al_found
    FROM (${withChurn}) ANY LEFT JOIN (
      SELECT customer_id, severity AS al_severity, level AS al_level, volume_severity AS al_volume_severity,
        volume_level AS al_volume_level, f_down AS al_f_down, m_down AS al_m_down,
        1 AS al_found
      FROM (${chCustomerAlertSql(engine, alerts, asOf)})) USING customer_id`;
}

/**
 * Every customer's signals and stages as one SELECT (columns as DuckDB's `lifecycleSql`, plus
 * `has_purchases`), with the Distributed `customers` outermost so that it runs on every shard.
 */
function lifecycleSql(
  engine: ClickHouseEngine,
  rules: LifecycleRules,
  alerts: CustomerAlertSpec | null,
  asOf: string,
): string {
  const r = lifecycleRuleTexts(rules);
  const a = dayNumber(asOf);
  const severity = rules.declineAlertSeverity;
  const useAlerts = alerts !== null && severity > 0;
  const n = chNumber;
  const text = chString;
  const alertSeverity = !useAlerts
    ? '0'
    : rules.declineOnRecencyAlert
      ? `if(al_found = 1 AND al_severity < ${LOST_SEVERITY}, al_severity, 0)`
      : 'if(al_found = 1, al_volume_severity, 0)';
  const alertLevel = !useAlerts
    ? "''"
    : rules.declineOnRecencyAlert
      ? `if(al_found = 1 AND al_severity < ${LOST_SEVERITY}, al_level, '')`
      : "if(al_found = 1, al_volume_level, '')";
  const pct = (col: string) =>
    `if(al_found = 1 AND isNotNull(${col}), concat(${duckText(`round(assumeNotNull(${col}), 1)`)}, ' %'), 'n/a')`;
  const alertRule = `concat('early-warning level ', alert_level, ' (F down ', ${pct('al_f_down')}, ', M down ',
      ${pct('al_m_down')}, ' against the own baseline, R ', toString(recency_days), ' days)')`;
  const lost = 'churn_recorded OR recency_days > ' + n(rules.lostDays);
  const exploring = `tenure_days < ${n(rules.explorationDays)} OR purchases < ${n(rules.explorationPurchases)}`;
  const alertDecline = useAlerts ? `alert_severity >= ${n(severity)}` : '0';
  const growth = `${rules.growth * 100}`;
  return `SELECT customer_id, signup_date, p_days > 0 AS has_purchases, toFloat64(p_days) AS purchases,
      ${a} - p_last AS recency_days, ${a} - least(p_first, ifNull(toRelativeDayNum(signup_date), p_first)) AS tenure_days,
      ${a} - toRelativeDayNum(signup_date) AS since_signup,
      ${a} - p_first AS since_first, p_last - p_first AS length_at_last,
      p_recent AS recent, p_previous AS previous, p_churned = 1 AS churn_recorded,
      multiIf(p_previous > 0, (p_recent - p_previous) / p_previous, p_recent > 0, inf, -1) AS trend,
      ${alertSeverity} AS alert_severity, ${alertLevel} AS alert_level,
      multiIf(NOT has_purchases, 'prospect', ${lost}, 'lost', since_first <= ${n(rules.newDays)}, 'new',
        p_came_back = 1 AND p_since_return <= ${n(rules.reactivatedDays)}, 'reactivated',
        recency_days <= ${n(rules.activeDays)}, 'active', 'dormant') AS state,
      multiIf(NOT has_purchases, 'no purchase yet',
        churn_recorded, 'churn recorded (churn event or every contract ended)',
        recency_days > ${n(rules.lostDays)}, ${text(`recency > ${r.lostDays} days`)},
        since_first <= ${n(rules.newDays)}, ${text(`first purchase within ${r.newDays} days`)},
        p_came_back = 1 AND p_since_return <= ${n(rules.reactivatedDays)},
          ${text(`back within ${r.reactivatedDays} days after a gap > ${r.lostDays} days`)},
        recency_days <= ${n(rules.activeDays)}, ${text(`recency <= ${r.activeDays} days`)},
        ${text(`${r.activeDays} < recency <= ${r.lostDays} days`)}) AS state_rule,
      multiIf(NOT has_purchases, 'prospect', ${lost}, 'ended', ${exploring}, 'exploration',
        ${alertDecline}, 'decline', trend > ${n(rules.growth)}, 'formation', trend < ${n(-rules.growth)}, 'decline',
        'stability') AS relationship,
      multiIf(NOT has_purchases, 'no purchase yet', ${lost}, 'lost',
        tenure_days < ${n(rules.explorationDays)}, ${text(`tenure < ${r.explorationDays} days`)},
        purchases < ${n(rules.explorationPurchases)}, ${text(`fewer than ${r.explorationPurchases} purchases`)},
        ${alertDecline}, ${useAlerts ? alertRule : "''"},
        trend > ${n(rules.growth)}, ${text(`spend trend > +${growth} %`)},
        trend < ${n(-rules.growth)}, ${text(`spend trend < -${growth} %`)},
        ${text(`spend trend within +/-${growth} %`)}) AS stage_rule,
      if(relationship = 'ended', 'decline', relationship) AS four_stage,
      transform(relationship, ['prospect', 'exploration', 'formation', 'stability', 'decline'],
        ['acquisition', 'acquisition', 'build-up', 'maturity', 'decline'], 'exit') AS five_stage,
      multiIf(state != 'lost', '', length_at_last < ${n(rules.explorationDays)} OR purchases < ${n(rules.explorationPurchases)}, 'I',
        length_at_last < ${n(rules.patternFormationDays)}, 'II', length_at_last < ${n(rules.patternStableDays)}, 'III',
        'IV') AS pattern
    FROM ${engine.t('customers')} ANY LEFT JOIN (${signalsSql(engine, rules, useAlerts ? alerts : null, asOf)}) USING customer_id`;
}

/** Unmatched JOIN rows read as defaults (0, ''), not NULL: see the header. */
const SETTINGS = { join_use_nulls: 0 };

export async function chLifecycleStages(
  engine: ClickHouseEngine,
  options: LifecycleOptions,
): Promise<LifecycleStages> {
  const sql = lifecycleSql(engine, options.rules, options.alerts ?? null, options.asOf);
  const rows = await engine.conn.rowBinary(
    `SELECT customer_id, if(has_purchases, toFloat64(recency_days), nan),
       if(has_purchases, toFloat64(tenure_days), ifNull(toFloat64(since_signup), nan)), purchases, toFloat64(recent), toFloat64(previous),
       toFloat64(trend), state, state_rule, four_stage, five_stage, stage_rule, pattern, alert_level
     FROM (${sql}) ORDER BY customer_id`,
    [
      'String',
      'Float64',
      'Float64',
      'Float64',
      'Float64',
      'Float64',
      'Float64',
      'String',
      'String',
      'String',
      'String',
      'String',
      'String',
      'String',
    ],
    SETTINGS,
  );
  const floats = (k: number) => Float64Array.from(rows, (row) => row[k] as number);
  const strings = (k: number) => rows.map((row) => row[k] as string);
  return {
    asOf: options.asOf,
    customerIds: strings(0),
    recency: floats(1),
    tenure: floats(2),
    purchases: floats(3),
    spendRecent: floats(4),
    spendPrevious: floats(5),
    trend: floats(6),
    state: strings(7),
    stateRule: strings(8),
    fourStage: strings(9),
    fiveStage: strings(10),
    stageRule: strings(11),
    pattern: strings(12),
    alertLevel: strings(13),
  };
}

export async function chLifecycleCounts(
  engine: ClickHouseEngine,
  options: LifecycleOptions,
): Promise<LifecycleCount[]> {
  const sql = lifecycleSql(engine, options.rules, options.alerts ?? null, options.asOf);
  const rows = await engine.conn.query(
    `SELECT state, four_stage, five_stage, pattern, count() AS n FROM (${sql})
     GROUP BY state, four_stage, five_stage, pattern ORDER BY state, four_stage, five_stage, pattern`,
    SETTINGS,
  );
  return rows.map((r) => ({
    state: String(r.state),
    fourStage: String(r.four_stage),
    fiveStage: String(r.five_stage),
    pattern: String(r.pattern),
    customers: Number(r.n),
  }));
}

const COLUMN: Record<LifecycleModel, string> = {
  states: 'state',
  'four-stage': 'four_stage',
  'five-stage': 'five_stage',
};

/**
 * The value tiers' thresholds at a month end: the 1/3 and 2/3 quantiles of the paying customers' revenue
 * over 365 days, interpolated as DuckDB's quantile_cont (18.16 has no interpolating exact quantile).
 */
async function recordTiers(engine: ClickHouseEngine, monthEnd: string): Promise<void> {
  const day = chDate(monthEnd);
  const quantile = (p: string) =>
    `if(n = 0, NULL, sorted[toUInt64(floor((n - 1) * ${p})) + 1] + ((n - 1) * ${p} - floor((n - 1) * ${p})) *
      (sorted[toUInt64(ceil((n - 1) * ${p})) + 1] - sorted[toUInt64(floor((n - 1) * ${p})) + 1]))`;
  const [t] = await engine.conn.query(
    `SELECT ${quantile('(2 / 3)')} AS high, ${quantile('(1 / 3)')} AS medium FROM (
       SELECT arraySort(groupArray(revenue)) AS sorted, length(sorted) AS n FROM (
         SELECT customer_id, sum(amount) AS revenue FROM ${engine.t('transactions')}
         WHERE toDate(date) <= ${day} AND toDate(date) >= ${day} - 364 GROUP BY customer_id)
       WHERE revenue > 0)`,
  );
  await engine.conn.insertRows(engine.t('lifecycle_tiers'), [
    {
      month_end: monthEnd,
      high: t!.high ?? null,
      medium: t!.medium ?? null,
      version: nextVersion(),
      deleted: 0,
    },
  ]);
}

/** Record every customer's stages at each month end (replacing earlier records of those months). */
export async function chRecordLifecycleHistory(
  engine: ClickHouseEngine,
  monthEnds: readonly string[],
  options: Omit<LifecycleOptions, 'asOf'>,
  onMonth?: (done: number) => void,
): Promise<number> {
  if (monthEnds.length === 0) return 0;
  const local = engine.conn.local('lifecycle_history');
  for (const [k, monthEnd] of monthEnds.entries()) {
    const day = chDate(monthEnd);
    const sql = lifecycleSql(engine, options.rules, options.alerts ?? null, monthEnd);
    await engine.conn.commandOnShards(`ALTER TABLE ${local} DROP PARTITION ${day}`);
    // staged on every shard, inserted through the Distributed table (same sharding by customer)
    await engine.conn.command(
      `INSERT INTO ${engine.t('lifecycle_history')} (month_end, customer_id, state, four_stage, five_stage)
       SELECT ${day}, customer_id, state, four_stage, five_stage FROM (${sql})
       WHERE has_purchases OR ifNull(signup_date <= ${day}, 0)`,
      SETTINGS,
    );
    await recordTiers(engine, monthEnd);
    onMonth?.(k + 1);
  }
  const [r] = await engine.conn.query(`SELECT count() AS n FROM ${engine.t('lifecycle_history')}`);
  return Number(r!.n);
}

export async function chLifecycleMix(
  engine: ClickHouseEngine,
  model: LifecycleModel,
): Promise<LifecycleHistoryRow[]> {
  if (!LIFECYCLE_MODELS.includes(model)) throw new UserError(`unknown lifecycle model ${model}`);
  const rows = await engine.conn.query(
    `SELECT toString(month_end) AS m, ${COLUMN[model]} AS stage, count() AS n
     FROM ${engine.t('lifecycle_history')} GROUP BY m, stage ORDER BY m, stage`,
  );
  return rows.map((r) => ({ monthEnd: String(r.m), stage: String(r.stage), customers: Number(r.n) }));
}

export async function chLifecycleTransitions(
  engine: ClickHouseEngine,
  model: LifecycleModel,
  from: string,
  to: string,
): Promise<LifecycleTransition[]> {
  if (!LIFECYCLE_MODELS.includes(model)) throw new UserError(`unknown lifecycle model ${model}`);
  const col = COLUMN[model];
  const table = engine.t('lifecycle_history');
  const [have] = await engine.conn.query(
    `SELECT uniqExact(month_end) AS n FROM ${table} WHERE month_end IN (${chDate(from)}, ${chDate(to)})`,
  );
  if (Number(have!.n) < 2)
    throw new UserError(
      `no recorded month-end stages for ${from} and ${to}: run \`retain lifecycle history\` first`,
    );
  // customers recorded at `to` (the Distributed table outermost: each shard joins its own customers)
  const rows = await engine.conn.query(
    `SELECT if(was_recorded = 1, was, '(not yet a customer)') AS f, ${col} AS t, count() AS n
     FROM ${table} ANY LEFT JOIN (
       SELECT customer_id, ${col} AS was, 1 AS was_recorded FROM ${table} WHERE month_end = ${chDate(from)}
     ) USING customer_id
     WHERE month_end = ${chDate(to)} GROUP BY f, t ORDER BY f, t`,
    SETTINGS,
  );
  return rows.map((r) => ({ from: String(r.f), to: String(r.t), customers: Number(r.n) }));
}
