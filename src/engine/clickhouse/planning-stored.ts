/**
 * Reading stored plans back for the API and dashboard, in ClickHouse: every plan with its contacted
 * customers counted and summed per action, and one plan's contacted customers a page at a time. The order
 * is DuckDB's: newest first (ties by plan number), items by expected saved value then customer id.
 */
import { planSummariesOf } from '../planning-stored-rows.js';
import type { StoredPlanItemPage, StoredPlanPageQuery, StoredPlanSummary } from '../planning-stored-types.js';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chString } from './sql.js';
import { chIsoTime } from './records.js';
import { PLAN_NUMBER } from './planning-plans.js';

/** A page bound as SQL text: a whole number >= 0 (the route has checked it; this keeps the SQL safe anyway). */
const whole = (n: number): string => String(Math.max(0, Math.trunc(Number.isFinite(n) ? n : 0)));

async function summaries(engine: ClickHouseEngine, planId: string | null): Promise<StoredPlanSummary[]> {
  const where = planId === null ? '' : `WHERE plan_id = ${chString(planId)}`;
  const plans = await engine.conn.query(
    `SELECT plan_id, kind, ${chIsoTime('created_at')} AS created, toString(as_of) AS day, budget, document
     FROM ${engine.t('plans')} ${where} ORDER BY created_at DESC, ${PLAN_NUMBER} DESC`,
  );
  const actions = await engine.conn.query(
    `SELECT plan_id, action, count() AS customers, sum(cost) AS cost, sum(expected_saved) AS expected_saved
     FROM ${engine.t('plan_items')} ${where} GROUP BY plan_id, action ORDER BY plan_id, action`,
  );
  return planSummariesOf(
    plans.map((p) => ({ ...p, created_at: p.created, as_of: p.day })),
    actions,
  );
}

/** Every stored plan, newest first. */
export function chStoredPlans(engine: ClickHouseEngine): Promise<StoredPlanSummary[]> {
  return summaries(engine, null);
}

/** One stored plan's summary, null when there is no such plan. */
export async function chStoredPlan(
  engine: ClickHouseEngine,
  planId: string,
): Promise<StoredPlanSummary | null> {
  return (await summaries(engine, planId))[0] ?? null;
}

/** A page of a stored plan's contacted customers, highest expected saved value first. */
export async function chStoredPlanItems(
  engine: ClickHouseEngine,
  planId: string,
  page: StoredPlanPageQuery,
): Promise<StoredPlanItemPage> {
  const where = `WHERE plan_id = ${chString(planId)}`;
  const [count] = await engine.conn.query(`SELECT count() AS n FROM ${engine.t('plan_items')} ${where}`);
  const rows = await engine.conn.query(
    `SELECT customer_id, action, cost, probability, value, expected_saved FROM ${engine.t('plan_items')} ${where}
     ORDER BY expected_saved DESC, customer_id LIMIT ${whole(page.offset)}, ${whole(page.limit)}`,
  );
  return {
    total: Number(count!.n),
    limit: page.limit,
    offset: page.offset,
    items: rows.map((r) => ({
      customerId: String(r.customer_id),
      action: String(r.action),
      cost: Number(r.cost),
      probability: Number(r.probability),
      value: Number(r.value),
      expectedSaved: Number(r.expected_saved),
    })),
  };
}
