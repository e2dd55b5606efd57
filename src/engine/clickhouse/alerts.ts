/**
 * Single-customer early warning (DOMAIN 5.3) in ClickHouse SQL, and the stored alert history; the rules
 * are those of duckdb/alerts.ts (read its header).
 *
 * 18.16 pitfalls worked around:
 * - no CTEs and no temporary tables over HTTP without a session: the per-customer SELECT is a subquery,
 *   run again by each step (counts, list, columns, save) instead of being materialized;
 * - the baseline and recent windows depend on each customer's last day, which a second JOIN would need:
 *   each customer's days and amounts are collected as arrays and counted with array lambdas instead;
 * - a column used only inside a lambda is pruned from the subquery below ("Unknown identifier") unless
 *   the outer query needs it: the window bounds are also named in an always-true WHERE;
 * - an alias named like a column replaces that column in the whole SELECT (WHERE, GROUP BY, aggregate
 *   arguments): result columns get names of their own;
 * - a run is not replaced by `ALTER DELETE` (asynchronous): customer_alerts and group_alerts drop the
 *   day's partition; alert_runs (not partitioned by day) is read as the newest saved row per day, older
 *   rows of the day are only cleaned up by a background `ALTER DELETE`.
 */
import type {
  AlertChange,
  AlertLevelCount,
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
import { checkCustomerAlertSpec } from '../alerts-options.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chKindFilter, chResolveAsOf } from './alerts-common.js';
import { chIsoTime } from './records.js';
import type { RowBinaryType } from './row-binary.js';
import { chDate, chNumber, chString } from './sql.js';

function percentCondition(column: string, range: PercentRange | null): string {
  if (range === null) return '0';
  const upTo = range.upTo === null ? '' : ` AND ${column} <= ${chNumber(range.upTo)}`;
  return `ifNull(${column} > ${chNumber(range.above)}${upTo}, 0)`;
}

/** `CASE <severity> ...` naming the level of a severity ('' for none). */
function levelNameOf(severity: string, spec: CustomerAlertSpec): string {
  const pairs = [
    `${severity} = ${LOST_SEVERITY}, ${chString(LOST_LEVEL)}`,
    ...spec.levels.map((l, i) => `${severity} = ${i + 1}, ${chString(l.name)}`),
  ];
  return `multiIf(${pairs.join(', ')}, '')`;
}

/**
 * Every customer's level as one SELECT: customer_id, last_d (Date), r, full_history (UInt8), recent_n,
 * base_f, f_down, recent_m, base_mm, m_down (Nullable), severity, level ('' for none), fired, and
 * volume_severity / volume_level (the highest level whose F or M condition holds; 0 / '' for none).
 */
export function chCustomerAlertSql(engine: ClickHouseEngine, spec: CustomerAlertSpec, asOf: string): string {
  checkCustomerAlertSpec(spec);
  const levels = spec.levels;
  const months = spec.baselineMonths;
  const A = chDate(asOf);
  const conditions = levels
    .map((l, i) => {
      const n = i + 1;
      const r = l.recencyDays
        ? `r >= ${chNumber(l.recencyDays.from)} AND r <= ${chNumber(l.recencyDays.to)}`
        : '0';
      return `${r} AS r${n}, ${percentCondition('f_down', l.frequencyDownPercent)} AS f${n},
        ${percentCondition('m_down', l.monetaryDownPercent)} AS m${n}`;
    })
    .join(',\n');
  const severity = levels.map((_, i) => `r${i + 1} OR f${i + 1} OR m${i + 1}, ${i + 1}`).reverse();
  const volume = levels.map((_, i) => `f${i + 1} OR m${i + 1}, ${i + 1}`).reverse();
  const fired = levels.map(
    (_, i) =>
      `severity = ${i + 1}, ${FIRED_RECENCY} * r${i + 1} + ${FIRED_FREQUENCY} * f${i + 1} + ${FIRED_MONETARY} * m${i + 1}`,
  );
  const inBase = 'd >= base_start AND d < base_end';
  const inRecent = 'd >= recent_start';
  return `SELECT customer_id, last_d, r, full_history, recent_n, base_f, f_down, recent_m, base_mm, m_down,
      severity, ${levelNameOf('severity', spec)} AS level,
      toInt32(multiIf(severity = ${LOST_SEVERITY}, ${FIRED_RECENCY}, ${fired.join(', ')}, 0)) AS fired,
      volume_severity, ${levelNameOf('volume_severity', spec)} AS volume_level
    FROM (
      SELECT *, toInt32(multiIf(r > ${chNumber(spec.lostAfterDays)}, ${LOST_SEVERITY}, ${severity.join(', ')}, 0)) AS severity,
        toInt32(multiIf(${volume.join(', ')}, 0)) AS volume_severity
      FROM (
        SELECT *, ${conditions}
        FROM (
          SELECT customer_id, last_d, dateDiff('day', last_d, ${A}) AS r, full_history,
            recent_n, base_n / ${months} AS base_f, recent_m, base_m / ${months} AS base_mm,
            if(full_history AND base_n > 0, round(100 * (1 - toFloat64(recent_n) * ${months} / base_n), 9), NULL) AS f_down,
            if(full_history AND base_m > 0, round(100 * (1 - recent_m * ${months} / base_m), 9), NULL) AS m_down
          FROM (
            SELECT customer_id, last_d, first_d < addMonths(base_start, 1) AS full_history,
              arrayCount(d -> ${inBase}, days) AS base_n,
              arraySum(arrayFilter((x, d) -> ${inBase}, amounts, days)) AS base_m,
              arrayCount(d -> ${inRecent}, days) AS recent_n,
              arraySum(arrayFilter((x, d) -> ${inRecent}, amounts, days)) AS recent_m
            FROM (
              SELECT customer_id, last_d, first_d, days, amounts,
                addMonths(toStartOfMonth(last_d), -${months}) AS base_start, toStartOfMonth(last_d) AS base_end,
                last_d - ${spec.recentDays - 1} AS recent_start
              FROM (
                SELECT customer_id, max(toDate(date)) AS last_d, min(toDate(date)) AS first_d,
                  groupArray(toDate(date)) AS days, groupArray(amount) AS amounts
                FROM ${engine.t('transactions')}
                WHERE toDate(date) <= ${A} AND ${chKindFilter(spec.kinds)}
                GROUP BY customer_id))
            WHERE base_end > base_start AND recent_start <= last_d))))`;
}

/** The latest stored run before `asOf` (the newest save of that day). */
async function previousRun(
  engine: ClickHouseEngine,
  asOf: string,
): Promise<{ asOf: string; rulesHash: string } | null> {
  const [prev] = await engine.conn.query(
    `SELECT toString(as_of) AS day, argMax(rules_hash, saved_at) AS hash FROM ${engine.t('alert_runs')}
     WHERE as_of < ${chDate(asOf)} GROUP BY as_of ORDER BY as_of DESC LIMIT 1`,
  );
  return prev ? { asOf: String(prev.day), rulesHash: String(prev.hash) } : null;
}

/**
 * Columns of the compared rows, as the interface gives them ('' and NULL where DuckDB gives them). The
 * names differ from the columns': in 18.16 an alias named like a column replaces it in the whole query.
 */
const COLUMNS = `customer_id AS id, ifNull(level, '') AS o_level, toFloat64(ifNull(severity, 0)) AS o_severity,
  ifNull(toString(last_d), '') AS o_last, toNullable(toFloat64(r)) AS o_r,
  toNullable(toFloat64(full_history)) AS o_full, toNullable(toFloat64(recent_n)) AS o_recent_n,
  toNullable(toFloat64(base_f)) AS o_base_f, toNullable(toFloat64(f_down)) AS o_f_down,
  toNullable(toFloat64(recent_m)) AS o_recent_m, toNullable(toFloat64(base_mm)) AS o_base_mm,
  toNullable(toFloat64(m_down)) AS o_m_down, toFloat64(ifNull(fired, 0)) AS o_fired, change AS o_change,
  previous_level AS o_previous`;

const COLUMN_TYPES: readonly RowBinaryType[] = [
  'String',
  'String',
  'Float64',
  'String',
  ...Array<RowBinaryType>(8).fill('Nullable(Float64)'),
  'Float64',
  'String',
  'String',
];

export async function chCustomerAlerts(
  engine: ClickHouseEngine,
  options: CustomerAlertOptions,
): Promise<CustomerAlertResult> {
  const levels = options.levels;
  checkCustomerAlertSpec(options);
  chKindFilter(options.kinds);
  const asOf = await chResolveAsOf(engine, options.asOf, options.kinds);
  const current = chCustomerAlertSql(engine, options, asOf);
  const previous = await previousRun(engine, asOf);
  // every current customer (here = 1) and, against a previous run, its customers no longer at a level
  const compared = previous
    ? `SELECT customer_id, last_d, r, full_history, recent_n, base_f, f_down, recent_m, base_mm, m_down,
         level, severity, fired, here, ifNull(p_level, '') AS previous_level,
         multiIf(s = 0, if(p >= 0, 'cleared', ''), p < 0, if(s = ${LOST_SEVERITY}, 'lost', 'new'),
           s = p, 'unchanged', s = ${LOST_SEVERITY}, 'lost', p = ${LOST_SEVERITY}, 'returned',
           s > p, 'escalated', 'lowered') AS change
       FROM (
         SELECT *, ifNull(severity, 0) AS s, ifNull(previous_severity, -1) AS p
         FROM (SELECT *, 1 AS here FROM (${current}))
         ANY FULL OUTER JOIN (
           SELECT customer_id, level AS p_level, severity AS previous_severity
           FROM ${engine.t('customer_alerts')} WHERE as_of = ${chDate(previous.asOf)}) USING customer_id)`
    : `SELECT *, 1 AS here, '' AS change, '' AS previous_level FROM (${current})`;
  const counted = await engine.conn.query(
    `SELECT ifNull(here, 0) AS is_current, ifNull(severity, 0) AS sev, change AS what, count() AS n,
       countIf(NOT full_history) AS short, countIf(bitAnd(fired, ${FIRED_RECENCY}) > 0) AS by_r,
       countIf(bitAnd(fired, ${FIRED_FREQUENCY}) > 0) AS by_f, countIf(bitAnd(fired, ${FIRED_MONETARY}) > 0) AS by_m
     FROM (${compared}) GROUP BY is_current, sev, what`,
  );
  const [without] = await engine.conn.query(
    `SELECT count() AS n FROM ${engine.t('customers')} WHERE customer_id NOT IN (
       SELECT customer_id FROM ${engine.t('transactions')}
       WHERE toDate(date) <= ${chDate(asOf)} AND ${chKindFilter(options.kinds)})`,
  );
  const here = counted.filter((r) => Number(r.is_current) === 1);
  const total = (rows: typeof counted, key: string) => rows.reduce((s, r) => s + Number(r[key]), 0);
  const levelCounts: AlertLevelCount[] = [
    ...levels.map((l, i) => ({ level: l.name, severity: i + 1 })),
    { level: LOST_LEVEL, severity: LOST_SEVERITY },
  ].map(({ level, severity }) => {
    const rows = here.filter((r) => Number(r.sev) === severity);
    return {
      level,
      severity,
      customers: total(rows, 'n'),
      byRecency: total(rows, 'by_r'),
      byFrequency: total(rows, 'by_f'),
      byMonetary: total(rows, 'by_m'),
    };
  });
  let changes: Record<AlertChange, number> | null = null;
  if (previous) {
    changes = Object.fromEntries(ALERT_CHANGES.map((c) => [c, 0])) as Record<AlertChange, number>;
    for (const r of counted) if (r.what !== '') changes[String(r.what) as AlertChange] += Number(r.n);
  }
  const changeOrder = `multiIf(change = 'escalated', 0, change = 'new', 1, change = 'returned', 2, 3)`;
  const list =
    (options.list ?? 0) > 0
      ? (
          await engine.conn.query(
            `SELECT ${COLUMNS} FROM (${compared}) WHERE severity > 0 AND severity < ${LOST_SEVERITY}
             ORDER BY severity DESC, ${changeOrder}, base_mm DESC NULLS LAST, customer_id
             LIMIT ${chNumber(Math.floor(options.list!))}`,
          )
        ).map(listedAlert)
      : [];
  const perCustomer = options.perCustomer
    ? perCustomerColumns(
        await engine.conn.rowBinary(
          `SELECT ${COLUMNS} FROM (${compared}) ORDER BY customer_id`,
          COLUMN_TYPES,
        ),
      )
    : null;
  const customers = total(here, 'n');
  if (options.save) await saveRun(engine, asOf, current, options.save, customers);
  return {
    asOf,
    customers,
    withoutTransactions: Number(without!.n),
    shortHistory: total(here, 'short'),
    noLevel: total(
      here.filter((r) => Number(r.sev) === 0),
      'n',
    ),
    levels: levelCounts,
    previous,
    changes,
    saved: Boolean(options.save),
    list,
    perCustomer,
  };
}

/**
 * Replace the stored run of `asOf`: the day's partitions of customer_alerts (every shard) and group_alerts
 * go, the alerts go in, and the run's row last, so that a run is listed only once its alerts are stored.
 * The new row's saved_at is after every earlier save of the day (it wins `argMax`, even within a second).
 */
async function saveRun(
  engine: ClickHouseEngine,
  asOf: string,
  current: string,
  save: NonNullable<CustomerAlertOptions['save']>,
  customers: number,
): Promise<void> {
  const day = chDate(asOf);
  await engine.conn.commandOnShards(
    `ALTER TABLE ${engine.conn.local('customer_alerts')} DROP PARTITION ${day}`,
  );
  await engine.conn.command(`ALTER TABLE ${engine.t('group_alerts')} DROP PARTITION ${day}`);
  await engine.conn.command(
    `INSERT INTO ${engine.t('customer_alerts')} (as_of, customer_id, level, severity, recency, f_down, m_down, fired)
     SELECT ${day}, customer_id, level, toInt32(severity), toInt32(r), f_down, m_down, toInt32(fired)
     FROM (${current}) WHERE severity > 0`,
  );
  const [last] = await engine.conn.query(
    `SELECT toUInt32(max(saved_at)) AS t, count() AS n FROM ${engine.t('alert_runs')} WHERE as_of = ${day}`,
  );
  const earlier = Number(last?.n ?? 0) > 0 ? Number(last!.t) : 0;
  const savedAt = Math.max(Math.floor(Date.now() / 1000), earlier + 1);
  await engine.conn.insertRows(engine.t('alert_runs'), [
    {
      as_of: asOf,
      saved_at: savedAt,
      rules_hash: save.rulesHash,
      rules: JSON.stringify(save.rules),
      customers,
    },
  ]);
  // earlier saves of the day are hidden by argMax already; this removes them in the background
  if (earlier > 0)
    await engine.conn.command(
      `ALTER TABLE ${engine.t('alert_runs')} DELETE WHERE as_of = ${day} AND toUInt32(saved_at) < ${savedAt}`,
    );
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function listedAlert(r: Record<string, unknown>): CustomerAlertRow {
  return {
    customerId: String(r.id),
    level: String(r.o_level),
    severity: Number(r.o_severity),
    lastTransaction: String(r.o_last),
    recency: Number(r.o_r),
    fullHistory: Number(r.o_full) === 1,
    recentCount: Number(r.o_recent_n),
    baselineMonthlyCount: Number(r.o_base_f),
    frequencyDownPercent: num(r.o_f_down),
    recentAmount: Number(r.o_recent_m),
    baselineMonthlyAmount: Number(r.o_base_mm),
    monetaryDownPercent: num(r.o_m_down),
    fired: Number(r.o_fired),
    change: r.o_change === '' ? null : (String(r.o_change) as AlertChange),
    previousLevel: r.o_previous === '' ? null : String(r.o_previous),
  };
}

function perCustomerColumns(rows: unknown[][]): CustomerAlertColumns {
  const strings = (j: number) => rows.map((r) => String(r[j]));
  const doubles = (j: number) => Float64Array.from(rows, (r) => (r[j] === null ? NaN : Number(r[j])));
  return {
    customerIds: strings(0),
    level: strings(1),
    severity: doubles(2),
    lastTransaction: strings(3),
    recency: doubles(4),
    fullHistory: doubles(5),
    recentCount: doubles(6),
    baselineMonthlyCount: doubles(7),
    frequencyDownPercent: doubles(8),
    recentAmount: doubles(9),
    baselineMonthlyAmount: doubles(10),
    monetaryDownPercent: doubles(11),
    fired: doubles(12),
    change: strings(13),
    previousLevel: strings(14),
  };
}

/** Every stored run (the newest save of each day), newest first, with its customers per level and group alerts. */
export async function chAlertRuns(engine: ClickHouseEngine): Promise<AlertRun[]> {
  const runs = await engine.conn.query(
    `SELECT toString(as_of) AS day, ${chIsoTime('max(saved_at)')} AS saved,
       argMax(rules_hash, saved_at) AS hash, argMax(customers, saved_at) AS n
     FROM ${engine.t('alert_runs')} GROUP BY as_of ORDER BY as_of DESC`,
  );
  const levels = await engine.conn.query(
    `SELECT toString(as_of) AS day, level, min(severity) AS sev, count() AS n
     FROM ${engine.t('customer_alerts')} GROUP BY as_of, level ORDER BY as_of, sev`,
  );
  const groups = await engine.conn.query(
    `SELECT toString(as_of) AS day, count() AS n FROM ${engine.t('group_alerts')} GROUP BY as_of`,
  );
  return runs.map((r) => ({
    asOf: String(r.day),
    savedAt: String(r.saved),
    rulesHash: String(r.hash),
    customers: Number(r.n),
    levels: Object.fromEntries(
      levels.filter((l) => l.day === r.day).map((l) => [String(l.level), Number(l.n)]),
    ),
    groupAlerts: Number(groups.find((g) => g.day === r.day)?.n ?? 0),
  }));
}

/** Store the group warnings of the run of `asOf` (which must have been saved), replacing the day's. */
export async function chSaveGroupAlerts(
  engine: ClickHouseEngine,
  asOf: string,
  alerts: readonly StoredGroupAlert[],
): Promise<void> {
  const day = chDate(asOf);
  await engine.conn.command(`ALTER TABLE ${engine.t('group_alerts')} DROP PARTITION ${day}`);
  await engine.conn.insertRows(
    engine.t('group_alerts'),
    alerts.map((a) => ({
      as_of: asOf,
      dimension: a.dimension,
      group: a.group,
      metric: a.metric,
      current: a.current,
      baseline: a.baseline,
      change_percent: a.changePercent,
      z: a.z,
    })),
  );
}

/** The group warnings of the latest stored run before `asOf`, null when there is none. */
export async function chPreviousGroupAlerts(
  engine: ClickHouseEngine,
  asOf: string,
): Promise<{ asOf: string; alerts: StoredGroupAlert[] } | null> {
  const prev = await previousRun(engine, asOf);
  if (!prev) return null;
  const rows = await engine.conn.query(
    `SELECT dimension, group, metric, current, baseline, change_percent, z FROM ${engine.t('group_alerts')}
     WHERE as_of = ${chDate(prev.asOf)} ORDER BY dimension, group, metric`,
  );
  return {
    asOf: prev.asOf,
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
