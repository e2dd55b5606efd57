/** Stored plans' summaries from the rows each engine reads (the shaping once; the SQL per engine). */
import type { Row } from './engine.js';
import type { StoredPlanSummary } from './planning-stored-types.js';

/**
 * `plans`: `plan_id`, `kind`, `created_at`, `as_of`, `budget`, `document` (JSON text), in the order to
 * return; `actions`: `plan_id`, `action`, `customers`, `cost`, `expected_saved` per plan and action.
 */
export function planSummariesOf(plans: readonly Row[], actions: readonly Row[]): StoredPlanSummary[] {
  const byPlan = new Map<string, Row[]>();
  for (const a of actions) {
    const id = String(a.plan_id);
    byPlan.set(id, [...(byPlan.get(id) ?? []), a]);
  }
  return plans.map((p) => {
    const byAction = (byPlan.get(String(p.plan_id)) ?? []).map((a) => ({
      action: String(a.action),
      customers: Number(a.customers),
      cost: Number(a.cost),
      expectedSaved: Number(a.expected_saved),
    }));
    return {
      planId: String(p.plan_id),
      kind: String(p.kind) as 'retention' | 'winback',
      createdAt: String(p.created_at),
      asOf: String(p.as_of),
      budget: Number(p.budget),
      document: JSON.parse(String(p.document)) as unknown,
      contacted: byAction.reduce((s, a) => s + a.customers, 0),
      cost: byAction.reduce((s, a) => s + a.cost, 0),
      expectedSaved: byAction.reduce((s, a) => s + a.expectedSaved, 0),
      byAction,
    };
  });
}
