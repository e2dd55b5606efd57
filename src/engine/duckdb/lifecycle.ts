/**
 * Lifecycle stages in DuckDB SQL (DOMAIN.md 3): signals per customer as of a date and the three stage
 * models as CASE rules, so that the current stages and the month-end history are one query each.
 */
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
import { UserError } from '../../util/errors.js';
import { LOST_SEVERITY, type CustomerAlertSpec } from '../alert-types.js';
import { customerAlertSql } from './alerts.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';
import { lifecycleRuleTexts } from '../lifecycle-options.js';

/**
 * The per-customer stage query; `$1` is the as-of date. With alert rules and `declineAlertSeverity` > 0,
 * the customer's early-warning level joins in (one more pass over the transactions). `purchaseDays` names
 * a table of (customer_id, d, amount) purchase days covering at least every day up to the as-of date
 * (the history builds it once for all month ends); by default the days are aggregated here.
 */
export function lifecycleSql(
  rules: LifecycleRules,
  alerts: CustomerAlertSpec | null = null,
  purchaseDays: string | null = null,
): string {
  const r = lifecycleRuleTexts(rules);
  const asOf = 'CAST($1 AS DATE)';
  const severity = Number(r.declineAlertSeverity);
  const useAlerts = alerts !== null && severity > 0;
  const alertSeverity = !useAlerts
    ? '0'
    : rules.declineOnRecencyAlert
      ? `CASE WHEN al.severity < ${LOST_SEVERITY} THEN al.severity ELSE 0 END`
      : 'coalesce(al.volume_severity, 0)';
  const alertLevel = !useAlerts
    ? "''"
    : rules.declineOnRecencyAlert
      ? `CASE WHEN al.severity < ${LOST_SEVERITY} THEN coalesce(al.level, '') ELSE '' END`
      : "coalesce(al.volume_level, '')";
  const pct = (col: string) => `coalesce(CAST(round(al.${col}, 1) AS VARCHAR) || ' %', 'n/a')`;
  const alertRule =
    `'early-warning level ' || ${alertLevel} || ' (F down ' || ${pct('f_down')} || ', M down ' || ` +
    `${pct('m_down')} || ' against the own baseline, R ' || date_diff('day', last_d, ${asOf}) || ' days)'`;
  return `
    WITH days AS (${
      purchaseDays === null
        ? `SELECT customer_id, CAST("date" AS DATE) AS d, sum(amount) AS amount FROM transactions
      WHERE "date" < ${asOf} + INTERVAL 1 DAY GROUP BY ALL`
        : `SELECT customer_id, d, amount FROM ${purchaseDays} WHERE d <= ${asOf}`
    }),
    agg0 AS (
      SELECT customer_id, min(d) AS first_d, max(d) AS last_d, count(*) AS purchases,
        coalesce(sum(amount) FILTER (WHERE d > ${asOf} - INTERVAL ${r.trendDays} DAY), 0) AS recent,
        coalesce(sum(amount) FILTER (WHERE d <= ${asOf} - INTERVAL ${r.trendDays} DAY
          AND d > ${asOf} - INTERVAL ${2 * rules.trendDays} DAY), 0) AS previous,
        max(d) FILTER (WHERE d < ${asOf} - INTERVAL ${r.reactivatedDays} DAY) AS before_window
      FROM days GROUP BY customer_id),
    -- only a return within reactivatedDays can make a customer "reactivated": the gaps before the purchase
    -- days of that window are enough (the first one's predecessor is the last day before the window), so
    -- the window function runs over a few rows per customer instead of the whole history
    back AS (
      SELECT customer_id, max(d) AS return_d FROM (
        SELECT w.customer_id, w.d,
          coalesce(lag(w.d) OVER (PARTITION BY w.customer_id ORDER BY w.d), a.before_window) AS prev
        FROM (SELECT DISTINCT customer_id, CAST("date" AS DATE) AS d FROM transactions
              WHERE "date" >= ${asOf} - INTERVAL ${r.reactivatedDays} DAY AND "date" < ${asOf} + INTERVAL 1 DAY) w
          JOIN agg0 a USING (customer_id))
      WHERE date_diff('day', prev, d) > ${r.lostDays} GROUP BY customer_id),
    agg AS (SELECT agg0.*, back.return_d FROM agg0 LEFT JOIN back USING (customer_id)),
    churned AS (
      SELECT DISTINCT ce.customer_id FROM churn_events ce JOIN agg USING (customer_id)
      WHERE ce."date" <= ${asOf} AND ce."date" >= agg.last_d),
    ended AS (
      SELECT customer_id FROM subscriptions WHERE start_date <= ${asOf} GROUP BY customer_id
      HAVING bool_and(end_date IS NOT NULL AND end_date < ${asOf})),
    s AS (
      SELECT c.customer_id, c.signup_date, first_d,
        date_diff('day', last_d, ${asOf}) AS recency,
        date_diff('day', least(first_d, coalesce(c.signup_date, first_d)), ${asOf}) AS tenure,
        date_diff('day', first_d, ${asOf}) AS since_first,
        date_diff('day', first_d, last_d) AS length_at_last,
        coalesce(purchases, 0) AS purchases, coalesce(recent, 0) AS recent, coalesce(previous, 0) AS previous,
        date_diff('day', return_d, ${asOf}) AS since_return,
        (ch.customer_id IS NOT NULL OR e.customer_id IS NOT NULL) AS churn_recorded,
        CASE WHEN previous > 0 THEN (recent - previous) / previous WHEN recent > 0 THEN 'Infinity'::DOUBLE ELSE -1 END AS trend,
        ${alertSeverity} AS alert_severity, ${alertLevel} AS alert_level${useAlerts ? `,\n        ${alertRule} AS alert_rule` : ''}
      FROM customers c LEFT JOIN agg USING (customer_id)
        LEFT JOIN churned ch ON ch.customer_id = c.customer_id
        LEFT JOIN ended e ON e.customer_id = c.customer_id${useAlerts ? `\n        LEFT JOIN (SELECT customer_id, severity, level, volume_severity, volume_level, f_down, m_down FROM (${customerAlertSql(alerts)})) al ON al.customer_id = c.customer_id` : ''}),
    staged AS (
      SELECT *,
        CASE WHEN purchases = 0 THEN 'prospect'
             WHEN churn_recorded OR recency > ${r.lostDays} THEN 'lost'
             WHEN since_first <= ${r.newDays} THEN 'new'
             WHEN since_return <= ${r.reactivatedDays} THEN 'reactivated'
             WHEN recency <= ${r.activeDays} THEN 'active'
             ELSE 'dormant' END AS state,
        CASE WHEN purchases = 0 THEN 'no purchase yet'
             WHEN churn_recorded THEN 'churn recorded (churn event or every contract ended)'
             WHEN recency > ${r.lostDays} THEN 'recency > ${r.lostDays} days'
             WHEN since_first <= ${r.newDays} THEN 'first purchase within ${r.newDays} days'
             WHEN since_return <= ${r.reactivatedDays} THEN 'back within ${r.reactivatedDays} days after a gap > ${r.lostDays} days'
             WHEN recency <= ${r.activeDays} THEN 'recency <= ${r.activeDays} days'
             ELSE '${r.activeDays} < recency <= ${r.lostDays} days' END AS state_rule,
        CASE WHEN purchases = 0 THEN 'prospect'
             WHEN churn_recorded OR recency > ${r.lostDays} THEN 'ended'
             WHEN tenure < ${r.explorationDays} OR purchases < ${r.explorationPurchases} THEN 'exploration'
             WHEN alert_severity >= ${useAlerts ? severity : 'NULL'} THEN 'decline'
             WHEN trend > ${r.growth} THEN 'formation'
             WHEN trend < -${r.growth} THEN 'decline'
             ELSE 'stability' END AS relationship,
        CASE WHEN purchases = 0 THEN 'no purchase yet'
             WHEN churn_recorded OR recency > ${r.lostDays} THEN 'lost'
             WHEN tenure < ${r.explorationDays} THEN 'tenure < ${r.explorationDays} days'
             WHEN purchases < ${r.explorationPurchases} THEN 'fewer than ${r.explorationPurchases} purchases'
             WHEN alert_severity >= ${useAlerts ? severity : 'NULL'} THEN ${useAlerts ? 'alert_rule' : 'NULL'}
             WHEN trend > ${r.growth} THEN 'spend trend > +${rules.growth * 100} %'
             WHEN trend < -${r.growth} THEN 'spend trend < -${rules.growth * 100} %'
             ELSE 'spend trend within +/-${rules.growth * 100} %' END AS stage_rule
      FROM s)
    SELECT *,
      CASE relationship WHEN 'ended' THEN 'decline' ELSE relationship END AS four_stage,
      CASE relationship WHEN 'prospect' THEN 'acquisition' WHEN 'exploration' THEN 'acquisition'
        WHEN 'formation' THEN 'build-up' WHEN 'stability' THEN 'maturity' WHEN 'decline' THEN 'decline'
        ELSE 'exit' END AS five_stage,
      CASE WHEN state <> 'lost' THEN ''
           WHEN length_at_last < ${r.explorationDays} OR purchases < ${r.explorationPurchases} THEN 'I'
           WHEN length_at_last < ${r.patternFormationDays} THEN 'II'
           WHEN length_at_last < ${r.patternStableDays} THEN 'III'
           ELSE 'IV' END AS pattern
    FROM staged`;
}

export async function duckDbLifecycleStages(
  engine: DuckDbEngine,
  options: LifecycleOptions,
): Promise<LifecycleStages> {
  const cols = await readColumns(
    engine.connection,
    `SELECT customer_id, CAST(recency AS DOUBLE), CAST(tenure AS DOUBLE), CAST(purchases AS DOUBLE),
       CAST(recent AS DOUBLE), CAST(previous AS DOUBLE), CAST(trend AS DOUBLE), state, state_rule,
       four_stage, five_stage, stage_rule, pattern, alert_level
     FROM (${lifecycleSql(options.rules, options.alerts ?? null)}) ORDER BY customer_id`,
    {
      customerIds: 'string',
      recency: 'f64',
      tenure: 'f64',
      purchases: 'f64',
      spendRecent: 'f64',
      spendPrevious: 'f64',
      trend: 'f64',
      state: 'string',
      stateRule: 'string',
      fourStage: 'string',
      fiveStage: 'string',
      stageRule: 'string',
      pattern: 'string',
      alertLevel: 'string',
    } as const,
    [options.asOf],
  );
  return { asOf: options.asOf, ...cols };
}

export async function duckDbLifecycleCounts(
  engine: DuckDbEngine,
  options: LifecycleOptions,
): Promise<LifecycleCount[]> {
  const rows = await engine.query(
    `SELECT state, four_stage, five_stage, pattern, count(*) AS n FROM (${lifecycleSql(options.rules, options.alerts ?? null)})
     GROUP BY ALL ORDER BY ALL`,
    [options.asOf],
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

const DAYS_TABLE = 'retain_purchase_days';

/** Record every customer's stages at each month end (replacing earlier records of those months). */
export async function duckDbRecordLifecycleHistory(
  engine: DuckDbEngine,
  monthEnds: readonly string[],
  options: Omit<LifecycleOptions, 'asOf'>,
  onMonth?: (done: number) => void,
): Promise<number> {
  let rows = 0;
  // the purchase days up to the last month end, aggregated once instead of once per month
  const last = [...monthEnds].sort().at(-1);
  if (last === undefined) return 0;
  await engine.run(`DROP TABLE IF EXISTS ${DAYS_TABLE}`);
  await engine.run(
    `CREATE TEMP TABLE ${DAYS_TABLE} AS SELECT customer_id, CAST("date" AS DATE) AS d, sum(amount) AS amount
     FROM transactions WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY GROUP BY ALL`,
    [last],
  );
  try {
    for (const [k, monthEnd] of monthEnds.entries()) {
      await engine.transaction(async () => {
        await engine.run(`DELETE FROM lifecycle_history WHERE month_end = CAST($1 AS DATE)`, [monthEnd]);
        await engine.run(`DELETE FROM lifecycle_tiers WHERE month_end = CAST($1 AS DATE)`, [monthEnd]);
        // the value tiers' thresholds on that day: the 1/3 and 2/3 quantiles of the paying customers'
        // revenue over 365 days (as lifecycle analysis and the customer view assign tiers)
        await engine.run(
          `INSERT INTO lifecycle_tiers SELECT CAST($1 AS DATE), quantile_cont(revenue, 2 / 3),
             quantile_cont(revenue, 1 / 3)
           FROM (SELECT customer_id, sum(amount) AS revenue FROM ${DAYS_TABLE}
                 WHERE d <= CAST($1 AS DATE) AND d >= CAST($1 AS DATE) - INTERVAL 364 DAY GROUP BY customer_id)
           WHERE revenue > 0`,
          [monthEnd],
        );
        await engine.run(
          `INSERT INTO lifecycle_history SELECT CAST($1 AS DATE), customer_id, state, four_stage, five_stage
           FROM (${lifecycleSql(options.rules, options.alerts ?? null, DAYS_TABLE)})
           WHERE purchases > 0 OR signup_date <= CAST($1 AS DATE)`,
          [monthEnd],
        );
      });
      onMonth?.(k + 1);
    }
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${DAYS_TABLE}`);
  }
  const [r] = await engine.query(`SELECT count(*) AS n FROM lifecycle_history`);
  rows = Number(r!.n);
  return rows;
}

export async function duckDbLifecycleMix(
  engine: DuckDbEngine,
  model: LifecycleModel,
): Promise<LifecycleHistoryRow[]> {
  if (!LIFECYCLE_MODELS.includes(model)) throw new UserError(`unknown lifecycle model ${model}`);
  const rows = await engine.query(
    `SELECT strftime(month_end, '%Y-%m-%d') AS m, ${COLUMN[model]} AS stage, count(*) AS n FROM lifecycle_history
     GROUP BY ALL ORDER BY m, stage`,
  );
  return rows.map((r) => ({ monthEnd: String(r.m), stage: String(r.stage), customers: Number(r.n) }));
}

export async function duckDbLifecycleTransitions(
  engine: DuckDbEngine,
  model: LifecycleModel,
  from: string,
  to: string,
): Promise<LifecycleTransition[]> {
  const col = COLUMN[model];
  const [have] = await engine.query(
    `SELECT count(DISTINCT month_end) AS n FROM lifecycle_history WHERE month_end IN (CAST($1 AS DATE), CAST($2 AS DATE))`,
    [from, to],
  );
  if (Number(have!.n) < 2)
    throw new UserError(
      `no recorded month-end stages for ${from} and ${to}: run \`retain lifecycle history\` first`,
    );
  const rows = await engine.query(
    `SELECT coalesce(a.${col}, '(not yet a customer)') AS f, b.${col} AS t, count(*) AS n
     FROM (SELECT * FROM lifecycle_history WHERE month_end = CAST($2 AS DATE)) b
     LEFT JOIN (SELECT * FROM lifecycle_history WHERE month_end = CAST($1 AS DATE)) a USING (customer_id)
     GROUP BY ALL ORDER BY f, t`,
    [from, to],
  );
  return rows.map((r) => ({ from: String(r.f), to: String(r.t), customers: Number(r.n) }));
}
