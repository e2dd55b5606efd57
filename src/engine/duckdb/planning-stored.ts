/**
 * Reading stored plans back for the API and dashboard: every plan with its contacted customers counted and
 * summed per action in SQL, and one plan's contacted customers a page at a time (a plan may contact
 * hundreds of thousands of customers, so they are never returned whole).
 */
import { planSummariesOf } from '../planning-stored-rows.js';
import type { StoredPlanItemPage, StoredPlanPageQuery, StoredPlanSummary } from '../planning-stored-types.js';
import type { DuckDbEngine } from './duckdb-engine.js';

/** A page bound as SQL text: a whole number >= 0 (the route has checked it; this keeps the SQL safe anyway). */
const whole = (n: number): string => String(Math.max(0, Math.trunc(Number.isFinite(n) ? n : 0)));

async function summaries(engine: DuckDbEngine, planId: string | null): Promise<StoredPlanSummary[]> {
  const where = planId === null ? '' : 'WHERE p.plan_id = $1';
  const params = planId === null ? [] : [planId];
  const plans = await engine.query(
    `SELECT p.plan_id, p.kind, strftime(p.created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
       strftime(p.as_of, '%Y-%m-%d') AS as_of, p.budget, CAST(p.document AS VARCHAR) AS document
     FROM plans p ${where}
     ORDER BY p.created_at DESC, TRY_CAST(substr(p.plan_id, 2) AS INTEGER) DESC`,
    params,
  );
  const actions = await engine.query(
    `SELECT i.plan_id, i.action, count(*) AS customers, sum(i.cost) AS cost,
       sum(i.expected_saved) AS expected_saved
     FROM plan_items i ${where.replace('p.plan_id', 'i.plan_id')}
     GROUP BY i.plan_id, i.action ORDER BY i.plan_id, i.action`,
    params,
  );
  return planSummariesOf(plans, actions);
}

/** Every stored plan, newest first. */
export function duckDbStoredPlans(engine: DuckDbEngine): Promise<StoredPlanSummary[]> {
  return summaries(engine, null);
}

/** One stored plan's summary, null when there is no such plan. */
export async function duckDbStoredPlan(
  engine: DuckDbEngine,
  planId: string,
): Promise<StoredPlanSummary | null> {
  return (await summaries(engine, planId))[0] ?? null;
}

/** A page of a stored plan's contacted customers, highest expected saved value first. */
export async function duckDbStoredPlanItems(
  engine: DuckDbEngine,
  planId: string,
  page: StoredPlanPageQuery,
): Promise<StoredPlanItemPage> {
  const [count] = await engine.query(`SELECT count(*) AS n FROM plan_items WHERE plan_id = $1`, [planId]);
  const rows = await engine.query(
    `SELECT customer_id, action, cost, probability, "value", expected_saved FROM plan_items
     WHERE plan_id = $1 ORDER BY expected_saved DESC, customer_id LIMIT ${whole(page.limit)} OFFSET ${whole(page.offset)}`,
    [planId],
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
