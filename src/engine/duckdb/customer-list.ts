/**
 * A page of the customer table with revenue, lifecycle state and churn probability, and one customer's
 * record: aggregated in DuckDB for the page's customers only (sorting by revenue or churn ranks all of
 * them in SQL), so that no caller ever receives the whole table.
 */
import { customerDetailOf } from '../customer-detail-rows.js';
import type {
  CustomerDetail,
  CustomerList,
  CustomerListQuery,
  CustomerSort,
} from '../customer-list-types.js';
import type { DuckDbEngine } from './duckdb-engine.js';

const ORDER: Record<CustomerSort, string> = {
  id: 'c.customer_id',
  revenue: 'revenue DESC NULLS LAST, c.customer_id',
  churn: 'churn_probability DESC NULLS LAST, c.customer_id',
};

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

async function latestMarks(engine: DuckDbEngine) {
  const [s] = await engine.query(`SELECT strftime(as_of, '%Y-%m-%d') AS as_of, min(horizon_days) AS h
    FROM churn_scores WHERE as_of = (SELECT max(as_of) FROM churn_scores) GROUP BY as_of`);
  const [l] = await engine.query(`SELECT strftime(max(month_end), '%Y-%m-%d') AS m FROM lifecycle_history`);
  return {
    scoresAsOf: str(s?.as_of),
    horizon: num(s?.h),
    stageAsOf: str(l?.m),
  };
}

export async function duckDbCustomerList(
  engine: DuckDbEngine,
  query: CustomerListQuery,
): Promise<CustomerList> {
  const { scoresAsOf, horizon, stageAsOf } = await latestMarks(engine);
  const sort = query.sort ?? 'id';
  const params: unknown[] = [query.limit, query.offset, scoresAsOf, horizon, stageAsOf];
  const search = query.search !== undefined && query.search !== '' ? query.search.toLowerCase() : null;
  const whereAt = (i: number) => (search === null ? '' : `WHERE contains(lower(c.customer_id), $${i})`);
  if (search !== null) params.push(search);
  const where = whereAt(params.length);
  const [total] = await engine.query(
    `SELECT count(*) AS n FROM customers c ${whereAt(1)}`,
    search === null ? [] : [search],
  );
  // by id: page first, then aggregate the page's transactions; otherwise rank every filtered customer
  const byId = sort === 'id';
  const rows = await engine.query(
    `WITH filtered AS (
       SELECT c.customer_id, c.region, c.plan, c.segment FROM customers c ${where}
       ${byId ? 'ORDER BY c.customer_id LIMIT $1 OFFSET $2' : ''}),
     rev AS (SELECT customer_id, sum(amount) AS revenue FROM transactions
             WHERE customer_id IN (SELECT customer_id FROM filtered) GROUP BY customer_id),
     sc AS (SELECT customer_id, probability FROM churn_scores
            WHERE as_of = CAST($3 AS DATE) AND horizon_days = $4),
     st AS (SELECT customer_id, state FROM lifecycle_history WHERE month_end = CAST($5 AS DATE))
     SELECT c.customer_id, c.region, c.plan, c.segment, coalesce(rev.revenue, 0) AS revenue,
       st.state, sc.probability AS churn_probability
     FROM filtered c LEFT JOIN rev USING (customer_id) LEFT JOIN sc USING (customer_id)
       LEFT JOIN st USING (customer_id)
     ORDER BY ${ORDER[sort]} ${byId ? '' : 'LIMIT $1 OFFSET $2'}`,
    params,
  );
  return {
    total: Number(total!.n),
    limit: query.limit,
    offset: query.offset,
    stageAsOf,
    scoresAsOf,
    churnHorizonDays: horizon,
    customers: rows.map((r) => ({
      customerId: String(r.customer_id),
      region: str(r.region),
      plan: str(r.plan),
      segment: str(r.segment),
      revenue: Number(r.revenue),
      stage: str(r.state),
      churnProbability: num(r.churn_probability),
    })),
  };
}

export async function duckDbCustomerDetail(
  engine: DuckDbEngine,
  customerId: string,
): Promise<CustomerDetail | null> {
  const [c] = await engine.query(
    `SELECT strftime(signup_date, '%Y-%m-%d') AS signup_date, region, channel, plan, segment, gender, age,
       acquisition_cost, CAST(attributes AS VARCHAR) AS attributes, is_stub
     FROM customers WHERE customer_id = $1`,
    [customerId],
  );
  if (!c) return null;
  const [t] = await engine.query(
    `SELECT count(*) AS n, coalesce(sum(amount), 0) AS revenue,
       strftime(min("date"), '%Y-%m-%d') AS first, strftime(max("date"), '%Y-%m-%d') AS last,
       (SELECT strftime(max("date"), '%Y-%m-%d') FROM transactions) AS last_day
     FROM transactions WHERE customer_id = $1`,
    [customerId],
  );
  const subs = await engine.query(
    `SELECT subscription_id, strftime(start_date, '%Y-%m-%d') AS s, strftime(end_date, '%Y-%m-%d') AS e,
       plan, monthly_fee FROM subscriptions WHERE customer_id = $1 ORDER BY start_date, subscription_id`,
    [customerId],
  );
  const churns = await engine.query(
    `SELECT strftime("date", '%Y-%m-%d') AS d, reason_code, "type", note FROM churn_events
     WHERE customer_id = $1 ORDER BY "date"`,
    [customerId],
  );
  const scores = await engine.query(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, horizon_days, probability, model, reasons FROM churn_scores
     WHERE customer_id = $1 AND as_of = (SELECT max(as_of) FROM churn_scores) ORDER BY horizon_days`,
    [customerId],
  );
  const [life] = await engine.query(
    `SELECT strftime(month_end, '%Y-%m-%d') AS m, state, four_stage, five_stage FROM lifecycle_history
     WHERE customer_id = $1 AND month_end = (SELECT max(month_end) FROM lifecycle_history)`,
    [customerId],
  );
  const monthly = await engine.query(
    `SELECT strftime("date", '%Y-%m') AS m, count(*) AS n, sum(amount) AS amount FROM transactions
     WHERE customer_id = $1 GROUP BY m ORDER BY m`,
    [customerId],
  );
  const recent = await engine.query(
    `SELECT strftime("date", '%Y-%m-%d') AS d, amount, product, category, kind FROM transactions
     WHERE customer_id = $1 ORDER BY "date" DESC, amount DESC LIMIT 20`,
    [customerId],
  );
  const alerts = await engine.query(
    `SELECT strftime(as_of, '%Y-%m-%d') AS as_of, level, severity, recency, f_down, m_down FROM customer_alerts
     WHERE customer_id = $1 ORDER BY as_of DESC LIMIT 12`,
    [customerId],
  );
  const valueAsOf = str(life?.m) ?? str(t!.last_day);
  const value = valueAsOf ? await customerValueTier(engine, customerId, valueAsOf) : null;
  return customerDetailOf({
    customerId,
    customer: c,
    totals: t!,
    monthly,
    recent,
    subscriptions: subs,
    churnEvents: churns,
    scores: scores,
    lifecycle: life,
    alerts: alerts,
    value,
  });
}

/**
 * The customer's net revenue over the 365 days to `asOf` and the value-tier thresholds of lifecycle
 * analysis (linear-interpolated 1/3 and 2/3 quantiles of the paying customers' revenue): those recorded
 * with the month end's stages, else computed in one scan.
 */
async function customerValueTier(
  engine: DuckDbEngine,
  customerId: string,
  asOf: string,
): Promise<CustomerDetail['value']> {
  const [stored] = await engine.query(
    `SELECT high, medium, (SELECT coalesce(sum(amount), 0) FROM transactions WHERE customer_id = $2
       AND "date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND "date" >= CAST($1 AS DATE) - INTERVAL 364 DAY) AS own
     FROM lifecycle_tiers WHERE month_end = CAST($1 AS DATE)`,
    [asOf, customerId],
  );
  // recorded with the month end's stages; else computed here (a scan of every customer's revenue)
  if (stored)
    return {
      asOf,
      revenue365: Number(stored.own),
      thresholds: stored.high === null ? null : { high: Number(stored.high), medium: Number(stored.medium) },
    };
  const [r] = await engine.query(
    `WITH v AS (
       SELECT customer_id, sum(amount) AS revenue FROM transactions
       WHERE "date" < CAST($1 AS DATE) + INTERVAL 1 DAY AND "date" >= CAST($1 AS DATE) - INTERVAL 364 DAY
       GROUP BY customer_id)
     SELECT quantile_cont(revenue, 2 / 3) FILTER (WHERE revenue > 0) AS high,
       quantile_cont(revenue, 1 / 3) FILTER (WHERE revenue > 0) AS medium,
       coalesce(max(revenue) FILTER (WHERE customer_id = $2), 0) AS own
     FROM v`,
    [asOf, customerId],
  );
  return {
    asOf,
    revenue365: Number(r?.own ?? 0),
    thresholds:
      r?.high === null || r?.high === undefined ? null : { high: Number(r.high), medium: Number(r.medium) },
  };
}
