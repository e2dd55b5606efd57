/**
 * A page of the customer table with revenue, lifecycle state and churn probability, and one customer's
 * record, in ClickHouse (as duckdb/customer-list.ts). The page's customer ids are chosen first (ranking
 * every filtered customer on the shards when sorting by revenue or churn), then only those customers'
 * fields are read, so no caller ever receives the whole table.
 *
 * 18.16: `lower` is ASCII-only (lowerUTF8 matches DuckDB's lower), `max()` of an empty table is
 * 1970-01-01 rather than NULL (counted first), no `quantile_cont` (the linear interpolation between the
 * sorted revenues is written out), `date` is a DateTime (`toDate(date)` for the day).
 */
import { customerDetailOf } from '../customer-detail-rows.js';
import type {
  CustomerDetail,
  CustomerList,
  CustomerListQuery,
  CustomerListRow,
} from '../customer-list-types.js';
import type { Row } from '../engine.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chDate, chList, chNumber, chString } from './sql.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A page bound as SQL text: a whole number >= 0. */
const whole = (n: number): string => String(Math.max(0, Math.trunc(Number.isFinite(n) ? n : 0)));

/** The latest day of a Date column as `YYYY-MM-DD`, null when the table is empty. */
async function latestDay(engine: ClickHouseEngine, table: string, column: string): Promise<string | null> {
  const [r] = await engine.conn.query(
    `SELECT if(count() = 0, NULL, toString(max(${column}))) AS d FROM ${engine.t(table)}`,
  );
  return str(r?.d);
}

async function latestMarks(engine: ClickHouseEngine) {
  const scoresAsOf = await latestDay(engine, 'churn_scores', 'as_of');
  const [s] = scoresAsOf
    ? await engine.conn.query(
        `SELECT min(horizon_days) AS h FROM ${engine.t('churn_scores')} WHERE as_of = ${chDate(scoresAsOf)}`,
      )
    : [];
  return {
    scoresAsOf,
    horizon: num(s?.h),
    stageAsOf: await latestDay(engine, 'lifecycle_history', 'month_end'),
  };
}

export async function chCustomerList(
  engine: ClickHouseEngine,
  query: CustomerListQuery,
): Promise<CustomerList> {
  const { scoresAsOf, horizon, stageAsOf } = await latestMarks(engine);
  const sort = query.sort ?? 'id';
  const search = query.search !== undefined && query.search !== '' ? query.search.toLowerCase() : null;
  const where = search === null ? '' : `WHERE position(lowerUTF8(customer_id), ${chString(search)}) > 0`;
  const customers = engine.t('customers');
  const [total] = await engine.conn.query(`SELECT count() AS n FROM ${customers} ${where}`);
  const page = `LIMIT ${whole(query.offset)}, ${whole(query.limit)}`;
  const scored =
    scoresAsOf !== null && horizon !== null
      ? `as_of = ${chDate(scoresAsOf)} AND horizon_days = ${chNumber(horizon)}`
      : '0';
  const ranked =
    sort === 'id'
      ? `SELECT customer_id FROM ${customers} ${where} ORDER BY customer_id ${page}`
      : sort === 'revenue'
        ? `SELECT customer_id, ifNull(revenue, 0) AS rank FROM ${customers} ANY LEFT JOIN (
             SELECT customer_id, sum(amount) AS revenue FROM ${engine.t('transactions')} GROUP BY customer_id)
           USING customer_id ${where} ORDER BY rank DESC, customer_id ${page}`
        : `SELECT customer_id, probability AS rank FROM ${customers} ANY LEFT JOIN (
             SELECT customer_id, probability FROM ${engine.t('churn_scores')} WHERE ${scored})
           USING customer_id ${where} ORDER BY rank DESC NULLS LAST, customer_id ${page}`;
  const ids = (await engine.conn.query(ranked)).map((r) => String(r.customer_id));
  const rows: CustomerListRow[] = [];
  if (ids.length > 0) {
    const these = `customer_id IN ${chList(ids)}`;
    const byId = async (sql: string) =>
      new Map((await engine.conn.query(sql)).map((r) => [String(r.customer_id), r]));
    const attributes = await byId(
      `SELECT customer_id, region, plan, segment FROM ${customers} WHERE ${these}`,
    );
    const revenue = await byId(
      `SELECT customer_id, sum(amount) AS revenue FROM ${engine.t('transactions')} WHERE ${these} GROUP BY customer_id`,
    );
    const scores = await byId(
      `SELECT customer_id, probability FROM ${engine.t('churn_scores')} WHERE ${scored} AND ${these}`,
    );
    const stages =
      stageAsOf === null
        ? new Map<string, Row>()
        : await byId(
            `SELECT customer_id, state FROM ${engine.t('lifecycle_history')}
             WHERE month_end = ${chDate(stageAsOf)} AND ${these}`,
          );
    for (const id of ids) {
      const c = attributes.get(id);
      rows.push({
        customerId: id,
        region: str(c?.region),
        plan: str(c?.plan),
        segment: str(c?.segment),
        revenue: Number(revenue.get(id)?.revenue ?? 0),
        stage: str(stages.get(id)?.state),
        churnProbability: num(scores.get(id)?.probability),
      });
    }
  }
  return {
    total: Number(total!.n),
    limit: query.limit,
    offset: query.offset,
    stageAsOf,
    scoresAsOf,
    churnHorizonDays: horizon,
    customers: rows,
  };
}

export async function chCustomerDetail(
  engine: ClickHouseEngine,
  customerId: string,
): Promise<CustomerDetail | null> {
  const id = `customer_id = ${chString(customerId)}`;
  const tx = engine.t('transactions');
  const [c] = await engine.conn.query(
    `SELECT toString(signup_date) AS signup_date, region, channel, plan, segment, gender, age, acquisition_cost,
       attributes, is_stub FROM ${engine.t('customers')} WHERE ${id} LIMIT 1`,
  );
  if (!c) return null;
  const [t] = await engine.conn.query(
    `SELECT count() AS n, sum(amount) AS revenue, if(count() = 0, NULL, toString(toDate(min(date)))) AS first,
       if(count() = 0, NULL, toString(toDate(max(date)))) AS last FROM ${tx} WHERE ${id}`,
  );
  const lastDay = await engine.lastTransactionDay();
  const subs = await engine.conn.query(
    `SELECT subscription_id, toString(start_date) AS s, toString(end_date) AS e, plan, monthly_fee
     FROM ${engine.t('subscriptions')} WHERE ${id} ORDER BY start_date, subscription_id`,
  );
  const churns = await engine.conn.query(
    `SELECT toString(date) AS d, reason_code, type, note FROM ${engine.t('churn_events')} WHERE ${id}
     ORDER BY date, length(row_key), row_key`,
  );
  const scoresAsOf = await latestDay(engine, 'churn_scores', 'as_of');
  const scores = scoresAsOf
    ? await engine.conn.query(
        `SELECT toString(as_of) AS day, horizon_days, probability, model, reasons FROM ${engine.t('churn_scores')}
         WHERE ${id} AND as_of = ${chDate(scoresAsOf)} ORDER BY horizon_days`,
      )
    : [];
  const stageAsOf = await latestDay(engine, 'lifecycle_history', 'month_end');
  const [life] = stageAsOf
    ? await engine.conn.query(
        `SELECT toString(month_end) AS m, state, four_stage, five_stage FROM ${engine.t('lifecycle_history')}
         WHERE ${id} AND month_end = ${chDate(stageAsOf)} LIMIT 1`,
      )
    : [];
  const monthly = await engine.conn.query(
    `SELECT substring(toString(toDate(date)), 1, 7) AS m, count() AS n, sum(amount) AS amount FROM ${tx}
     WHERE ${id} GROUP BY m ORDER BY m`,
  );
  const recent = await engine.conn.query(
    `SELECT toString(toDate(date)) AS d, amount, product, category, kind FROM ${tx} WHERE ${id}
     ORDER BY date DESC, amount DESC LIMIT 20`,
  );
  const alerts = await engine.conn.query(
    `SELECT toString(as_of) AS day, level, severity, recency, f_down, m_down FROM ${engine.t('customer_alerts')}
     WHERE ${id} ORDER BY as_of DESC LIMIT 12`,
  );
  const valueAsOf = str(life?.m) ?? lastDay;
  const value = valueAsOf ? await customerValueTier(engine, customerId, valueAsOf) : null;
  return customerDetailOf({
    customerId,
    customer: c,
    totals: t!,
    monthly,
    recent,
    subscriptions: subs,
    churnEvents: churns,
    scores: scores.map((s) => ({ ...s, as_of: s.day })),
    lifecycle: life,
    alerts: alerts.map((a) => ({ ...a, as_of: a.day })),
    value,
  });
}

/** DuckDB's `quantile_cont(x, q)` over the sorted array `a` of length `n` (> 0): linear interpolation. */
const quantileCont = (q: string): string => {
  const pos = `(n - 1) * ${q}`;
  const at = (k: string) => `a[toUInt64(${k}) + 1]`;
  return `${at(`floor(${pos})`)} + (${pos} - floor(${pos})) * (${at(`ceil(${pos})`)} - ${at(`floor(${pos})`)})`;
};

/**
 * The customer's net revenue over the 365 days to `asOf` and the value-tier thresholds of lifecycle
 * analysis (linear-interpolated 1/3 and 2/3 quantiles of the paying customers' revenue): those recorded
 * with the month end's stages, else computed in one scan.
 */
async function customerValueTier(
  engine: ClickHouseEngine,
  customerId: string,
  asOf: string,
): Promise<CustomerDetail['value']> {
  const day = chDate(asOf);
  const window = `toDate(date) <= ${day} AND toDate(date) >= ${day} - 364`;
  const [own] = await engine.conn.query(
    `SELECT sum(amount) AS v FROM ${engine.t('transactions')}
     WHERE customer_id = ${chString(customerId)} AND ${window}`,
  );
  const revenue365 = Number(own?.v ?? 0);
  const [stored] = await engine.conn.query(
    `SELECT high, medium FROM ${engine.t('lifecycle_tiers')} FINAL WHERE month_end = ${day} AND deleted = 0`,
  );
  // recorded with the month end's stages; else computed here (a scan of every customer's revenue)
  if (stored)
    return {
      asOf,
      revenue365,
      thresholds: stored.high === null ? null : { high: Number(stored.high), medium: Number(stored.medium) },
    };
  const [r] = await engine.conn.query(
    `SELECT if(n = 0, NULL, ${quantileCont('2 / 3')}) AS high, if(n = 0, NULL, ${quantileCont('1 / 3')}) AS medium
     FROM (SELECT arraySort(groupArray(revenue)) AS a, length(a) AS n FROM (
       SELECT customer_id, sum(amount) AS revenue FROM ${engine.t('transactions')} WHERE ${window}
       GROUP BY customer_id) WHERE revenue > 0)`,
  );
  return {
    asOf,
    revenue365,
    thresholds:
      r?.high === null || r?.high === undefined ? null : { high: Number(r.high), medium: Number(r.medium) },
  };
}
