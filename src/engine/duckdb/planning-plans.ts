/** Stored retention and win-back plans (`plans`, `plan_items`) in DuckDB. */
import type { StoredPlan, StoredPlanInput, StoredPlanItem } from '../planning-types.js';
import { checkIsoDate } from '../../util/dates.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { readColumns } from './read-columns.js';

export async function duckDbSavePlan(engine: DuckDbEngine, plan: StoredPlanInput): Promise<string> {
  checkIsoDate('--as-of', plan.asOf);
  return engine.transaction(async () => {
    const [next] = await engine.query(
      `SELECT coalesce(max(TRY_CAST(substr(plan_id, 2) AS INTEGER)), 0) + 1 AS n FROM plans`,
    );
    const planId = `P${String(next!.n)}`;
    await engine.run(
      `INSERT INTO plans VALUES ($1, $2, now()::TIMESTAMP, CAST($3 AS DATE), $4, CAST($5 AS JSON))`,
      [planId, plan.kind, plan.asOf, plan.budget, JSON.stringify(plan.document)],
    );
    const appender = await engine.connection.createAppender('plan_items');
    for (const item of plan.items) {
      appender.appendVarchar(planId);
      appender.appendVarchar(item.customerId);
      appender.appendVarchar(item.action);
      appender.appendDouble(item.cost);
      appender.appendDouble(item.probability);
      appender.appendDouble(item.value);
      appender.appendDouble(item.expectedSaved);
      appender.endRow();
    }
    appender.closeSync();
    return planId;
  });
}

/** A stored plan by id, or the newest (of a kind); null when there is none. */
export async function duckDbLoadPlan(
  engine: DuckDbEngine,
  planId?: string,
  kind?: 'retention' | 'winback',
): Promise<StoredPlan | null> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (planId !== undefined) {
    params.push(planId);
    where.push(`plan_id = $${params.length}`);
  }
  if (kind !== undefined) {
    params.push(kind);
    where.push(`kind = $${params.length}`);
  }
  const [r] = await engine.query(
    `SELECT plan_id, kind, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
       strftime(as_of, '%Y-%m-%d') AS as_of, budget, CAST(document AS VARCHAR) AS document FROM plans
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, TRY_CAST(substr(plan_id, 2) AS INTEGER) DESC LIMIT 1`,
    params,
  );
  if (!r) return null;
  const cols = await readColumns(
    engine.connection,
    `SELECT customer_id, action, cost, probability, "value", expected_saved FROM plan_items WHERE plan_id = $1
     ORDER BY customer_id`,
    {
      customerId: 'string',
      action: 'string',
      cost: 'f64',
      probability: 'f64',
      value: 'f64',
      expectedSaved: 'f64',
    } as const,
    [r.plan_id],
  );
  const items: StoredPlanItem[] = cols.customerId.map((customerId, i) => ({
    customerId,
    action: cols.action[i]!,
    cost: cols.cost[i]!,
    probability: cols.probability[i]!,
    value: cols.value[i]!,
    expectedSaved: cols.expectedSaved[i]!,
  }));
  return {
    planId: String(r.plan_id),
    kind: String(r.kind) as 'retention' | 'winback',
    createdAt: String(r.created_at),
    asOf: String(r.as_of),
    budget: Number(r.budget),
    document: JSON.parse(String(r.document)) as unknown,
    items,
  };
}
