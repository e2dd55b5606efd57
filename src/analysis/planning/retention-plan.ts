/**
 * Retention planning (DOMAIN 6): whom to contact with which action under a budget.
 *
 * For customer i (churn probability p, value V) and action a: cost c = cost_a + costShare_a x V,
 * expected saved value = p x saveRate_a x V, net = saved - c. An action is allowed only when its net is
 * positive and it costs no more than the value at stake p x V (so no customer ever gets more spent on them
 * than they are expected to lose us), and V >= minValue_a. Customers with no allowed action are let go.
 * At most one action per customer, total cost within the budget, total net maximal: a multiple-choice
 * knapsack (models/planning/mckp.ts): exact dynamic programme on whole currency units when costs are whole
 * and the table is small, else the incremental-efficiency greedy with its LP bound.
 */
import type { Engine } from '../../engine/engine.js';
import type { PlanGroupAttribute } from '../../engine/planning-types.js';
import { solveMckp, type MckpSolution, type SolveOptions } from '../../models/planning/mckp.js';
import { UserError } from '../../util/errors.js';
import { DEFAULT_RETENTION_ACTIONS, type PlanAction } from './actions.js';
import { planningPopulation, probabilitySource, type ValueSource } from './value-risk.js';

export interface RetentionPlanOptions {
  readonly budget: number;
  readonly actions?: readonly PlanAction[];
  readonly asOf?: string;
  readonly horizonDays?: number;
  readonly method?: SolveOptions['method'];
  readonly groupBy?: PlanGroupAttribute;
  readonly runRateOnly?: boolean;
  /** Contacted and let-go customers listed (default 20 each). */
  readonly list?: number;
  /** Keep the plan in the workspace (default true). */
  readonly save?: boolean;
  /** Every customer's decision (for CSV output). */
  readonly perCustomer?: boolean;
}

export interface PlannedContact {
  readonly customerId: string;
  readonly action: string;
  readonly cost: number;
  readonly probability: number;
  readonly value: number;
  readonly valueAtStake: number;
  readonly expectedSaved: number;
  readonly net: number;
  readonly reason: string;
}

export interface LetGoCustomer {
  readonly customerId: string;
  readonly probability: number;
  readonly value: number;
  readonly valueAtStake: number;
  readonly reason: string;
}

export interface RetentionPlan {
  readonly kind: 'retention';
  readonly planId: string | null;
  readonly asOf: string;
  readonly horizonDays: number;
  readonly budget: number;
  readonly probabilitySource: string;
  readonly valueSource: ValueSource;
  readonly method: MckpSolution['method'];
  readonly customers: number;
  readonly contacted: number;
  readonly spent: number;
  readonly expectedSavedValue: number;
  readonly expectedSavedCustomers: number;
  readonly expectedNet: number;
  /** Upper bound on the best achievable net (equal to expectedNet when solved exactly). */
  readonly upperBound: number;
  readonly valueAtStake: number;
  readonly byAction: readonly {
    readonly action: string;
    readonly customers: number;
    readonly cost: number;
    readonly expectedSavedValue: number;
    readonly expectedNet: number;
  }[];
  readonly contacts: readonly PlannedContact[];
  readonly letGo: {
    readonly customers: number;
    readonly valueAtStake: number;
    readonly list: readonly LetGoCustomer[];
  };
  /** Customers for whom an action would pay but the budget went to better uses. */
  readonly notFunded: { readonly customers: number; readonly bestNet: number };
  readonly actions: readonly PlanAction[];
  readonly notes: readonly string[];
  readonly perCustomer: {
    readonly customerIds: readonly string[];
    readonly decision: readonly string[];
    readonly action: readonly string[];
    readonly cost: Float64Array;
    readonly probability: Float64Array;
    readonly value: Float64Array;
    readonly valueAtStake: Float64Array;
    readonly expectedSaved: Float64Array;
    readonly net: Float64Array;
    readonly reason: readonly string[];
  } | null;
}

const money = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export interface ActionMatrix {
  readonly n: number;
  readonly m: number;
  readonly cost: Float64Array;
  readonly saved: Float64Array;
  readonly profit: Float64Array;
}

/** Cost, expected saved value and net of every action on every customer (net NaN where not allowed). */
export function actionMatrix(
  probability: ArrayLike<number>,
  value: ArrayLike<number>,
  actions: readonly PlanAction[],
): ActionMatrix {
  const n = probability.length;
  const m = actions.length;
  const cost = new Float64Array(n * m);
  const saved = new Float64Array(n * m);
  const profit = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const p = probability[i]!;
    const v = value[i]!;
    const stake = p * Math.max(0, v);
    for (let j = 0; j < m; j++) {
      const a = actions[j]!;
      const k = i * m + j;
      const c = a.cost + a.costShare * Math.max(0, v);
      const s = stake * a.saveRate;
      cost[k] = c;
      saved[k] = s;
      profit[k] = v > 0 && v >= a.minValue && c <= stake && s - c > 0 ? s - c : NaN;
    }
  }
  return { n, m, cost, saved, profit };
}

/**
 * @example const plan = await planRetention(engine, { budget: 10_000 });
 */
export async function planRetention(engine: Engine, options: RetentionPlanOptions): Promise<RetentionPlan> {
  const budget = options.budget;
  if (!(Number.isFinite(budget) && budget >= 0)) throw new UserError('--budget must be a number >= 0');
  const actions = options.actions ?? DEFAULT_RETENTION_ACTIONS;
  if (actions.length === 0) throw new UserError('no actions to plan with');
  const pop = await planningPopulation(engine, options);
  const n = pop.customerIds.length;
  const { m, cost, saved, profit } = actionMatrix(pop.probability, pop.value, actions);
  // only customers with an action that pays take part in the optimisation
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++)
      if (profit[i * m + j]! > 0) {
        candidates.push(i);
        break;
      }
  }
  const c = candidates.length;
  const subCost = new Float64Array(c * m);
  const subProfit = new Float64Array(c * m);
  candidates.forEach((i, r) => {
    subCost.set(cost.subarray(i * m, i * m + m), r * m);
    subProfit.set(profit.subarray(i * m, i * m + m), r * m);
  });
  const solution = solveMckp(
    { n: c, optionsPerCustomer: m, cost: subCost, profit: subProfit, budget },
    { method: options.method ?? 'auto' },
  );
  const chosen = new Int32Array(n).fill(-1);
  candidates.forEach((i, r) => {
    chosen[i] = solution.choice[r]!;
  });

  const stakeOf = (i: number) => pop.probability[i]! * Math.max(0, pop.value[i]!);
  const bestOf = (i: number): number => {
    let best = -1;
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      const net = saved[k]! - cost[k]!;
      if (best < 0 || net > saved[i * m + best]! - cost[i * m + best]!) best = j;
    }
    return best;
  };
  const contactReason = (i: number, j: number): string => {
    const k = i * m + j;
    const a = actions[j]!;
    let text =
      `${pct(pop.probability[i]!)} risk x value ${money(pop.value[i]!)} = ${money(stakeOf(i))} at stake; ` +
      `${a.id} keeps ${pct(a.saveRate)} of would-be churners: ${money(saved[k]!)} expected for ${money(cost[k]!)} ` +
      `(net ${money(saved[k]! - cost[k]!)})`;
    const b = bestOf(i);
    if (b !== j && profit[i * m + b]! > 0)
      text += `; ${actions[b]!.id} would net ${money(saved[i * m + b]! - cost[i * m + b]!)} for ${money(cost[i * m + b]!)}, less per unit spent`;
    return text;
  };
  const letGoReason = (i: number): string => {
    const v = pop.value[i]!;
    if (!(v > 0)) return `no value at stake (value ${money(v)})`;
    const b = bestOf(i);
    const k = i * m + b;
    return (
      `${pct(pop.probability[i]!)} risk x value ${money(v)} = ${money(stakeOf(i))} at stake; ` +
      `the best action (${actions[b]!.id}) saves ${money(saved[k]!)} for ${money(cost[k]!)}: retention would not pay`
    );
  };

  const byAction = actions.map((a) => ({
    action: a.id,
    customers: 0,
    cost: 0,
    expectedSavedValue: 0,
    expectedNet: 0,
  }));
  let spent = 0;
  let savedValue = 0;
  let savedCustomers = 0;
  let letGoCount = 0;
  let letGoStake = 0;
  let notFunded = 0;
  let notFundedNet = 0;
  let totalStake = 0;
  const contactIdx: number[] = [];
  const letGoIdx: number[] = [];
  const isCandidate = new Uint8Array(n);
  for (const i of candidates) isCandidate[i] = 1;
  for (let i = 0; i < n; i++) {
    const stake = stakeOf(i);
    totalStake += stake;
    const j = chosen[i]!;
    if (j >= 0) {
      const k = i * m + j;
      const agg = byAction[j]!;
      agg.customers++;
      agg.cost += cost[k]!;
      agg.expectedSavedValue += saved[k]!;
      agg.expectedNet += saved[k]! - cost[k]!;
      spent += cost[k]!;
      savedValue += saved[k]!;
      savedCustomers += pop.probability[i]! * actions[j]!.saveRate;
      contactIdx.push(i);
    } else if (isCandidate[i]) {
      notFunded++;
      const b = bestOf(i);
      notFundedNet += saved[i * m + b]! - cost[i * m + b]!;
    } else {
      letGoCount++;
      letGoStake += stake;
      letGoIdx.push(i);
    }
  }
  const limit = options.list ?? 20;
  const netOf = (i: number) => saved[i * m + chosen[i]!]! - cost[i * m + chosen[i]!]!;
  const topContacts = contactIdx
    .sort((a, b) => netOf(b) - netOf(a) || (pop.customerIds[a]! < pop.customerIds[b]! ? -1 : 1))
    .slice(0, limit);
  const topLetGo = letGoIdx
    .sort((a, b) => stakeOf(b) - stakeOf(a) || (pop.customerIds[a]! < pop.customerIds[b]! ? -1 : 1))
    .slice(0, limit);
  const contact = (i: number): PlannedContact => {
    const j = chosen[i]!;
    const k = i * m + j;
    return {
      customerId: pop.customerIds[i]!,
      action: actions[j]!.id,
      cost: cost[k]!,
      probability: pop.probability[i]!,
      value: pop.value[i]!,
      valueAtStake: stakeOf(i),
      expectedSaved: saved[k]!,
      net: saved[k]! - cost[k]!,
      reason: contactReason(i, j),
    };
  };
  const notes = [...pop.notes];
  // a gap in the last bits of the sums (another summation order) is no gap: say so only when it is real
  const gap = solution.upperBound - solution.totalProfit;
  if (solution.method === 'greedy' && gap > 1e-9 * Math.max(1, Math.abs(solution.upperBound)))
    notes.push(
      `solved by the incremental-efficiency greedy: its expected net ${money(solution.totalProfit)} is within ${money(solution.upperBound - solution.totalProfit)} of the best possible (LP bound ${money(solution.upperBound)})`,
    );
  if (n === 0) notes.push('no scored customers on that day and horizon');

  let planId: string | null = null;
  const summary = {
    asOf: pop.asOf,
    horizonDays: pop.horizonDays,
    budget,
    method: solution.method,
    spent,
    expectedNet: solution.totalProfit,
    actions,
    probabilitySource: probabilitySource(pop),
    valueSource: pop.valueSource,
  };
  if (options.save !== false) {
    planId = await engine.savePlan({
      kind: 'retention',
      asOf: pop.asOf,
      budget,
      document: summary,
      items: contactIdx.map((i) => {
        const j = chosen[i]!;
        return {
          customerId: pop.customerIds[i]!,
          action: actions[j]!.id,
          cost: cost[i * m + j]!,
          probability: pop.probability[i]!,
          value: pop.value[i]!,
          expectedSaved: saved[i * m + j]!,
        };
      }),
    });
  }

  let perCustomer: RetentionPlan['perCustomer'] = null;
  if (options.perCustomer) {
    const decision: string[] = new Array<string>(n);
    const action: string[] = new Array<string>(n);
    const reason: string[] = new Array<string>(n);
    const pc = {
      cost: new Float64Array(n),
      valueAtStake: new Float64Array(n),
      expectedSaved: new Float64Array(n),
      net: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      pc.valueAtStake[i] = stakeOf(i);
      const j = chosen[i]!;
      const shown = j >= 0 ? j : bestOf(i);
      const k = i * m + shown;
      pc.cost[i] = j >= 0 ? cost[k]! : 0;
      pc.expectedSaved[i] = j >= 0 ? saved[k]! : 0;
      pc.net[i] = j >= 0 ? saved[k]! - cost[k]! : 0;
      decision[i] = j >= 0 ? 'contact' : isCandidate[i] ? 'not_funded' : 'let_go';
      action[i] = j >= 0 ? actions[j]!.id : '';
      reason[i] =
        j >= 0
          ? contactReason(i, j)
          : isCandidate[i]
            ? `${actions[shown]!.id} would net ${money(saved[k]! - cost[k]!)} for ${money(cost[k]!)}, but the budget went to better uses`
            : letGoReason(i);
    }
    perCustomer = {
      customerIds: pop.customerIds,
      decision,
      action,
      probability: pop.probability,
      value: pop.value,
      reason,
      ...pc,
    };
  }

  return {
    kind: 'retention',
    planId,
    asOf: pop.asOf,
    horizonDays: pop.horizonDays,
    budget,
    probabilitySource: summary.probabilitySource,
    valueSource: pop.valueSource,
    method: solution.method,
    customers: n,
    contacted: contactIdx.length,
    spent,
    expectedSavedValue: savedValue,
    expectedSavedCustomers: savedCustomers,
    expectedNet: solution.totalProfit,
    upperBound: solution.upperBound,
    valueAtStake: totalStake,
    byAction,
    contacts: topContacts.map(contact),
    letGo: {
      customers: letGoCount,
      valueAtStake: letGoStake,
      list: topLetGo.map((i) => ({
        customerId: pop.customerIds[i]!,
        probability: pop.probability[i]!,
        value: pop.value[i]!,
        valueAtStake: stakeOf(i),
        reason: letGoReason(i),
      })),
    },
    notFunded: { customers: notFunded, bestNet: notFundedNet },
    actions,
    notes,
    perCustomer,
  };
}
