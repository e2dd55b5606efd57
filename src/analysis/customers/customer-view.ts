/**
 * One customer's view (`retain customers show`, `GET /api/customers/:id`): the stored record, purchase
 * history, scores, stages and alerts of the engine, plus the value tier and the recommended action of each
 * lifecycle model from the playbook (DOMAIN 3 and 6), as lifecycle analysis would give them on the
 * recorded month end.
 */
import type { CustomerDetail } from '../../engine/customer-list-types.js';
import type { Engine } from '../../engine/engine.js';
import { actionFor, DEFAULT_PLAYBOOK, type Playbook, type ValueTier } from '../lifecycle/playbook.js';

export interface CustomerView extends CustomerDetail {
  /** high / medium / low by the lifecycle tier thresholds; null without transactions. */
  readonly valueTier: ValueTier | null;
  /** The playbook's action for the recorded stage of each model and the value tier; null without a stage. */
  readonly recommendedActions: {
    readonly states: string;
    readonly fourStage: string;
    readonly fiveStage: string;
  } | null;
}

/** The tier of a revenue against the thresholds, as lifecycle analysis assigns it (non-payers are low). */
export function valueTierOf(revenue: number, thresholds: { high: number; medium: number } | null): ValueTier {
  if (!thresholds || !(revenue > 0)) return 'low';
  return revenue >= thresholds.high ? 'high' : revenue >= thresholds.medium ? 'medium' : 'low';
}

export async function customerView(
  engine: Engine,
  customerId: string,
  playbook: Playbook = DEFAULT_PLAYBOOK,
): Promise<CustomerView | null> {
  const detail = await engine.customerDetail(customerId);
  if (!detail) return null;
  const valueTier = detail.value ? valueTierOf(detail.value.revenue365, detail.value.thresholds) : null;
  const life = detail.lifecycle;
  const tier = valueTier ?? 'low';
  return {
    ...detail,
    valueTier,
    recommendedActions: life
      ? {
          states: actionFor(playbook, life.state, tier),
          fourStage: actionFor(playbook, life.fourStage, tier),
          fiveStage: actionFor(playbook, life.fiveStage, tier),
        }
      : null,
  };
}
