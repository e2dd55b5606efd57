/**
 * Churn reports in DuckDB SQL (DOMAIN.md 5.5, definitions in docs/reports.md). Subscription rows of a customer
 * that touch or overlap (the next starts at most one day after the previous ends) form one relationship
 * ("spell"); plan and price changes stay inside it. The flow counts spells: open at a month's opening, starting
 * in it, ending in it, open at its close. A churn event belongs to the spell end nearest to it (within
 * `matchDays`); ends without an event are "other ends"; events without an end are churners of their own.
 */
import { UserError } from '../../util/errors.js';
import { quoteString } from '../sql.js';
import {
  type ChurnerAggregate,
  type ChurnerAggregates,
  type ChurnFlowAggregates,
  type ChurnReportOptions,
  type ChurnType,
  type ReportDimension,
} from '../report-types.js';
import { checkChurnReportOptions, checkReportPeriod, lastDayOf } from '../report-options.js';
import type { DuckDbEngine } from './duckdb-engine.js';

interface Resolved {
  readonly from: string;
  readonly to: string;
  /** First day of `from`, last day of `to` (ISO). */
  readonly firstDay: string;
  readonly lastDay: string;
  readonly by: ReportDimension | null;
  readonly revenueKinds: readonly string[] | null;
  readonly matchDays: number;
}

async function resolve(engine: DuckDbEngine, o: ChurnReportOptions): Promise<Resolved> {
  const checked = checkChurnReportOptions(o);
  const { by, matchDays } = checked;
  let { from, to } = checked;
  if (from === undefined || to === undefined) {
    const [r] = await engine.query(`SELECT
        strftime(least(s.min_s, e.min_e), '%Y-%m') AS f,
        strftime(greatest(s.max_s, s.max_end, e.max_e), '%Y-%m') AS t
      FROM (SELECT min(start_date) AS min_s, max(start_date) AS max_s, max(end_date) AS max_end FROM subscriptions) s,
        (SELECT min("date") AS min_e, max("date") AS max_e FROM churn_events) e`);
    if (r?.f == null || r?.t == null)
      throw new UserError('no subscriptions or churn events in the workspace: import them first');
    from ??= String(r.f);
    to ??= String(r.t);
  }
  checkReportPeriod(from, to);
  let revenueKinds: readonly string[] | null;
  if (o.revenueKinds === undefined) {
    const [b] = await engine.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM transactions WHERE kind = 'bill' LIMIT 1)`,
    );
    revenueKinds = Number(b?.n ?? 0) > 0 ? ['bill'] : null;
  } else revenueKinds = o.revenueKinds;
  return { from, to, firstDay: `${from}-01`, lastDay: lastDayOf(to), by, revenueKinds, matchDays };
}

/** The group of a relationship at moment `t` (`ss` its start, `pl` the plan in force); customers alias `c`. */
export function reportGroupSql(by: ReportDimension | null, t: string, ss: string, pl: string): string {
  switch (by) {
    case null:
      return `'all'`;
    case 'region':
    case 'channel':
    case 'segment':
      return `coalesce(CAST(c.${by} AS VARCHAR), '(none)')`;
    case 'plan':
      return `coalesce(${pl}, c.plan, '(none)')`;
    case 'tenure':
      return `CASE WHEN ${ss} IS NULL THEN '(unknown)'
        WHEN ${t} < ${ss} + INTERVAL 3 MONTH THEN '0-3 months'
        WHEN ${t} < ${ss} + INTERVAL 6 MONTH THEN '3-6 months'
        WHEN ${t} < ${ss} + INTERVAL 12 MONTH THEN '6-12 months'
        WHEN ${t} < ${ss} + INTERVAL 24 MONTH THEN '12-24 months'
        ELSE '24+ months' END`;
    case 'stage':
      return `CASE WHEN ${ss} IS NULL THEN '(unknown)'
        WHEN date_diff('day', ${ss}, ${t}) < 90 THEN 'I exploration'
        WHEN date_diff('day', ${ss}, ${t}) < 365 THEN 'II formation'
        WHEN date_diff('day', ${ss}, ${t}) < 1095 THEN 'III early stability'
        ELSE 'IV long stable' END`;
  }
}

/** Spells, churn events matched to spell ends, every exit with its group and revenue. */
function exitCtes(r: Resolved): string {
  const from = `DATE ${quoteString(r.firstDay)}`;
  const to = `DATE ${quoteString(r.lastDay)}`;
  const kinds =
    r.revenueKinds === null ? 'true' : `kind IN (${r.revenueKinds.map(quoteString).join(', ') || 'NULL'})`;
  return `
    subs AS (
      SELECT row_key, customer_id, start_date AS s, end_date AS e, plan, monthly_fee FROM subscriptions
      WHERE end_date IS NULL OR end_date >= start_date),
    ordered AS (
      SELECT *, max(coalesce(e, DATE '9999-12-30')) OVER (PARTITION BY customer_id ORDER BY s, e NULLS LAST, row_key
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end FROM subs),
    islands AS (
      SELECT *, sum(CASE WHEN prev_end IS NULL OR s > prev_end + 1 THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id
        ORDER BY s, e NULLS LAST, row_key ROWS UNBOUNDED PRECEDING) AS spell_no FROM ordered),
    spells AS (
      SELECT customer_id, spell_no, min(s) AS spell_start,
        CASE WHEN bool_or(e IS NULL) THEN NULL ELSE max(e) END AS spell_end,
        arg_min(plan, s) AS first_plan,
        arg_max(plan, coalesce(e, DATE '9999-12-30')) AS last_plan,
        arg_max(monthly_fee, coalesce(e, DATE '9999-12-30')) AS last_fee
      FROM islands GROUP BY customer_id, spell_no),
    ev AS (
      SELECT row_number() OVER (ORDER BY e.customer_id, e."date", e.row_key) AS ev_id, e.customer_id, e."date" AS d,
        e.reason_code,
        CASE WHEN lower(trim(coalesce(e."type", rc."type"))) IN ('voluntary', 'involuntary')
          THEN lower(trim(coalesce(e."type", rc."type"))) ELSE 'unknown' END AS type
      FROM churn_events e LEFT JOIN reason_codes rc ON rc.code = e.reason_code),
    cand AS (
      SELECT sp.customer_id, sp.spell_no, ev.ev_id, abs(date_diff('day', ev.d, sp.spell_end)) AS dist
      FROM spells sp JOIN ev ON ev.customer_id = sp.customer_id
        AND ev.d BETWEEN sp.spell_end - ${r.matchDays} AND sp.spell_end + ${r.matchDays}
      WHERE sp.spell_end IS NOT NULL),
    best AS (SELECT * FROM cand QUALIFY row_number() OVER (PARTITION BY ev_id ORDER BY dist, spell_no) = 1),
    matched AS (
      SELECT * FROM best QUALIFY row_number() OVER (PARTITION BY customer_id, spell_no ORDER BY dist, ev_id) = 1),
    cm AS (
      SELECT customer_id, CAST(date_trunc('month', "date") AS DATE) AS m, sum(amount) AS revenue FROM transactions
      WHERE ${kinds} AND "date" >= ${from} - INTERVAL 3 MONTH AND "date" < ${to} + 1 GROUP BY ALL),
    -- average monthly revenue before month m: the months with revenue among the 3 calendar months before m
    rev AS (
      SELECT customer_id, CAST(m + to_months(i) AS DATE) AS m, sum(revenue) / count(*) AS avg_revenue
      FROM cm, range(1, 4) t(i) GROUP BY ALL),
    exits AS (
      SELECT sp.customer_id, sp.spell_end AS d, sp.spell_start AS ss, sp.last_plan AS plan, sp.last_fee AS fee,
        coalesce(ev.type, 'unknown') AS type, ev.reason_code, true AS has_end
      FROM spells sp LEFT JOIN matched mt ON mt.customer_id = sp.customer_id AND mt.spell_no = sp.spell_no
        LEFT JOIN ev ON ev.ev_id = mt.ev_id
      WHERE sp.spell_end BETWEEN ${from} AND ${to}
      UNION ALL
      SELECT ev.customer_id, ev.d, NULL, NULL, NULL, ev.type, ev.reason_code, false
      FROM ev WHERE ev.d BETWEEN ${from} AND ${to} AND ev.ev_id NOT IN (SELECT ev_id FROM matched)),
    exits_v AS (
      SELECT x.*, strftime(x.d, '%Y-%m') AS month,
        ${reportGroupSql(r.by, 'x.d', 'coalesce(x.ss, c.signup_date)', 'x.plan')} AS grp,
        coalesce(rv.avg_revenue, x.fee, 0) AS revenue
      FROM exits x LEFT JOIN customers c ON c.customer_id = x.customer_id
        LEFT JOIN rev rv ON rv.customer_id = x.customer_id AND rv.m = CAST(date_trunc('month', x.d) AS DATE))`;
}

function flowSql(r: Resolved): string {
  const from = `DATE ${quoteString(r.firstDay)}`;
  const to = `DATE ${quoteString(r.lastDay)}`;
  return `
    WITH ${exitCtes(r)},
    days AS (
      SELECT CAST(CAST(m AS DATE) + INTERVAL 1 MONTH AS DATE) - 1 AS d
      FROM range(TIMESTAMP ${quoteString(r.firstDay)} - INTERVAL 1 MONTH, TIMESTAMP ${quoteString(r.lastDay)},
        INTERVAL 1 MONTH) t(m)),
    -- spells open at the close of day d (so at the opening of d + 1), with the rows in force on d + 1
    stock AS (
      SELECT dd.d, sp.customer_id, sp.spell_no, arg_max(i.plan, i.s) AS plan, arg_max(i.monthly_fee, i.s) AS fee,
        count(*) AS accounts
      FROM days dd JOIN spells sp ON sp.spell_start <= dd.d AND (sp.spell_end IS NULL OR sp.spell_end > dd.d)
        JOIN islands i ON i.customer_id = sp.customer_id AND i.spell_no = sp.spell_no
          AND i.s <= dd.d + 1 AND (i.e IS NULL OR i.e >= dd.d + 1)
      GROUP BY ALL),
    stock_g AS (
      SELECT st.d, ${reportGroupSql(r.by, 'st.d', 'sp.spell_start', 'st.plan')} AS grp, count(*) AS customers,
        sum(st.accounts) AS accounts, sum(coalesce(rv.avg_revenue, st.fee, 0)) AS revenue
      FROM stock st JOIN spells sp ON sp.customer_id = st.customer_id AND sp.spell_no = st.spell_no
        LEFT JOIN customers c ON c.customer_id = st.customer_id
        LEFT JOIN rev rv ON rv.customer_id = st.customer_id AND rv.m = st.d + 1
      GROUP BY ALL),
    starts AS (SELECT strftime(d + 1, '%Y-%m') AS month, grp, customers, accounts, revenue FROM stock_g
      WHERE d + 1 >= ${from}),
    ends AS (SELECT strftime(d, '%Y-%m') AS month, grp, customers FROM stock_g WHERE d >= ${from}),
    news AS (
      SELECT strftime(sp.spell_start, '%Y-%m') AS month,
        ${reportGroupSql(r.by, 'sp.spell_start', 'sp.spell_start', 'sp.first_plan')} AS grp, count(*) AS n
      FROM spells sp LEFT JOIN customers c ON c.customer_id = sp.customer_id
      WHERE sp.spell_start BETWEEN ${from} AND ${to} GROUP BY ALL),
    exits_g AS (
      SELECT month, grp,
        count(*) FILTER (WHERE has_end AND type = 'voluntary') AS voluntary,
        count(*) FILTER (WHERE has_end AND type = 'involuntary') AS involuntary,
        count(*) FILTER (WHERE has_end AND type = 'unknown') AS other_ends,
        coalesce(sum(revenue) FILTER (WHERE has_end), 0) AS revenue_lost,
        count(*) FILTER (WHERE NOT has_end) AS events_without_end
      FROM exits_v GROUP BY ALL),
    closed AS (
      SELECT strftime(i.e, '%Y-%m') AS month, ${reportGroupSql(r.by, 'i.e', 'sp.spell_start', 'i.plan')} AS grp,
        count(*) AS n
      FROM islands i JOIN spells sp ON sp.customer_id = i.customer_id AND sp.spell_no = i.spell_no
        LEFT JOIN customers c ON c.customer_id = i.customer_id
      WHERE i.e BETWEEN ${from} AND ${to}
        AND NOT EXISTS (SELECT 1 FROM subs s2 WHERE s2.customer_id = i.customer_id AND s2.s = i.e + 1)
      GROUP BY ALL),
    months AS (SELECT strftime(m, '%Y-%m') AS month FROM range(TIMESTAMP ${quoteString(r.firstDay)},
      TIMESTAMP ${quoteString(r.lastDay)}, INTERVAL 1 MONTH) t(m)),
    keys AS (
      SELECT month, grp FROM starts UNION SELECT month, grp FROM ends UNION SELECT month, grp FROM news
      UNION SELECT month, grp FROM exits_g UNION SELECT month, grp FROM closed
      UNION SELECT month, 'all' FROM months WHERE ${r.by === null ? 'true' : 'false'})
    SELECT k.month, k.grp,
      coalesce(st.customers, 0) AS "start", coalesce(nw.n, 0) AS "new",
      coalesce(x.voluntary, 0) AS voluntary, coalesce(x.involuntary, 0) AS involuntary,
      coalesce(x.other_ends, 0) AS other_ends, coalesce(en.customers, 0) AS "end",
      coalesce(st.accounts, 0) AS accounts_start, coalesce(cl.n, 0) AS closed_accounts,
      coalesce(st.revenue, 0) AS revenue_start, coalesce(x.revenue_lost, 0) AS revenue_lost,
      coalesce(x.events_without_end, 0) AS events_without_end
    FROM keys k
      LEFT JOIN starts st ON st.month = k.month AND st.grp = k.grp
      LEFT JOIN ends en ON en.month = k.month AND en.grp = k.grp
      LEFT JOIN news nw ON nw.month = k.month AND nw.grp = k.grp
      LEFT JOIN exits_g x ON x.month = k.month AND x.grp = k.grp
      LEFT JOIN closed cl ON cl.month = k.month AND cl.grp = k.grp
    WHERE k.month BETWEEN ${quoteString(r.from)} AND ${quoteString(r.to)}
    ORDER BY k.month, k.grp`;
}

const round = (v: unknown): number => Math.round(Number(v) * 1e6) / 1e6;

export async function duckDbChurnFlow(
  engine: DuckDbEngine,
  options: ChurnReportOptions,
): Promise<ChurnFlowAggregates> {
  const r = await resolve(engine, options);
  const rows = await engine.query(flowSql(r));
  return {
    from: r.from,
    to: r.to,
    by: r.by,
    revenueKinds: r.revenueKinds,
    rows: rows.map((x) => ({
      month: String(x.month),
      group: String(x.grp),
      start: Number(x.start),
      new: Number(x.new),
      voluntary: Number(x.voluntary),
      involuntary: Number(x.involuntary),
      otherEnds: Number(x.other_ends),
      end: Number(x.end),
      accountsStart: Number(x.accounts_start),
      closedAccounts: Number(x.closed_accounts),
      revenueStart: round(x.revenue_start),
      revenueLost: round(x.revenue_lost),
      eventsWithoutEnd: Number(x.events_without_end),
    })),
  };
}

export async function duckDbChurners(
  engine: DuckDbEngine,
  options: ChurnReportOptions,
): Promise<ChurnerAggregates> {
  const r = await resolve(engine, options);
  const rows = await engine.query(`
    WITH ${exitCtes(r)}
    SELECT x.month, x.grp, x.type, coalesce(x.reason_code, '(none)') AS reason_code,
      coalesce(rc.reason, CASE WHEN x.reason_code IS NULL THEN '(none)' ELSE '(unknown code)' END) AS reason,
      coalesce(rc.family, 'other') AS family, count(*) AS churners, sum(x.revenue) AS revenue_lost,
      count(*) FILTER (WHERE NOT x.has_end) AS events_without_end
    FROM exits_v x LEFT JOIN reason_codes rc ON rc.code = x.reason_code
    GROUP BY ALL ORDER BY 1, 2, 3, 4`);
  return {
    from: r.from,
    to: r.to,
    by: r.by,
    revenueKinds: r.revenueKinds,
    rows: rows.map((x): ChurnerAggregate => ({
      month: String(x.month),
      group: String(x.grp),
      type: String(x.type) as ChurnType,
      reasonCode: String(x.reason_code),
      reason: String(x.reason),
      family: String(x.family),
      churners: Number(x.churners),
      revenueLost: round(x.revenue_lost),
      eventsWithoutEnd: Number(x.events_without_end),
    })),
  };
}
