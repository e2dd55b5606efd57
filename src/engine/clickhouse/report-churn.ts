/**
 * Churn reports in ClickHouse SQL, the same definitions as duckdb/report-churn.ts (docs/reports.md):
 * subscription rows that touch or overlap form one relationship (spell); the flow counts spells open at a
 * month's opening, starting, ending, open at its close; a churn event belongs to the nearest spell end.
 *
 * 18.16 has no window functions: a customer's rows are sorted into an array, the running maximum of the
 * previous ends is an `arrayReduce('max', arraySlice(...))` per row and the spell numbers an `arrayCumSum`,
 * then ARRAY JOIN gives the rows back. No CTEs and one JOIN per SELECT: the pieces are subquery builders
 * nested one join at a time; every table is sharded by customer, so joins on customer_id are correct
 * shard-locally. Days are Int64 day numbers (open ends = OPEN), so that `end + 1` never overflows a Date.
 * The reason-code taxonomy (an entry-only table) is written into the SQL as `transform` arrays, so no
 * GLOBAL JOIN is needed. Each part of the flow (opening/closing stock, new, exits, closed accounts) is its
 * own compact query per (month, group), run on every shard over its local tables and summed here.
 * Also in 18.16: an alias is visible in the whole SELECT (`argMax(plan, s) AS plan` refers to itself, so
 * results get new names), and a lambda cannot read the columns of a JOIN's result (they go in as arrays).
 */
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { SPILL_TO_DISK } from './connection.js';
import type { ReasonCode } from '../../data/reason-codes.js';
import type {
  ChurnerAggregate,
  ChurnerAggregates,
  ChurnFlowAggregate,
  ChurnFlowAggregates,
  ChurnReportOptions,
  ChurnType,
  ReportDimension,
} from '../report-types.js';
import { checkChurnReportOptions, checkReportPeriod, lastDayOf } from '../report-options.js';
import { UserError } from '../../util/errors.js';
import { chDate, chIdent, chList, chNumber, chString } from './sql.js';
import { chReasonCodes } from './report-reason-codes.js';
import type { Row } from '../engine.js';

/** A table's name in the SQL: the shard-local table (queries run on every shard). */
type Tables = (name: string) => string;

/** The day number of an open subscription end (later than any Date). */
const OPEN = 1_000_000_000;

interface Resolved {
  readonly from: string;
  readonly to: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly by: ReportDimension | null;
  readonly revenueKinds: readonly string[] | null;
  readonly matchDays: number;
  readonly codes: readonly ReasonCode[];
}

const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const dayIso = (n: number): string => new Date(n * 86_400_000).toISOString().slice(0, 10);
const monthOf = (day: string): string => day.slice(0, 7);
/** SQL: the day number of a Date expression, and the `YYYY-MM` of a day number. */
const num = (date: string): string => `toInt64(${date})`;
const month = (n: string): string => `substring(toString(toDate(${n})), 1, 7)`;

async function resolve(engine: ClickHouseEngine, o: ChurnReportOptions): Promise<Resolved> {
  const checked = checkChurnReportOptions(o);
  let { from, to } = checked;
  if (from === undefined || to === undefined) {
    // min/max of an empty table are 1970-01-01 in ClickHouse, not NULL: count the rows (and, like DuckDB's
    // least/greatest, leave out what is missing)
    const [r] = await engine.conn.query(
      `SELECT * FROM (SELECT count() AS n_s, toString(min(start_date)) AS min_s, toString(max(start_date)) AS max_s,
          countIf(isNotNull(end_date)) AS n_end, toString(maxIf(assumeNotNull(end_date), isNotNull(end_date))) AS max_end
        FROM ${engine.t('subscriptions')})
       CROSS JOIN (SELECT count() AS n_e, toString(min(date)) AS min_e, toString(max(date)) AS max_e
        FROM ${engine.t('churn_events')})`,
    );
    const firsts: string[] = [];
    const lasts: string[] = [];
    if (Number(r?.n_s ?? 0) > 0) {
      firsts.push(String(r!.min_s));
      lasts.push(String(r!.max_s));
      if (Number(r!.n_end) > 0) lasts.push(String(r!.max_end));
    }
    if (Number(r?.n_e ?? 0) > 0) {
      firsts.push(String(r!.min_e));
      lasts.push(String(r!.max_e));
    }
    if (firsts.length === 0)
      throw new UserError('no subscriptions or churn events in the workspace: import them first');
    from ??= monthOf(firsts.sort()[0]!);
    to ??= monthOf(lasts.sort().at(-1)!);
  }
  checkReportPeriod(from, to);
  let revenueKinds: readonly string[] | null;
  if (o.revenueKinds === undefined) {
    const [b] = await engine.conn.query(
      `SELECT count() AS n FROM (SELECT 1 FROM ${engine.t('transactions')} WHERE kind = 'bill' LIMIT 1)`,
    );
    revenueKinds = Number(b?.n ?? 0) > 0 ? ['bill'] : null;
  } else revenueKinds = o.revenueKinds;
  return {
    from,
    to,
    firstDay: `${from}-01`,
    lastDay: lastDayOf(to),
    by: checked.by,
    revenueKinds,
    matchDays: checked.matchDays,
    codes: await chReasonCodes(engine),
  };
}

/**
 * The group of a relationship at day `t` (`ss` its start, Nullable day number; `pl` the plan in force);
 * over rows joined to customers (`c_region`, `c_channel`, `c_segment`, `c_plan`).
 */
function groupSql(by: ReportDimension | null, t: string, ss: string, pl: string): string {
  switch (by) {
    case null:
      return `'all'`;
    case 'region':
    case 'channel':
    case 'segment':
      return `ifNull(${chIdent(`c_${by}`)}, '(none)')`;
    case 'plan':
      return `coalesce(${pl}, c_plan, '(none)')`;
    case 'tenure': {
      const before = (months: number) =>
        `toDate(${t}) < addMonths(toDate(assumeNotNull(${ss})), ${chNumber(months)})`;
      return `multiIf(isNull(${ss}), '(unknown)', ${before(3)}, '0-3 months', ${before(6)}, '3-6 months',
        ${before(12)}, '6-12 months', ${before(24)}, '12-24 months', '24+ months')`;
    }
    case 'stage': {
      const age = `(${t} - assumeNotNull(${ss}))`;
      return `multiIf(isNull(${ss}), '(unknown)', ${age} < 90, 'I exploration', ${age} < 365, 'II formation',
        ${age} < 1095, 'III early stability', 'IV long stable')`;
    }
  }
}

/** `left` joined to the customer columns the groups read (`c_*`; c_signup as a Nullable day number). */
function withCustomers(t: Tables, left: string): string {
  return `${left} ANY LEFT JOIN (SELECT customer_id, region AS c_region, channel AS c_channel,
      segment AS c_segment, plan AS c_plan,
      if(isNull(signup_date), CAST(NULL AS Nullable(Int64)), ${num('assumeNotNull(signup_date)')}) AS c_signup
    FROM ${t('customers')}) USING (customer_id)`;
}

/**
 * Subscription rows (end on or after start) with their spell number: customer_id, s, e (OPEN when open),
 * plan, fee, spell_no, replaced (another row starts the day after this one ends).
 */
function islandsSql(t: Tables): string {
  return `(SELECT customer_id, r.1 AS s, r.2 AS e, r.5 AS plan, r.6 AS fee, spell_no, replaced
    FROM (
      SELECT customer_id,
        arraySort(x -> (x.1, x.2, x.3, x.4), groupArray(tuple(s, e, length(row_key), row_key, plan, monthly_fee)))
          AS rows,
        arrayMap(x -> x.2, rows) AS ends,
        arrayMap(x -> x.1, rows) AS starts,
        arrayMap(i -> if(i = 1, toInt64(-1), arrayReduce('max', arraySlice(ends, 1, i - 1))), arrayEnumerate(rows))
          AS prev_end,
        arrayCumSum(arrayMap((x, p) -> p = -1 OR x.1 > p + 1, rows, prev_end)) AS spell_nos,
        arrayMap(x -> has(starts, x.2 + 1), rows) AS replaced_flags
      FROM (SELECT customer_id, ${num('start_date')} AS s,
          if(isNull(end_date), toInt64(${OPEN}), ${num('assumeNotNull(end_date)')}) AS e, row_key, plan, monthly_fee
        FROM ${t('subscriptions')} WHERE isNull(end_date) OR assumeNotNull(end_date) >= start_date)
      GROUP BY customer_id)
    ARRAY JOIN rows AS r, spell_nos AS spell_no, replaced_flags AS replaced)`;
}

/** One row per spell: customer_id, spell_no, spell_start, spell_end (OPEN), first_plan, last_plan, last_fee. */
function spellsSql(t: Tables): string {
  return `(SELECT customer_id, spell_no, min(s) AS spell_start, max(e) AS spell_end,
      argMin(plan, s) AS first_plan, argMax(plan, e) AS last_plan, argMax(fee, e) AS last_fee
    FROM ${islandsSql(t)} GROUP BY customer_id, spell_no)`;
}

/** Churn events: customer_id, ev_key, ev_d, ev_type (voluntary, involuntary, unknown), ev_code. */
function eventsSql(t: Tables, r: Resolved): string {
  const codeType =
    r.codes.length === 0
      ? `CAST(NULL AS Nullable(String))`
      : `if(isNull(reason_code), CAST(NULL AS Nullable(String)),
          transform(assumeNotNull(reason_code), [${r.codes.map((c) => chString(c.code)).join(', ')}],
            [${r.codes.map((c) => chString(c.type)).join(', ')}], CAST(NULL AS Nullable(String))))`;
  // DuckDB's trim() removes spaces only
  const type = `lowerUTF8(replaceRegexpAll(ifNull(coalesce(type, ${codeType}), ''), '^ +| +$', ''))`;
  return `(SELECT customer_id, row_key AS ev_key, ${num('date')} AS ev_d,
      if(${type} IN ('voluntary', 'involuntary'), ${type}, 'unknown') AS ev_type, reason_code AS ev_code
    FROM ${t('churn_events')})`;
}

/**
 * Per spell, the churn event matched to its end: each event goes to the nearest spell end within matchDays
 * (ties: the earlier spell), each spell keeps its nearest such event (ties: the earlier event).
 * customer_id, spell_no, ev_key, ev_type, ev_code.
 */
function matchedSql(t: Tables, r: Resolved): string {
  const m = chNumber(r.matchDays);
  const cand = `(SELECT customer_id, spell_no, ev_key, ev_d, ev_type, ev_code, abs(ev_d - spell_end) AS dist
    FROM (SELECT customer_id, spell_no, spell_end FROM ${spellsSql(t)} WHERE spell_end < ${OPEN})
    ALL INNER JOIN ${eventsSql(t, r)} USING (customer_id)
    WHERE ev_d BETWEEN spell_end - ${m} AND spell_end + ${m})`;
  const best = `(SELECT customer_id, ev_key, ev_d, ev_type, ev_code,
      argMin(spell_no, tuple(dist, spell_no)) AS best_spell, min(dist) AS best_dist
    FROM ${cand} GROUP BY customer_id, ev_key, ev_d, ev_type, ev_code)`;
  return `(SELECT customer_id, best_spell AS spell_no, pick.1 AS ev_key, pick.2 AS ev_type, pick.3 AS ev_code
    FROM (SELECT customer_id, best_spell,
        argMin(tuple(ev_key, ev_type, ev_code), tuple(best_dist, ev_d, length(ev_key), ev_key)) AS pick
      FROM ${best} GROUP BY customer_id, best_spell))`;
}

/** Average monthly revenue before month m (first day): customer_id, m, avg_revenue. */
function revenueSql(t: Tables, r: Resolved): string {
  const kinds =
    r.revenueKinds === null ? '1' : r.revenueKinds.length === 0 ? '0' : `kind IN ${chList(r.revenueKinds)}`;
  return `(SELECT customer_id, addMonths(m0, i) AS m, sum(revenue) / count() AS avg_revenue
    FROM (SELECT customer_id, toStartOfMonth(toDate(date)) AS m0, sum(amount) AS revenue
      FROM ${t('transactions')}
      WHERE ${kinds} AND toDate(date) >= addMonths(${chDate(r.firstDay)}, -3) AND toDate(date) <= ${chDate(r.lastDay)}
      GROUP BY customer_id, m0)
    ARRAY JOIN [1, 2, 3] AS i GROUP BY customer_id, m)`;
}

/** `left` (with customer_id and m) joined to the average revenue of month m. */
const withRevenue = (t: Tables, r: Resolved, left: string): string =>
  `(${left}) ANY LEFT JOIN ${revenueSql(t, r)} USING (customer_id, m)`;

/**
 * Every exit in the period: spell ends (with their matched event) and unmatched churn events, with month,
 * grp, type, ev_code, has_end, revenue.
 */
function exitsSql(t: Tables, r: Resolved): string {
  const [from, to] = [dayNumber(r.firstDay), dayNumber(r.lastDay)];
  const matched = matchedSql(t, r);
  const ends = `SELECT customer_id, spell_end AS d, CAST(spell_start AS Nullable(Int64)) AS ss,
      CAST(last_plan AS Nullable(String)) AS plan, CAST(last_fee AS Nullable(Float64)) AS fee,
      if(isNull(ev_key), 'unknown', assumeNotNull(ev_type)) AS type,
      CAST(ev_code AS Nullable(String)) AS code, toUInt8(1) AS has_end
    FROM (SELECT * FROM ${spellsSql(t)} WHERE spell_end BETWEEN ${from} AND ${to})
    ANY LEFT JOIN ${matched} USING (customer_id, spell_no)`;
  const lone = `SELECT customer_id, ev_d AS d, CAST(NULL AS Nullable(Int64)) AS ss,
      CAST(NULL AS Nullable(String)) AS plan, CAST(NULL AS Nullable(Float64)) AS fee, ev_type AS type,
      CAST(ev_code AS Nullable(String)) AS code, toUInt8(0) AS has_end
    FROM (SELECT * FROM ${eventsSql(t, r)} WHERE ev_d BETWEEN ${from} AND ${to})
    ANY LEFT JOIN (SELECT customer_id, ev_key, toUInt8(1) AS is_matched FROM ${matched})
      USING (customer_id, ev_key)
    WHERE isNull(is_matched)`;
  const exits = `SELECT *, toStartOfMonth(toDate(d)) AS m FROM (${ends} UNION ALL ${lone})`;
  return `(SELECT ${month('d')} AS month, ${groupSql(r.by, 'd', 'ifNull(ss, c_signup)', 'plan')} AS grp,
      type, code, has_end, ifNull(avg_revenue, ifNull(fee, 0)) AS revenue
    FROM ${withRevenue(t, r, `SELECT * FROM ${withCustomers(t, `(${exits})`)}`)})`;
}

/** Month ends from the month before `from` to `to`, as day numbers. */
function monthEnds(r: Resolved): number[] {
  const out: number[] = [];
  let [y, m] = r.from.split('-').map(Number) as [number, number];
  m -= 1; // the month before from, 1-based month m of year y: its last day is Date.UTC(y, m, 0)
  for (;;) {
    const day = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push(dayNumber(day));
    if (day >= r.lastDay) return out;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/** Spells open at the close of each month end d, with the rows in force on d + 1, per (d, grp). */
function stockSql(t: Tables, r: Resolved): string {
  const days = `[${monthEnds(r).join(', ')}]`;
  // a lambda cannot read the columns of a JOIN's result in 18.16 ("Unknown identifier"): they are passed
  // in as arrays of the same length (replicate)
  const rows = `(SELECT customer_id, spell_no, s, e, plan, fee, spell_start, spell_end,
      arrayFilter((d, a, b, s1, e1) -> a <= d AND b > d AND s1 <= d + 1 AND e1 >= d + 1, ${days} AS days,
        replicate(spell_start, days), replicate(spell_end, days), replicate(s, days), replicate(e, days)) AS ds
    FROM ${islandsSql(t)} ALL INNER JOIN ${spellsSql(t)} USING (customer_id, spell_no))`;
  // (an alias is visible in the whole SELECT in ClickHouse: argMax(plan, s) AS plan would refer to itself)
  const stock = `SELECT customer_id, spell_no, d, any(spell_start) AS ss, argMax(plan, s) AS plan_d,
      argMax(fee, s) AS fee_d, count() AS accounts, toDate(d + 1) AS m
    FROM ${rows} ARRAY JOIN ds AS d GROUP BY customer_id, spell_no, d`;
  return `SELECT d, ${groupSql(r.by, 'd', 'ss', 'plan_d')} AS grp, count() AS customers,
      sum(accounts) AS accounts_sum, sum(ifNull(avg_revenue, ifNull(fee_d, 0))) AS revenue
    FROM ${withRevenue(t, r, `SELECT * FROM ${withCustomers(t, `(${stock})`)}`)}
    GROUP BY d, grp`;
}

/** Spells starting in the period, per (month, grp). */
function newsSql(t: Tables, r: Resolved): string {
  const [from, to] = [dayNumber(r.firstDay), dayNumber(r.lastDay)];
  return `SELECT ${month('spell_start')} AS month,
      ${groupSql(r.by, 'spell_start', 'spell_start', 'first_plan')} AS grp, count() AS n
    FROM ${withCustomers(t, `(SELECT * FROM ${spellsSql(t)} WHERE spell_start BETWEEN ${from} AND ${to})`)}
    GROUP BY month, grp`;
}

/** Subscription rows ending in the period and not replaced the next day, per (month, grp). */
function closedSql(t: Tables, r: Resolved): string {
  const [from, to] = [dayNumber(r.firstDay), dayNumber(r.lastDay)];
  const rows = `(SELECT customer_id, e, plan, spell_start
    FROM (SELECT * FROM ${islandsSql(t)} WHERE e BETWEEN ${from} AND ${to} AND NOT replaced)
    ALL INNER JOIN (SELECT customer_id, spell_no, spell_start FROM ${spellsSql(t)})
      USING (customer_id, spell_no))`;
  return `SELECT ${month('e')} AS month, ${groupSql(r.by, 'e', 'spell_start', 'plan')} AS grp, count() AS n
    FROM ${withCustomers(t, rows)} GROUP BY month, grp`;
}

/**
 * Customers per pass of a report query on one shard. A customer's monthly states take memory (about 7 kB
 * each at the demo's history), so a shard with many customers runs the query once per slice of them
 * (`cityHash64(customer_id) % K`) and adds the slices' sums: a customer's rows are all in one slice, so every
 * per-customer step stays complete. `RETAIN_CH_REPORT_SLICE` changes it (tests use a small one).
 */
const sliceCustomers = (): number => Number(process.env.RETAIN_CH_REPORT_SLICE) || 150_000;

/**
 * Rows of a query run on every shard over its local tables (a customer's rows are all on one shard, so
 * every per-customer step is complete there), concatenated: the results are per (month, group) sums that
 * add up across shards and slices of customers. About three times faster than over the Distributed tables,
 * where 18.16 runs the joins of nested subqueries on the entry server.
 */
async function onEveryShard(engine: ClickHouseEngine, sql: (t: Tables) => string): Promise<Row[]> {
  const perShard = await engine.conn.onShards(async (client) => {
    const [n] = await engine.conn.queryOn(
      client,
      `SELECT count() AS n FROM ${engine.conn.local('customers')}`,
    );
    const slices = Math.max(1, Math.ceil(Number(n?.n ?? 0) / sliceCustomers()));
    const rows: Row[] = [];
    for (let i = 0; i < slices; i++) {
      const text = sql((name) =>
        slices === 1
          ? engine.conn.local(name)
          : `(SELECT * FROM ${engine.conn.local(name)} WHERE cityHash64(customer_id) % ${slices} = ${i})`,
      );
      rows.push(...(await engine.conn.queryOn(client, text, SPILL_TO_DISK)));
    }
    return rows;
  });
  return perShard.flat();
}

/** Sum the `values` of rows with equal `keys` (rows of several shards). */
function sumBy(rows: readonly Row[], keys: readonly string[], values: readonly string[]): Row[] {
  const out = new Map<string, Row>();
  for (const row of rows) {
    const key = JSON.stringify(keys.map((k) => row[k]));
    const sum = out.get(key);
    if (sum === undefined) out.set(key, { ...row });
    else for (const v of values) sum[v] = Number(sum[v]) + Number(row[v]);
  }
  return [...out.values()];
}

const round = (v: unknown): number => Math.round(Number(v) * 1e6) / 1e6;
const byMonthGroup = (a: { month: string; group: string }, b: { month: string; group: string }): number =>
  a.month < b.month ? -1 : a.month > b.month ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0;

export async function chChurnFlow(
  engine: ClickHouseEngine,
  options: ChurnReportOptions,
): Promise<ChurnFlowAggregates> {
  const r = await resolve(engine, options);
  const sums = (sql: (t: Tables) => string, keys: string[], values: string[]) =>
    onEveryShard(engine, sql).then((rows) => sumBy(rows, keys, values));
  const [stock, news, exits, closed] = await Promise.all([
    sums((t) => stockSql(t, r), ['d', 'grp'], ['customers', 'accounts_sum', 'revenue']),
    sums((t) => newsSql(t, r), ['month', 'grp'], ['n']),
    sums(
      (t) => `SELECT month, grp, countIf(has_end AND type = 'voluntary') AS voluntary,
        countIf(has_end AND type = 'involuntary') AS involuntary,
        countIf(has_end AND type = 'unknown') AS other_ends, sumIf(revenue, has_end) AS revenue_lost,
        countIf(NOT has_end) AS events_without_end
      FROM ${exitsSql(t, r)} GROUP BY month, grp`,
      ['month', 'grp'],
      ['voluntary', 'involuntary', 'other_ends', 'revenue_lost', 'events_without_end'],
    ),
    sums((t) => closedSql(t, r), ['month', 'grp'], ['n']),
  ]);
  const rows = new Map<string, ChurnFlowAggregate & Record<string, unknown>>();
  const row = (month: string, group: string) => {
    const key = `${month}\u0000${group}`;
    let x = rows.get(key);
    if (x === undefined) {
      x = {
        month,
        group,
        start: 0,
        new: 0,
        voluntary: 0,
        involuntary: 0,
        otherEnds: 0,
        end: 0,
        accountsStart: 0,
        closedAccounts: 0,
        revenueStart: 0,
        revenueLost: 0,
        eventsWithoutEnd: 0,
      };
      rows.set(key, x);
    }
    return x as { -readonly [K in keyof ChurnFlowAggregate]: ChurnFlowAggregate[K] };
  };
  const firstDay = dayNumber(r.firstDay);
  for (const s of stock) {
    const d = Number(s.d);
    const group = String(s.grp);
    if (d + 1 >= firstDay) {
      const x = row(monthOf(dayIso(d + 1)), group);
      x.start = Number(s.customers);
      x.accountsStart = Number(s.accounts_sum);
      x.revenueStart = round(s.revenue);
    }
    if (d >= firstDay) row(monthOf(dayIso(d)), group).end = Number(s.customers);
  }
  for (const n of news) row(String(n.month), String(n.grp)).new = Number(n.n);
  for (const e of exits) {
    const x = row(String(e.month), String(e.grp));
    x.voluntary = Number(e.voluntary);
    x.involuntary = Number(e.involuntary);
    x.otherEnds = Number(e.other_ends);
    x.revenueLost = round(e.revenue_lost);
    x.eventsWithoutEnd = Number(e.events_without_end);
  }
  for (const c of closed) row(String(c.month), String(c.grp)).closedAccounts = Number(c.n);
  // without a split, every month of the period has a row, even an empty one
  if (r.by === null) for (const d of monthEnds(r).slice(1)) row(monthOf(dayIso(d)), 'all');
  return {
    from: r.from,
    to: r.to,
    by: r.by,
    revenueKinds: r.revenueKinds,
    rows: [...rows.values()].filter((x) => x.month >= r.from && x.month <= r.to).sort(byMonthGroup),
  };
}

export async function chChurners(
  engine: ClickHouseEngine,
  options: ChurnReportOptions,
): Promise<ChurnerAggregates> {
  const r = await resolve(engine, options);
  const codes = new Map(r.codes.map((c) => [c.code, c]));
  const rows = sumBy(
    await onEveryShard(
      engine,
      (t) => `SELECT month, grp, type, isNull(code) AS no_code, ifNull(code, '') AS code_text,
        count() AS churners, sum(revenue) AS revenue_lost, countIf(NOT has_end) AS events_without_end
      FROM ${exitsSql(t, r)} GROUP BY month, grp, type, no_code, code_text`,
    ),
    ['month', 'grp', 'type', 'no_code', 'code_text'],
    ['churners', 'revenue_lost', 'events_without_end'],
  );
  const out = rows.map((x): ChurnerAggregate => {
    const code = Number(x.no_code) === 1 ? null : String(x.code_text);
    const known = code === null ? undefined : codes.get(code);
    return {
      month: String(x.month),
      group: String(x.grp),
      type: String(x.type) as ChurnType,
      reasonCode: code ?? '(none)',
      reason: known?.reason ?? (code === null ? '(none)' : '(unknown code)'),
      family: known?.family ?? 'other',
      churners: Number(x.churners),
      revenueLost: round(x.revenue_lost),
      eventsWithoutEnd: Number(x.events_without_end),
    };
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  out.sort(
    (a, b) =>
      cmp(a.month, b.month) ||
      cmp(a.group, b.group) ||
      cmp(a.type, b.type) ||
      cmp(a.reasonCode, b.reasonCode),
  );
  return { from: r.from, to: r.to, by: r.by, revenueKinds: r.revenueKinds, rows: out };
}
