/**
 * Customers moving between lifecycle stages from each recorded month end to the next (`retain lifecycle
 * flows`): the stayers are left out, so each step lists only the moves.
 */
import type { Engine } from '../../engine/engine.js';
import type { LifecycleModel, LifecycleTransition } from '../../engine/lifecycle-types.js';
import { UserError } from '../../util/errors.js';

export interface LifecycleFlows {
  readonly model: LifecycleModel;
  readonly flows: readonly {
    readonly from: string;
    readonly to: string;
    readonly moves: LifecycleTransition[];
  }[];
}

export async function lifecycleFlows(engine: Engine, model: LifecycleModel): Promise<LifecycleFlows> {
  const months = [...new Set((await engine.lifecycleMix(model)).map((m) => m.monthEnd))].sort();
  if (months.length < 2)
    throw new UserError('record at least two month ends first: retain lifecycle history');
  const flows = [];
  for (let k = 1; k < months.length; k++) {
    const moves = (await engine.lifecycleTransitions(model, months[k - 1]!, months[k]!)).filter(
      (t) => t.from !== t.to,
    );
    flows.push({ from: months[k - 1]!, to: months[k]!, moves });
  }
  return { model, flows };
}
