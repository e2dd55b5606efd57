/**
 * Single-customer early warning (DOMAIN 5.3) in DuckDB SQL, and the stored alert history.
 *
 * Per customer, over the transactions of the counted kinds up to the as-of date A (inclusive):
 * - last = the last transaction day, R = A - last in days; first = the first transaction day;
 * - baseline window = the `baselineMonths` calendar months before the month of `last`; the baseline is
 *   the window's transaction count and net amount divided by `baselineMonths` (monthly averages);
 * - recent window = the `recentDays` days ending with `last` (inclusive), count and net amount;
 * - F down % = 100 (1 - recent count / baseline monthly count), M down % likewise with amounts; negative
 *   is growth. Both are NULL for a customer without a full baseline (first transaction after the first
 *   baseline month) and when the baseline is not positive. Rounded to 1e-9 so that exact ties (7 against
 *   a baseline of 10 is 30 %) compare as written;
 * - severity = `LOST_SEVERITY` when R > lostAfterDays, else the highest level any of whose conditions
 *   holds (R in its day range, or F / M down in its percent range), else 0 (no level).
 */
import type {
  AlertChange,
  AlertLevelCount,
  AlertLevelSpec,
  AlertRun,
  CustomerAlertColumns,
  CustomerAlertOptions,
  CustomerAlertResult,
  CustomerAlertRow,
  CustomerAlertSpec,
  PercentRange,
  StoredGroupAlert,
} from '../alert-types.js';
import {
  ALERT_CHANGES,
  FIRED_FREQUENCY,
  FIRED_MONETARY,
  FIRED_RECENCY,
  LOST_LEVEL,
  LOST_SEVERITY,
} from '../alert-types.js';
import { UserError } from '../../util/errors.js';
import { quoteString } from '../sql.js';
import { finiteSetting as finite, wholeSetting as whole } from '../alerts-options.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { kindFilter, resolveAsOf } from './alerts-common.js';
import { readColumns } from './read-columns.js';

const TABLE = 'retain_alerts';
const VIEW = 'retain_alert_changes';

function percentCondition(column: string, range: PercentRange | null, name: string): string {
  if (range === null) return 'false';
  const above = finite(`${name}.above`, range.above);
  const upTo = range.upTo === null ? null : finite(`${name}.upTo`, range.upTo);
  return `coalesce(${column} > ${above}${upTo === null ? '' : ` AND ${column} <= ${upTo}`}, false)`;
}

function levelConditions(levels: readonly AlertLevelSpec[]): string {
  return levels
    .map((l, i) => {
      const n = i + 1;
      const r = l.recencyDays
        ? `r BETWEEN ${whole(`${l.name}.recencyDays.from`, l.recencyDays.from, 0)} AND ${whole(`${l.name}.recencyDays.to`, l.recencyDays.to, 0)}`
        : 'false';
      return `${r} AS r${n}, ${percentCondition('f_down', l.frequencyDownPercent, l.name)} AS f${n},
        ${percentCondition('m_down', l.monetaryDownPercent, l.name)} AS m${n}`;
    })
    .join(',\n');
}

/**
 * Every customer's level as one SELECT (`$1` is the as-of date): customer_id, last_d, r, full_history,
 * recent_n, base_f, f_down, recent_m, base_mm, m_down, severity, level, fired, and volume_severity /
 * volume_level (the highest level whose F or M condition holds, R and lost ignored; 0 / NULL for none).
 * Lifecycle reuses it for "decline at an orange / red alert".
 */
export function customerAlertSql(spec: CustomerAlertSpec): string {
  const levels = spec.levels;
  if (levels.length === 0 || levels.length >= LOST_SEVERITY)
    throw new UserError('there must be 1 to 98 levels');
  const months = whole('baseline months', spec.baselineMonths, 1);
  const recentDays = whole('recent days', spec.recentDays, 1);
  const lost = whole('lost after days', spec.lostAfterDays, 0);
  const severity = [
    `WHEN r > ${lost} THEN ${LOST_SEVERITY}`,
    ...levels.map((_, i) => `WHEN r${i + 1} OR f${i + 1} OR m${i + 1} THEN ${i + 1}`).reverse(),
  ].join(' ');
  const volumeSeverity = levels
    .map((_, i) => `WHEN f${i + 1} OR m${i + 1} THEN ${i + 1}`)
    .reverse()
    .join(' ');
  const levelName = [
    `WHEN ${LOST_SEVERITY} THEN ${quoteString(LOST_LEVEL)}`,
    ...levels.map((l, i) => `WHEN ${i + 1} THEN ${quoteString(l.name)}`),
  ].join(' ');
  const fired = [
    `WHEN ${LOST_SEVERITY} THEN ${FIRED_RECENCY}`,
    ...levels.map(
      (_, i) =>
        `WHEN ${i + 1} THEN ${FIRED_RECENCY} * r${i + 1}::INTEGER + ${FIRED_FREQUENCY} * f${i + 1}::INTEGER + ${FIRED_MONETARY} * m${i + 1}::INTEGER`,
    ),
  ].join(' ');
  const kinds = kindFilter(spec.kinds);
  return `WITH c AS (
       SELECT customer_id, max("date") AS last_t, min("date") AS first_t FROM transactions
       WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND ${kinds} GROUP BY customer_id),
     w AS (
       SELECT customer_id, CAST(last_t AS DATE) AS last_d, CAST(first_t AS DATE) AS first_d,
         CAST(date_trunc('month', last_t) - INTERVAL ${months} MONTH AS TIMESTAMP) AS base_start,
         CAST(date_trunc('month', last_t) AS TIMESTAMP) AS base_end,
         CAST(CAST(last_t AS DATE) - ${recentDays - 1} AS TIMESTAMP) AS recent_start
       FROM c),
     a AS (
       SELECT w.customer_id, any_value(w.last_d) AS last_d, any_value(w.first_d) AS first_d,
         any_value(w.base_start) AS base_start,
         count(*) FILTER (WHERE t."date" >= w.base_start AND t."date" < w.base_end) AS base_n,
         coalesce(sum(t.amount) FILTER (WHERE t."date" >= w.base_start AND t."date" < w.base_end), 0) AS base_m,
         count(*) FILTER (WHERE t."date" >= w.recent_start) AS recent_n,
         coalesce(sum(t.amount) FILTER (WHERE t."date" >= w.recent_start), 0) AS recent_m
       FROM w JOIN transactions t ON t.customer_id = w.customer_id AND t."date" >= least(w.base_start, w.recent_start)
       WHERE t."date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND ${kindFilter(spec.kinds, 't.kind')}
       GROUP BY w.customer_id),
     m AS (
       SELECT customer_id, last_d, date_diff('day', last_d, CAST($1 AS DATE)) AS r,
         first_d < base_start + INTERVAL 1 MONTH AS full_history,
         recent_n, base_n / ${months}.0 AS base_f, recent_m, base_m / ${months}.0 AS base_mm,
         CASE WHEN first_d < base_start + INTERVAL 1 MONTH AND base_n > 0
           THEN round(100 * (1 - CAST(recent_n AS DOUBLE) * ${months} / base_n), 9) END AS f_down,
         CASE WHEN first_d < base_start + INTERVAL 1 MONTH AND base_m > 0
           THEN round(100 * (1 - recent_m * ${months} / base_m), 9) END AS m_down
       FROM a),
     l AS (SELECT *, ${levelConditions(levels)} FROM m),
     s AS (SELECT *, CASE ${severity} ELSE 0 END AS severity, CASE ${volumeSeverity} ELSE 0 END AS volume_severity FROM l)
     SELECT customer_id, last_d, r, full_history, recent_n, base_f, f_down, recent_m, base_mm, m_down, severity,
       CASE severity ${levelName} END AS level, coalesce(CASE severity ${fired} END, 0) AS fired,
       volume_severity, CASE volume_severity ${levelName} END AS volume_level
     FROM s`;
}

export async function duckDbCustomerAlerts(
  engine: DuckDbEngine,
  options: CustomerAlertOptions,
): Promise<CustomerAlertResult> {
  const levels = options.levels;
  const sql = customerAlertSql(options);
  const asOf = await resolveAsOf(engine, options.asOf, options.kinds);
  await engine.run(`DROP TABLE IF EXISTS ${TABLE}`);
  await engine.run(`DROP TABLE IF EXISTS ${VIEW}`);
  await engine.run(`CREATE TEMP TABLE ${TABLE} AS ${sql}`, [asOf]);
  try {
    const [prev] = await engine.query(
      `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, rules_hash FROM alert_runs WHERE as_of < CAST($1 AS DATE)
       ORDER BY as_of DESC LIMIT 1`,
      [asOf],
    );
    const previous = prev ? { asOf: String(prev.as_of), rulesHash: String(prev.rules_hash) } : null;
    const change = `CASE
        WHEN coalesce(a.severity, 0) = 0 THEN CASE WHEN p.severity IS NOT NULL THEN 'cleared' END
        WHEN p.severity IS NULL THEN CASE WHEN a.severity = ${LOST_SEVERITY} THEN 'lost' ELSE 'new' END
        WHEN a.severity = p.severity THEN 'unchanged'
        WHEN a.severity = ${LOST_SEVERITY} THEN 'lost'
        WHEN p.severity = ${LOST_SEVERITY} THEN 'returned'
        WHEN a.severity > p.severity THEN 'escalated'
        ELSE 'lowered' END`;
    await engine.run(
      previous
        ? `CREATE TEMP TABLE ${VIEW} AS
           SELECT coalesce(a.customer_id, p.customer_id) AS customer_id, a.* EXCLUDE (customer_id),
             ${change} AS change, p.level AS previous_level
           FROM ${TABLE} a
           FULL OUTER JOIN (SELECT customer_id, level, severity FROM customer_alerts WHERE as_of = CAST($1 AS DATE)) p
             ON a.customer_id = p.customer_id`
        : `CREATE TEMP TABLE ${VIEW} AS
           SELECT *, CAST(NULL AS VARCHAR) AS change, CAST(NULL AS VARCHAR) AS previous_level FROM ${TABLE}`,
      previous ? [previous.asOf] : [],
    );
    const [totals] = await engine.query(
      `SELECT count(*) AS n, count(*) FILTER (WHERE NOT full_history) AS short,
         count(*) FILTER (WHERE severity = 0) AS none FROM ${TABLE}`,
    );
    const [without] = await engine.query(
      `SELECT count(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM ${TABLE} a WHERE a.customer_id = c.customer_id)`,
    );
    const counted = await engine.query(
      `SELECT severity, count(*) AS n, count(*) FILTER (WHERE fired & ${FIRED_RECENCY} > 0) AS by_r,
         count(*) FILTER (WHERE fired & ${FIRED_FREQUENCY} > 0) AS by_f,
         count(*) FILTER (WHERE fired & ${FIRED_MONETARY} > 0) AS by_m
       FROM ${TABLE} WHERE severity > 0 GROUP BY severity`,
    );
    const bySeverity = new Map(counted.map((r) => [Number(r.severity), r]));
    const levelCounts: AlertLevelCount[] = [
      ...levels.map((l, i) => ({ level: l.name, severity: i + 1 })),
      { level: LOST_LEVEL, severity: LOST_SEVERITY },
    ].map(({ level, severity: sev }) => {
      const r = bySeverity.get(sev);
      return {
        level,
        severity: sev,
        customers: Number(r?.n ?? 0),
        byRecency: Number(r?.by_r ?? 0),
        byFrequency: Number(r?.by_f ?? 0),
        byMonetary: Number(r?.by_m ?? 0),
      };
    });
    let changes: Record<AlertChange, number> | null = null;
    if (previous) {
      changes = Object.fromEntries(ALERT_CHANGES.map((c) => [c, 0])) as Record<AlertChange, number>;
      for (const r of await engine.query(
        `SELECT change, count(*) AS n FROM ${VIEW} WHERE change IS NOT NULL GROUP BY change`,
      ))
        changes[String(r.change) as AlertChange] = Number(r.n);
    }
    const columns = `customer_id, coalesce(level, '') AS level, CAST(coalesce(severity, 0) AS DOUBLE) AS severity,
      coalesce(strftime(last_d, '%Y-%m-%d'), '') AS last_d, CAST(r AS DOUBLE) AS r,
      CAST(full_history AS DOUBLE) AS full_history, CAST(recent_n AS DOUBLE) AS recent_n, CAST(base_f AS DOUBLE) AS base_f,
      CAST(f_down AS DOUBLE) AS f_down, CAST(recent_m AS DOUBLE) AS recent_m, CAST(base_mm AS DOUBLE) AS base_mm,
      CAST(m_down AS DOUBLE) AS m_down, CAST(coalesce(fired, 0) AS DOUBLE) AS fired, coalesce(change, '') AS change,
      coalesce(previous_level, '') AS previous_level`;
    const changeOrder = `CASE change WHEN 'escalated' THEN 0 WHEN 'new' THEN 1 WHEN 'returned' THEN 2 ELSE 3 END`;
    const list = (options.list ?? 0) > 0 ? await listAlerts(engine, columns, changeOrder, options.list!) : [];
    const perCustomer = options.perCustomer
      ? await readColumns(engine.connection, `SELECT ${columns} FROM ${VIEW} ORDER BY customer_id`, {
          customerIds: 'string',
          level: 'string',
          severity: 'f64',
          lastTransaction: 'string',
          recency: 'f64',
          fullHistory: 'f64',
          recentCount: 'f64',
          baselineMonthlyCount: 'f64',
          frequencyDownPercent: 'f64',
          recentAmount: 'f64',
          baselineMonthlyAmount: 'f64',
          monetaryDownPercent: 'f64',
          fired: 'f64',
          change: 'string',
          previousLevel: 'string',
        } as const)
      : null;
    const customers = Number(totals!.n);
    if (options.save) {
      const save = options.save;
      await engine.transaction(async () => {
        for (const t of ['customer_alerts', 'group_alerts', 'alert_runs'])
          await engine.run(`DELETE FROM ${t} WHERE as_of = CAST($1 AS DATE)`, [asOf]);
        await engine.run(
          `INSERT INTO alert_runs VALUES (CAST($1 AS DATE), now()::TIMESTAMP, $2, CAST($3 AS JSON), $4)`,
          [asOf, save.rulesHash, JSON.stringify(save.rules), customers],
        );
        await engine.run(
          `INSERT INTO customer_alerts SELECT CAST($1 AS DATE), customer_id, level, severity, r, f_down, m_down, fired
           FROM ${TABLE} WHERE severity > 0`,
          [asOf],
        );
      });
    }
    return {
      asOf,
      customers,
      withoutTransactions: Number(without!.n),
      shortHistory: Number(totals!.short),
      noLevel: Number(totals!.none),
      levels: levelCounts,
      previous,
      changes,
      saved: Boolean(options.save),
      list,
      perCustomer: perCustomer as CustomerAlertColumns | null,
    };
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${VIEW}`);
    await engine.run(`DROP TABLE IF EXISTS ${TABLE}`);
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function listAlerts(
  engine: DuckDbEngine,
  columns: string,
  changeOrder: string,
  limit: number,
): Promise<CustomerAlertRow[]> {
  const rows = await engine.query(
    `SELECT ${columns} FROM ${VIEW} WHERE severity > 0 AND severity < ${LOST_SEVERITY}
     ORDER BY severity DESC, ${changeOrder}, base_mm DESC NULLS LAST, customer_id LIMIT ${Math.floor(limit)}`,
  );
  return rows.map((r) => ({
    customerId: String(r.customer_id),
    level: String(r.level),
    severity: Number(r.severity),
    lastTransaction: String(r.last_d),
    recency: Number(r.r),
    fullHistory: Number(r.full_history) === 1,
    recentCount: Number(r.recent_n),
    baselineMonthlyCount: Number(r.base_f),
    frequencyDownPercent: num(r.f_down),
    recentAmount: Number(r.recent_m),
    baselineMonthlyAmount: Number(r.base_mm),
    monetaryDownPercent: num(r.m_down),
    fired: Number(r.fired),
    change: r.change === '' ? null : (String(r.change) as AlertChange),
    previousLevel: r.previous_level === '' ? null : String(r.previous_level),
  }));
}

/** Every stored run, newest first, with its customers per level and its group alerts. */
export async function duckDbAlertRuns(engine: DuckDbEngine): Promise<AlertRun[]> {
  const runs = await engine.query(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, strftime(saved_at, '%Y-%m-%dT%H:%M:%SZ') AS saved_at,
       rules_hash, customers FROM alert_runs ORDER BY as_of DESC`,
  );
  const levels = await engine.query(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, level, min(severity) AS severity, count(*) AS n
     FROM customer_alerts GROUP BY ALL ORDER BY 1, 3`,
  );
  const groups = await engine.query(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, count(*) AS n FROM group_alerts GROUP BY 1`,
  );
  return runs.map((r) => ({
    asOf: String(r.as_of),
    savedAt: String(r.saved_at),
    rulesHash: String(r.rules_hash),
    customers: Number(r.customers),
    levels: Object.fromEntries(
      levels.filter((l) => l.as_of === r.as_of).map((l) => [String(l.level), Number(l.n)]),
    ),
    groupAlerts: Number(groups.find((g) => g.as_of === r.as_of)?.n ?? 0),
  }));
}

/** Store the group warnings of the run of `asOf` (which must have been saved). */
export async function duckDbSaveGroupAlerts(
  engine: DuckDbEngine,
  asOf: string,
  alerts: readonly StoredGroupAlert[],
): Promise<void> {
  await engine.transaction(async () => {
    await engine.run(`DELETE FROM group_alerts WHERE as_of = CAST($1 AS DATE)`, [asOf]);
    for (const a of alerts)
      await engine.run(`INSERT INTO group_alerts VALUES (CAST($1 AS DATE), $2, $3, $4, $5, $6, $7, $8)`, [
        asOf,
        a.dimension,
        a.group,
        a.metric,
        a.current,
        a.baseline,
        a.changePercent,
        a.z,
      ]);
  });
}

/** The group warnings of the latest stored run before `asOf`, null when there is none. */
export async function duckDbPreviousGroupAlerts(
  engine: DuckDbEngine,
  asOf: string,
): Promise<{ asOf: string; alerts: StoredGroupAlert[] } | null> {
  const [prev] = await engine.query(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of FROM alert_runs WHERE as_of < CAST($1 AS DATE)
     ORDER BY as_of DESC LIMIT 1`,
    [asOf],
  );
  if (!prev) return null;
  const rows = await engine.query(
    `SELECT dimension, "group", metric, "current", baseline, change_percent, z FROM group_alerts
     WHERE as_of = CAST($1 AS DATE) ORDER BY dimension, "group", metric`,
    [prev.as_of],
  );
  return {
    asOf: String(prev.as_of),
    alerts: rows.map((r) => ({
      dimension: String(r.dimension),
      group: String(r.group),
      metric: r.metric === 'spend' ? 'spend' : 'churn_rate',
      current: Number(r.current),
      baseline: Number(r.baseline),
      changePercent: r.change_percent === null ? null : Number(r.change_percent),
      z: Number(r.z),
    })),
  };
}
