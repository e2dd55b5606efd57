/**
 * Point-in-time churn features and labels in DuckDB SQL (DOMAIN 5.4).
 *
 * Every feature reads only rows dated on or before the as-of day A: transactions and interactions by
 * their date, churn events by theirs, subscriptions by their start; an end date after A is treated as
 * unknown (the subscription is simply active on A). The customers table is taken as it is (region,
 * channel, gender, age...): keep time-varying facts in the dated tables. A test builds the same
 * workspace truncated at A and checks that the features are identical.
 *
 * A subscription covers the days from its start to its end, both included (an open end: still running).
 * Population at A: with subscriptions, the customers with a subscription covering A and no churn event
 * since that subscription started; without, those whose last transaction is at most `lostDays` old
 * and who have no churn event since it.
 * Label (horizon H): a churn event in (A, A + H]; with subscriptions also no subscription covering
 * A + H; without, no transaction in the `lostDays` up to A + H.
 */
import { DuckDBDateValue } from '@duckdb/node-api';
import type {
  ChurnFeatureColumns,
  ChurnFeatureOptions,
  ChurnRateHistoryOptions,
  ChurnRateHistoryRow,
  ChurnScoreBatch,
  ChurnScoreQuery,
  StoredChurnScorePage,
} from '../churn-types.js';
import { UserError } from '../../util/errors.js';
import { checkIsoDate } from '../../util/dates.js';
import {
  CHURN_CUSTOMER_CATEGORIES as CUSTOMER_CATEGORIES,
  NO_DATED_RECORDS,
  checkChurnFeatureOptions,
  checkChurnRateHistoryOptions,
  checkPaging,
  churnFeatureAsOf,
  usageFeatureName as featureName,
} from '../churn-options.js';
import { quoteString } from '../sql.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns, type ColumnKind } from './read-columns.js';

type Feature = readonly [name: string, sql: (asOf: string) => string];

/** Numeric features from transactions: name -> aggregate over the rows up to A (`d` the day). */
const TRANSACTION_FEATURES: readonly Feature[] = [
  ['recency_days', (A) => `date_diff('day', max(d), ${A})`],
  ['transactions_total', () => 'count(*)'],
  ...[30, 90, 180, 365].flatMap((w) => [
    [`transactions_${w}d`, (A: string) => `count(*) FILTER (WHERE d > ${A} - ${w})`] as const,
    [`spend_${w}d`, (A: string) => `coalesce(sum(amount) FILTER (WHERE d > ${A} - ${w}), 0)`] as const,
  ]),
  ['spend_prev_90d', (A) => `coalesce(sum(amount) FILTER (WHERE d <= ${A} - 90 AND d > ${A} - 180), 0)`],
  ['returns_365d', (A) => `count(*) FILTER (WHERE amount < 0 AND d > ${A} - 365)`],
  ['spend_per_month_365d', (A) => `coalesce(sum(amount) FILTER (WHERE d > ${A} - 365), 0) / 12`],
];

const INTERACTION_FEATURES: readonly Feature[] = [
  ...[30, 90, 365].map(
    (w) =>
      [
        `complaints_${w}d`,
        (A: string) => `count(*) FILTER (WHERE kind = 'complaint' AND d > ${A} - ${w})`,
      ] as const,
  ),
  ...[90, 365].map(
    (w) =>
      [
        `service_calls_${w}d`,
        (A: string) => `count(*) FILTER (WHERE kind = 'service_call' AND d > ${A} - ${w})`,
      ] as const,
  ),
  ['survey_score_365d', () => `avg(value) FILTER (WHERE kind = 'survey')`],
];

/** The customers at risk on day A (a DATE expression): see the module comment. */
function populationSql(A: string, contractual: boolean, L: number): string {
  return contractual
    ? `SELECT DISTINCT s.customer_id FROM subscriptions s
       WHERE s.start_date <= ${A} AND (s.end_date IS NULL OR s.end_date >= ${A})
         AND NOT EXISTS (SELECT 1 FROM churn_events e WHERE e.customer_id = s.customer_id
           AND e."date" <= ${A} AND e."date" >= s.start_date)`
    : `SELECT t.customer_id FROM (
         SELECT customer_id, max(CAST("date" AS DATE)) AS last_day FROM transactions
         WHERE "date" < ${A} + INTERVAL 1 DAY GROUP BY customer_id) t
       LEFT JOIN (
         SELECT customer_id, max("date") AS last_event FROM churn_events WHERE "date" <= ${A} GROUP BY customer_id) ev
         USING (customer_id)
       WHERE date_diff('day', t.last_day, ${A}) <= ${L} AND (ev.last_event IS NULL OR ev.last_event < t.last_day)`;
}

/** 1 when the at-risk customer `p.customer_id` churned in (A, A + H]: see the module comment. */
function labelSql(A: string, H: number, L: number, contractual: boolean): string {
  const event = `EXISTS (SELECT 1 FROM churn_events e WHERE e.customer_id = p.customer_id AND e."date" > ${A} AND e."date" <= ${A} + ${H})`;
  return contractual
    ? `(${event} OR NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = p.customer_id
         AND s.start_date <= ${A} + ${H} AND (s.end_date IS NULL OR s.end_date >= ${A} + ${H})))`
    : `(${event} OR NOT EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = p.customer_id
         AND t."date" > CAST(${A} + ${H - L} AS TIMESTAMP) AND t."date" < CAST(${A} + ${H + 1} AS TIMESTAMP)))`;
}

/**
 * Customers at risk and churners within the horizon on the days asOf - k H, k = 1..periods (the
 * periods whose outcome is known on asOf), oldest last: how much the churn rate moves between periods.
 */
export async function duckDbChurnRateHistory(
  engine: DuckDbEngine,
  options: ChurnRateHistoryOptions,
): Promise<ChurnRateHistoryRow[]> {
  const { horizonDays: H, lostDays: L } = checkChurnRateHistoryOptions(options);
  const [facts] = await engine.query(`SELECT count(*) AS n FROM subscriptions`);
  const contractual = Number(facts!.n) > 0;
  const parts = Array.from({ length: options.periods }, (_, i) => {
    const k = i + 1;
    const A = `(CAST(${quoteString(options.asOf)} AS DATE) - ${k * H})`;
    return `SELECT ${k} AS k, strftime(${A}, '%Y-%m-%d') AS day, count(*) AS n,
        count(*) FILTER (WHERE ${labelSql(A, H, L, contractual)}) AS churned
      FROM (${populationSql(A, contractual, L)}) p`;
  });
  const rows = await engine.query(parts.join('\nUNION ALL\n') + '\nORDER BY k');
  return rows.map((r) => ({ asOf: String(r.day), atRisk: Number(r.n), churned: Number(r.churned) }));
}

export async function duckDbChurnFeatures(
  engine: DuckDbEngine,
  options: ChurnFeatureOptions,
): Promise<ChurnFeatureColumns> {
  const { horizonDays: H, lostDays: L, maxUsageMetrics: maxUsage } = checkChurnFeatureOptions(options);
  const [facts] = await engine.query(
    `SELECT (SELECT count(*) FROM subscriptions) AS subs,
       strftime(greatest(
         (SELECT max(CAST("date" AS DATE)) FROM transactions), (SELECT max(CAST("date" AS DATE)) FROM interactions),
         (SELECT max("date") FROM churn_events), (SELECT max(start_date) FROM subscriptions),
         (SELECT max(end_date) FROM subscriptions)), '%Y-%m-%d') AS data_end`,
  );
  const dataEnd = facts!.data_end === null ? null : String(facts!.data_end);
  if (dataEnd === null) throw new UserError(NO_DATED_RECORDS);
  const asOf = churnFeatureAsOf(options.asOf, H, dataEnd);
  const A = `CAST(${quoteString(asOf)} AS DATE)`;
  const contractual = Number(facts!.subs) > 0;
  const metrics = (
    await engine.query(
      `SELECT metric, count(*) AS n FROM interactions
       WHERE kind = 'usage' AND metric IS NOT NULL AND "date" < ${A} + INTERVAL 1 DAY
       GROUP BY metric ORDER BY n DESC, metric LIMIT ${maxUsage}`,
    )
  ).map((r) => String(r.metric));
  const usage = metrics.flatMap((m, i): Feature[] => {
    const name = `usage_${featureName(m)}${metrics.slice(0, i).some((o) => featureName(o) === featureName(m)) ? `_${i}` : ''}`;
    const q = quoteString(m);
    return [
      [`${name}_90d`, (a) => `avg(value) FILTER (WHERE kind = 'usage' AND metric = ${q} AND d > ${a} - 90)`],
      [
        `${name}_trend`,
        (a) => `avg(value) FILTER (WHERE kind = 'usage' AND metric = ${q} AND d > ${a} - 90) /
         nullif(avg(value) FILTER (WHERE kind = 'usage' AND metric = ${q} AND d <= ${a} - 90 AND d > ${a} - 180), 0) - 1`,
      ],
    ];
  });
  const interactionFeatures = [...INTERACTION_FEATURES, ...usage];

  const population = populationSql(A, contractual, L);
  const label = H === null ? 'NULL' : labelSql(A, H, L, contractual);

  const numericNames = [
    'tenure_days',
    ...TRANSACTION_FEATURES.map(([n]) => n),
    'spend_trend_90d',
    ...interactionFeatures.map(([n]) => n),
    ...(contractual ? ['monthly_fee', 'fee_change_365d', 'plan_changes_365d', 'subscriptions_total'] : []),
    'age',
  ];
  const categoricalNames = ['plan', ...CUSTOMER_CATEGORIES];
  const sql = `
    WITH tx AS (
      SELECT customer_id, min(d) AS first_day, max(d) AS last_day,
        ${TRANSACTION_FEATURES.map(([n, e]) => `${e(A)} AS ${n}`).join(',\n        ')}
      FROM (SELECT customer_id, CAST("date" AS DATE) AS d, amount FROM transactions WHERE "date" < ${A} + INTERVAL 1 DAY)
      GROUP BY customer_id),
    ia AS (
      SELECT customer_id,
        ${interactionFeatures.map(([n, e]) => `${e(A)} AS ${n}`).join(',\n        ')}
      FROM (SELECT customer_id, CAST("date" AS DATE) AS d, kind, metric, value FROM interactions
            WHERE "date" < ${A} + INTERVAL 1 DAY AND "date" >= ${A} - INTERVAL 365 DAY)
      GROUP BY customer_id),
    sub AS (
      SELECT customer_id, min(start_date) AS first_start, count(*) AS subscriptions_total,
        arg_max(plan, start_date) FILTER (WHERE end_date IS NULL OR end_date >= ${A}) AS plan_now,
        arg_max(monthly_fee, start_date) FILTER (WHERE end_date IS NULL OR end_date >= ${A}) AS monthly_fee,
        arg_max(monthly_fee, start_date) FILTER (WHERE start_date <= ${A} - 365 AND (end_date IS NULL OR end_date >= ${A} - 365)) AS fee_year_ago,
        count(*) FILTER (WHERE start_date > ${A} - 365) AS plan_changes_365d
      FROM subscriptions WHERE start_date <= ${A} GROUP BY customer_id),
    p AS (${population})
    SELECT p.customer_id,
      CAST(date_diff('day', least(c.signup_date, tx.first_day${contractual ? ', sub.first_start' : ''}), ${A}) AS DOUBLE) AS tenure_days,
      ${TRANSACTION_FEATURES.map(([n]) => `CAST(${n.startsWith('recency') ? `tx.${n}` : `coalesce(tx.${n}, 0)`} AS DOUBLE)`).join(',\n      ')},
      CAST(CASE WHEN tx.spend_prev_90d > 0 THEN tx.spend_90d / tx.spend_prev_90d - 1 END AS DOUBLE),
      ${interactionFeatures.map(([n]) => `CAST(${n.startsWith('usage') || n.startsWith('survey') ? `ia.${n}` : `coalesce(ia.${n}, 0)`} AS DOUBLE)`).join(',\n      ')},
      ${contractual ? `CAST(sub.monthly_fee AS DOUBLE), CAST(sub.monthly_fee / nullif(sub.fee_year_ago, 0) - 1 AS DOUBLE), CAST(coalesce(sub.plan_changes_365d, 0) AS DOUBLE), CAST(coalesce(sub.subscriptions_total, 0) AS DOUBLE),` : ''}
      CAST(c.age AS DOUBLE),
      coalesce(${contractual ? 'sub.plan_now, ' : ''}c.plan, ''),
      ${CUSTOMER_CATEGORIES.map((n) => `coalesce(c.${n}, '')`).join(', ')},
      CAST(${label} AS DOUBLE) AS label
    FROM p LEFT JOIN customers c ON c.customer_id = p.customer_id
      LEFT JOIN tx ON tx.customer_id = p.customer_id
      LEFT JOIN ia ON ia.customer_id = p.customer_id
      ${contractual ? 'LEFT JOIN sub ON sub.customer_id = p.customer_id' : ''}
    ORDER BY p.customer_id`;
  const kinds: Record<string, ColumnKind> = { customerIds: 'string' };
  for (const n of numericNames) kinds[`n:${n}`] = 'f64';
  for (const n of categoricalNames) kinds[`c:${n}`] = 'string';
  kinds.label = 'f64';
  const cols = (await readColumns(engine.connection, sql, kinds)) as Record<string, Float64Array | string[]>;
  const labelValues = cols.label as Float64Array;
  return {
    asOf,
    horizonDays: H,
    population: contractual ? 'subscriptions' : 'transactions',
    customerIds: cols.customerIds as string[],
    numeric: numericNames.map((name) => ({ name, values: cols[`n:${name}`] as Float64Array })),
    categorical: categoricalNames.map((name) => ({ name, values: cols[`c:${name}`] as string[] })),
    labels: H === null ? null : Uint8Array.from(labelValues, (v) => (v > 0 ? 1 : 0)),
    dataEnd,
  };
}

/** Replace the stored scores of the batch's as-of day and horizon with the batch (appender: fast). */
export async function duckDbSaveChurnScores(engine: DuckDbEngine, batch: ChurnScoreBatch): Promise<void> {
  checkIsoDate('--as-of', batch.asOf);
  const n = batch.customerIds.length;
  if (batch.probabilities.length !== n || batch.reasons.length !== n)
    throw new Error('saveChurnScores: columns differ in length');
  await engine.transaction(async () => {
    await engine.run(`DELETE FROM churn_scores WHERE as_of = CAST($1 AS DATE) AND horizon_days = $2`, [
      batch.asOf,
      batch.horizonDays,
    ]);
    const appender = await engine.connection.createAppender('churn_scores');
    const day = new DuckDBDateValue(Math.round(Date.parse(`${batch.asOf}T00:00:00Z`) / 86_400_000));
    for (let i = 0; i < n; i++) {
      appender.appendDate(day);
      appender.appendVarchar(batch.customerIds[i]!);
      appender.appendInteger(batch.horizonDays);
      appender.appendDouble(batch.probabilities[i]!);
      appender.appendVarchar(batch.reasons[i]!);
      appender.appendVarchar(batch.model);
      appender.endRow();
    }
    appender.closeSync();
  });
}

/** Stored scores of a day (default: the latest stored day), highest probability first. */
export async function duckDbChurnScores(
  engine: DuckDbEngine,
  options: ChurnScoreQuery,
): Promise<StoredChurnScorePage> {
  if (options.asOf !== undefined) checkIsoDate('--as-of', options.asOf);
  const [latest] = await engine.query(`SELECT strftime(max(as_of), '%Y-%m-%d') AS d FROM churn_scores`);
  const asOf = options.asOf ?? (latest?.d === null || latest?.d === undefined ? null : String(latest.d));
  if (asOf === null) return { asOf: null, total: 0, scores: [] };
  const params: unknown[] = [asOf];
  let where = 'as_of = CAST($1 AS DATE)';
  if (options.horizonDays !== undefined) {
    params.push(options.horizonDays);
    where += ` AND horizon_days = $${params.length}`;
  }
  if (options.customerId !== undefined) {
    params.push(options.customerId);
    where += ` AND customer_id = $${params.length}`;
  }
  const { limit, offset } = checkPaging(options.limit, options.offset, 100);
  const [count] = await engine.query(`SELECT count(*) AS n FROM churn_scores WHERE ${where}`, params);
  const rows = await engine.query(
    `SELECT customer_id, horizon_days, probability, reasons FROM churn_scores WHERE ${where}
     ORDER BY probability DESC, customer_id, horizon_days LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return {
    asOf,
    total: Number(count?.n ?? 0),
    scores: rows.map((r) => ({
      customerId: String(r.customer_id),
      horizonDays: Number(r.horizon_days),
      probability: Number(r.probability),
      reasons: String(r.reasons),
    })),
  };
}

/** Every stored probability of a day (default: the latest stored day), per horizon. */
export async function duckDbStoredChurnProbabilities(
  engine: DuckDbEngine,
  asOf?: string,
): Promise<{ asOf: string | null; horizons: { horizonDays: number; probabilities: Float64Array }[] }> {
  if (asOf !== undefined) checkIsoDate('--as-of', asOf);
  const [latest] = await engine.query(`SELECT strftime(max(as_of), '%Y-%m-%d') AS d FROM churn_scores`);
  const day = asOf ?? (latest?.d === null || latest?.d === undefined ? null : String(latest.d));
  if (day === null) return { asOf: null, horizons: [] };
  const cols = await readColumns(
    engine.connection,
    `SELECT CAST(horizon_days AS DOUBLE), probability FROM churn_scores WHERE as_of = CAST($1 AS DATE)
     ORDER BY horizon_days, customer_id`,
    { horizon: 'f64', probability: 'f64' } as const,
    [day],
  );
  const horizons: { horizonDays: number; probabilities: Float64Array }[] = [];
  let start = 0;
  for (let i = 1; i <= cols.horizon.length; i++)
    if (i === cols.horizon.length || cols.horizon[i] !== cols.horizon[start]) {
      horizons.push({ horizonDays: cols.horizon[start]!, probabilities: cols.probability.slice(start, i) });
      start = i;
    }
  return { asOf: day, horizons };
}
