/**
 * Point-in-time churn features and labels, the churn-rate history and stored churn scores in ClickHouse
 * SQL: the same definitions as duckdb/churn-features.ts (see its header), the same columns and order.
 *
 * 18.16 pitfalls worked around:
 * - no CTEs, one JOIN per SELECT, no correlated EXISTS: every per-customer part (population, customer
 *   columns, transactions, interactions, subscriptions, label facts) is a GROUP BY customer_id subquery,
 *   joined one at a time with ANY LEFT JOIN ... USING customer_id (join_use_nulls: missing = NULL). The
 *   "no churn event since the subscription started" test becomes "the last event up to A is before the
 *   latest start of a subscription covering A".
 * - `least` is NULL when any argument is: the tenure's earliest day is taken over the non-NULL days.
 * - avg of no rows is nan (DuckDB: NULL) and x / 0 is inf: missing values are made nan explicitly, and
 *   ratios over a zero base are nan (DuckDB's NULLIF).
 * - timestamps compare with UTC midnights written as literals (`toDateTime('… 00:00:00', 'UTC')`).
 * - `argMaxIf` skips rows whose value is NULL, as DuckDB 1.x's arg_max does.
 */
import type {
  ChurnFeatureColumns,
  ChurnFeatureOptions,
  ChurnRateHistoryOptions,
  ChurnRateHistoryRow,
} from '../churn-types.js';
import {
  CHURN_CUSTOMER_CATEGORIES,
  NO_DATED_RECORDS,
  checkChurnFeatureOptions,
  checkChurnRateHistoryOptions,
  churnFeatureAsOf,
  shiftDay,
  usageFeatureName,
} from '../churn-options.js';
import { UserError } from '../../util/errors.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chNumber, chString } from './sql.js';
import type { RowBinaryType } from './row-binary.js';
export { chChurnScores, chSaveChurnScores, chStoredChurnProbabilities } from './churn-scores.js';

type Feature = readonly [name: string, sql: (A: string) => string];

/** Numeric features from transactions up to A (`d` the day): the same list and order as DuckDB's. */
const TRANSACTION_FEATURES: readonly Feature[] = [
  ['recency_days', (A) => `dateDiff('day', max(d), ${A})`],
  ['transactions_total', () => 'count()'],
  ...[30, 90, 180, 365].flatMap((w) => [
    [`transactions_${w}d`, (A: string) => `countIf(d > ${A} - ${w})`] as const,
    [`spend_${w}d`, (A: string) => `sumIf(amount, d > ${A} - ${w})`] as const,
  ]),
  ['spend_prev_90d', (A) => `sumIf(amount, d <= ${A} - 90 AND d > ${A} - 180)`],
  ['returns_365d', (A) => `countIf(amount < 0 AND d > ${A} - 365)`],
  ['spend_per_month_365d', (A) => `sumIf(amount, d > ${A} - 365) / 12`],
];

/** Interaction features over the year up to A; `survey` and `usage` ones are averages (nan: none). */
const INTERACTION_FEATURES: readonly Feature[] = [
  ...[30, 90, 365].map(
    (w) => [`complaints_${w}d`, (A: string) => `countIf(kind = 'complaint' AND d > ${A} - ${w})`] as const,
  ),
  ...[90, 365].map(
    (w) =>
      [`service_calls_${w}d`, (A: string) => `countIf(kind = 'service_call' AND d > ${A} - ${w})`] as const,
  ),
  ['survey_score_365d', () => `ifNull(avgIf(value, kind = 'survey'), nan)`],
];

/** The UTC midnight starting `day`, as a DateTime literal. */
const midnight = (day: string): string => `toDateTime(${chString(`${day} 00:00:00`)}, 'UTC')`;

/** True for a subscription running on day D (a Date expression): an open end counts as running. */
const runsOn = (D: string): string => `(isNull(end_date) OR assumeNotNull(end_date) >= ${D})`;

/**
 * `left` (a query with customer_id) with `right`'s columns (a per-customer query) added; `keep` are the
 * column names of `left` to carry on besides customer_id.
 */
function addColumns(left: string, keep: readonly string[], right: string, added: readonly string[]): string {
  return `SELECT ${['customer_id', ...keep, ...added].join(', ')}
    FROM (${left}) ANY LEFT JOIN (${right}) USING customer_id`;
}

/**
 * The customers at risk on day `asOf`, with `label` (1: churned in (A, A + H]; 0 without a horizon).
 * See duckdb/churn-features.ts for the definitions.
 */
function labelledPopulationSql(
  engine: ClickHouseEngine,
  asOf: string,
  H: number | null,
  L: number,
  contractual: boolean,
): string {
  const A = chDate(asOf);
  const lastEvent = `SELECT customer_id, max(date) AS last_event FROM ${engine.t('churn_events')}
    WHERE date <= ${A} GROUP BY customer_id`;
  const population = contractual
    ? `SELECT customer_id FROM (${addColumns(
        `SELECT customer_id, max(start_date) AS latest_start FROM ${engine.t('subscriptions')}
         WHERE start_date <= ${A} AND ${runsOn(A)} GROUP BY customer_id`,
        ['latest_start'],
        lastEvent,
        ['last_event'],
      )}) WHERE isNull(last_event) OR last_event < latest_start`
    : `SELECT customer_id FROM (${addColumns(
        `SELECT customer_id, max(toDate(date)) AS last_day FROM ${engine.t('transactions')}
         WHERE date < ${midnight(shiftDay(asOf, 1))} GROUP BY customer_id`,
        ['last_day'],
        lastEvent,
        ['last_event'],
      )}) WHERE dateDiff('day', last_day, ${A}) <= ${chNumber(L)}
        AND (isNull(last_event) OR last_event < last_day)`;
  if (H === null) return `SELECT customer_id, 0 AS label FROM (${population})`;
  const end = chDate(shiftDay(asOf, H));
  const churnEvent = `SELECT customer_id, 1 AS churn_event FROM ${engine.t('churn_events')}
    WHERE date > ${A} AND date <= ${end} GROUP BY customer_id`;
  // still a customer at A + H: a subscription covering it, or (without subscriptions) a recent purchase
  const stillActive = contractual
    ? `SELECT customer_id, 1 AS still_active FROM ${engine.t('subscriptions')}
       WHERE start_date <= ${end} AND ${runsOn(end)} GROUP BY customer_id`
    : `SELECT customer_id, 1 AS still_active FROM ${engine.t('transactions')}
       WHERE date > ${midnight(shiftDay(asOf, H - L))} AND date < ${midnight(shiftDay(asOf, H + 1))}
       GROUP BY customer_id`;
  const withFacts = addColumns(
    addColumns(population, [], churnEvent, ['churn_event']),
    ['churn_event'],
    stillActive,
    ['still_active'],
  );
  return `SELECT customer_id, if(ifNull(churn_event, 0) = 1 OR isNull(still_active), 1, 0) AS label
    FROM (${withFacts})`;
}

async function isContractual(engine: ClickHouseEngine): Promise<boolean> {
  const [r] = await engine.conn.query(`SELECT count() AS n FROM ${engine.t('subscriptions')}`);
  return Number(r!.n) > 0;
}

/** Customers at risk and churners within the horizon on asOf - k H, k = 1..periods (see DuckDB's). */
export async function chChurnRateHistory(
  engine: ClickHouseEngine,
  options: ChurnRateHistoryOptions,
): Promise<ChurnRateHistoryRow[]> {
  const { horizonDays: H, lostDays: L } = checkChurnRateHistoryOptions(options);
  const contractual = await isContractual(engine);
  const days = Array.from({ length: options.periods }, (_, i) => shiftDay(options.asOf, -(i + 1) * H));
  return Promise.all(
    days.map(async (day) => {
      const [r] = await engine.conn.query(
        `SELECT count() AS n, sum(label) AS churned
         FROM (${labelledPopulationSql(engine, day, H, L, contractual)})`,
      );
      return { asOf: day, atRisk: Number(r!.n), churned: Number(r!.churned) };
    }),
  );
}

/** The last day with data (as DuckDB's `greatest` of the tables' last days), null when none. */
async function dataEndDay(engine: ClickHouseEngine): Promise<{ dataEnd: string | null; subs: number }> {
  const parts = [
    `SELECT 'transactions' AS k, count() AS n, toString(max(toDate(date))) AS d FROM ${engine.t('transactions')}`,
    `SELECT 'interactions' AS k, count() AS n, toString(max(toDate(date))) AS d FROM ${engine.t('interactions')}`,
    `SELECT 'churn_events' AS k, count() AS n, toString(max(date)) AS d FROM ${engine.t('churn_events')}`,
    `SELECT 'subscriptions' AS k, count() AS n, toString(max(start_date)) AS d FROM ${engine.t('subscriptions')}`,
    `SELECT 'ends' AS k, count() AS n, toString(max(assumeNotNull(end_date))) AS d
     FROM ${engine.t('subscriptions')} WHERE isNotNull(end_date)`,
  ];
  const rows = await engine.conn.query(parts.join('\nUNION ALL\n'));
  const days = rows.filter((r) => Number(r.n) > 0).map((r) => String(r.d));
  const subs = Number(rows.find((r) => r.k === 'subscriptions')?.n ?? 0);
  return { dataEnd: days.length === 0 ? null : days.reduce((a, b) => (b > a ? b : a)), subs };
}

export async function chChurnFeatures(
  engine: ClickHouseEngine,
  options: ChurnFeatureOptions,
): Promise<ChurnFeatureColumns> {
  const { horizonDays: H, lostDays: L, maxUsageMetrics } = checkChurnFeatureOptions(options);
  const { dataEnd, subs } = await dataEndDay(engine);
  if (dataEnd === null) throw new UserError(NO_DATED_RECORDS);
  const asOf = churnFeatureAsOf(options.asOf, H, dataEnd);
  const A = chDate(asOf);
  const dayAfter = midnight(shiftDay(asOf, 1));
  const contractual = subs > 0;
  const metrics = (
    await engine.conn.query(
      `SELECT metric, count() AS n FROM ${engine.t('interactions')}
       WHERE kind = 'usage' AND isNotNull(metric) AND date < ${dayAfter}
       GROUP BY metric ORDER BY n DESC, metric LIMIT ${chNumber(maxUsageMetrics)}`,
    )
  ).map((r) => String(r.metric));

  // usage: the 90-day mean and its change against the 90 days before (nan: none or a zero base)
  const usageNames: string[] = [];
  const usageAverages: Feature[] = [];
  metrics.forEach((m, i) => {
    const base = usageFeatureName(m);
    const name = `usage_${base}${metrics.slice(0, i).some((o) => usageFeatureName(o) === base) ? `_${i}` : ''}`;
    const isMetric = `kind = 'usage' AND isNotNull(metric) AND assumeNotNull(metric) = ${chString(m)}`;
    usageNames.push(name);
    usageAverages.push(
      [`u${i}_now`, (a) => `ifNull(avgIf(value, ${isMetric} AND d > ${a} - 90), nan)`],
      [`u${i}_before`, (a) => `ifNull(avgIf(value, ${isMetric} AND d <= ${a} - 90 AND d > ${a} - 180), nan)`],
    );
  });
  const interactionAggregates = [...INTERACTION_FEATURES, ...usageAverages];

  const customerColumns = ['signup_date', 'age', 'plan', ...CHURN_CUSTOMER_CATEGORIES];
  const customers = `SELECT customer_id, ${customerColumns.map((c) => `${c} AS c_${c}`).join(', ')}
    FROM ${engine.t('customers')}`;
  const tx = `SELECT customer_id, min(d) AS first_day,
      ${TRANSACTION_FEATURES.map(([n, e]) => `${e(A)} AS ${n}`).join(',\n      ')}
    FROM (SELECT customer_id, toDate(date) AS d, amount FROM ${engine.t('transactions')} WHERE date < ${dayAfter})
    GROUP BY customer_id`;
  const ia = `SELECT customer_id,
      ${interactionAggregates.map(([n, e]) => `${e(A)} AS ${n}`).join(',\n      ')}
    FROM (SELECT customer_id, toDate(date) AS d, kind, metric, value FROM ${engine.t('interactions')}
          WHERE date < ${dayAfter} AND date >= ${midnight(shiftDay(asOf, -365))})
    GROUP BY customer_id`;
  const yearAgo = `${A} - 365`;
  // aliases never reuse a column's name: 18.16 would read the alias inside the other aggregates
  const sub = `SELECT customer_id, min(start_date) AS first_start, count() AS s_subscriptions_total,
      argMaxIf(plan, start_date, ${runsOn(A)}) AS s_plan_now,
      argMaxIf(monthly_fee, start_date, ${runsOn(A)}) AS s_monthly_fee,
      argMaxIf(monthly_fee, start_date, start_date <= ${yearAgo} AND ${runsOn(yearAgo)}) AS s_fee_year_ago,
      countIf(start_date > ${yearAgo}) AS s_plan_changes_365d
    FROM ${engine.t('subscriptions')} WHERE start_date <= ${A} GROUP BY customer_id`;

  const txNames = ['first_day', ...TRANSACTION_FEATURES.map(([n]) => n)];
  const iaNames = interactionAggregates.map(([n]) => n);
  const subNames = [
    'first_start',
    's_subscriptions_total',
    's_plan_now',
    's_monthly_fee',
    's_fee_year_ago',
    's_plan_changes_365d',
  ];
  let joined = addColumns(
    labelledPopulationSql(engine, asOf, H, L, contractual),
    ['label'],
    customers,
    customerColumns.map((c) => `c_${c}`),
  );
  let carried = ['label', ...customerColumns.map((c) => `c_${c}`)];
  for (const [right, names] of [
    [tx, txNames],
    [ia, iaNames],
    ...(contractual ? [[sub, subNames] as const] : []),
  ] as const) {
    joined = addColumns(joined, carried, right, names);
    carried = [...carried, ...names];
  }

  const f64 = (e: string): string => `ifNull(toFloat64(${e}), nan)`;
  const zeroIfMissing = (e: string): string => `toFloat64(ifNull(${e}, 0))`;
  /** a / b - 1, nan when b is zero or missing (DuckDB: NULLIF). */
  const change = (a: string, b: string): string =>
    `if(ifNull(${b}, 0) = 0 OR isNaN(ifNull(${b}, 0)), nan, ${f64(a)} / ${f64(b)} - 1)`;
  const dayNum = (e: string): string => `ifNull(toFloat64(toRelativeDayNum(${e})), inf)`;
  const earliest = `least(least(${dayNum('c_signup_date')}, ${dayNum('first_day')}), ${contractual ? dayNum('first_start') : 'inf'})`;
  const numeric: [string, string][] = [
    ['tenure_days', `if(isInfinite(${earliest}), nan, toFloat64(toRelativeDayNum(${A})) - ${earliest})`],
    ...TRANSACTION_FEATURES.map(([n]): [string, string] => [
      n,
      n.startsWith('recency') ? f64(n) : zeroIfMissing(n),
    ]),
    [
      'spend_trend_90d',
      `if(ifNull(spend_prev_90d, 0) > 0, ${f64('spend_90d')} / ${f64('spend_prev_90d')} - 1, nan)`,
    ],
    ...INTERACTION_FEATURES.map(([n]): [string, string] => [
      n,
      n.startsWith('survey') ? f64(n) : zeroIfMissing(n),
    ]),
    ...usageNames.flatMap((name, i): [string, string][] => [
      [`${name}_90d`, f64(`u${i}_now`)],
      [`${name}_trend`, change(`u${i}_now`, `u${i}_before`)],
    ]),
    ...(contractual
      ? ([
          ['monthly_fee', f64('s_monthly_fee')],
          ['fee_change_365d', change('s_monthly_fee', 's_fee_year_ago')],
          ['plan_changes_365d', zeroIfMissing('s_plan_changes_365d')],
          ['subscriptions_total', zeroIfMissing('s_subscriptions_total')],
        ] as [string, string][])
      : []),
    ['age', f64('c_age')],
  ];
  const categorical: [string, string][] = [
    ['plan', contractual ? `ifNull(s_plan_now, ifNull(c_plan, ''))` : `ifNull(c_plan, '')`],
    ...CHURN_CUSTOMER_CATEGORIES.map((n): [string, string] => [n, `ifNull(c_${n}, '')`]),
  ];
  const sql = `SELECT customer_id, ${numeric.map(([, e]) => e).join(',\n  ')},
    ${categorical.map(([, e]) => e).join(', ')}, toUInt8(ifNull(label, 0))
    FROM (${joined}) ORDER BY customer_id`;
  const types: RowBinaryType[] = [
    'String',
    ...numeric.map((): RowBinaryType => 'Float64'),
    ...categorical.map((): RowBinaryType => 'String'),
    'UInt8',
  ];
  const rows = await engine.conn.rowBinary(sql, types);
  const n = rows.length;
  const numericColumns = numeric.map(() => new Float64Array(n));
  const categoricalColumns = categorical.map(() => new Array<string>(n));
  const customerIds = new Array<string>(n);
  const labels = new Uint8Array(n);
  const firstCategory = 1 + numeric.length;
  rows.forEach((row, i) => {
    customerIds[i] = row[0] as string;
    numericColumns.forEach((col, j) => (col[i] = row[1 + j] as number));
    categoricalColumns.forEach((col, j) => (col[i] = row[firstCategory + j] as string));
    labels[i] = row[firstCategory + categorical.length] as number;
  });
  return {
    asOf,
    horizonDays: H,
    population: contractual ? 'subscriptions' : 'transactions',
    customerIds,
    numeric: numeric.map(([name], j) => ({ name, values: numericColumns[j]! })),
    categorical: categorical.map(([name], j) => ({ name, values: categoricalColumns[j]! })),
    labels: H === null ? null : labels,
    dataEnd,
  };
}
