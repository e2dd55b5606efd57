/**
 * Win-back planning (DOMAIN 6): rank the leavers in the lost-customer database by the expected value of a
 * return and choose whom to contact within a budget; the rest are let go.
 *
 * Success rate: a Beta prior centred on the action's rate (default 1 in 4, DOMAIN 1) worth `priorStrength`
 * attempts, updated by the recorded win-back attempts of all leavers; per reason code, when that reason has
 * at least `minPerReason` attempts with a known result, a Beta prior centred on the overall rate (same
 * strength) updated by that reason's attempts. Expected value of a return = rate x the leaver's annual
 * value before leaving; net = that - cost of the attempt. Leavers who returned, involuntary leavers
 * (unless asked), leavers with `maxAttempts` attempts already, and those whose net is not positive are not
 * contacted. The choice under the budget is the same knapsack as retention planning.
 */
import type { Engine } from '../../engine/engine.js';
import type { LostCustomer } from '../../engine/planning-types.js';
import { betaPosterior, type BetaRate } from '../../models/planning/beta-rate.js';
import { solveMckp, type SolveOptions } from '../../models/planning/mckp.js';
import { UserError } from '../../util/errors.js';
import { DEFAULT_WINBACK_ACTION, type PlanAction } from './actions.js';

export interface WinbackPlanOptions {
  readonly budget: number;
  /** The win-back action (default: cost 20, success 1 in 4). */
  readonly action?: PlanAction;
  readonly asOf?: string;
  readonly since?: string;
  /** Weight of the prior in attempts (default 8). */
  readonly priorStrength?: number;
  /** Attempts with a known result a reason needs for its own rate (default 20). */
  readonly minPerReason?: number;
  readonly includeInvoluntary?: boolean;
  /** Leavers with this many attempts already are not contacted again (default 3). */
  readonly maxAttempts?: number;
  readonly attemptWindowDays?: number;
  readonly method?: SolveOptions['method'];
  readonly list?: number;
  readonly save?: boolean;
}

export interface WinbackCandidate {
  readonly customerId: string;
  readonly churnDate: string;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly attempts: number;
  readonly lastOutcome: string | null;
  readonly value: number;
  readonly successRate: number;
  readonly expectedValue: number;
  readonly cost: number;
  readonly net: number;
  readonly decision: 'contact' | 'not_funded' | 'let_go' | 'excluded';
  readonly reasonText: string;
}

export interface WinbackRate extends BetaRate {
  readonly reasonCode: string;
  readonly source: 'prior' | 'learned (all reasons)' | 'learned (this reason)';
}

export interface WinbackPlan {
  readonly kind: 'winback';
  readonly planId: string | null;
  readonly asOf: string;
  readonly budget: number;
  readonly action: PlanAction;
  readonly method: 'dp' | 'greedy';
  readonly leavers: number;
  readonly returned: number;
  readonly excluded: number;
  readonly contacted: number;
  readonly spent: number;
  readonly expectedReturns: number;
  readonly expectedValue: number;
  readonly expectedNet: number;
  readonly upperBound: number;
  readonly overallRate: WinbackRate;
  readonly rates: readonly WinbackRate[];
  readonly contacts: readonly WinbackCandidate[];
  readonly letGo: { readonly customers: number; readonly list: readonly WinbackCandidate[] };
  readonly notFunded: number;
  readonly notes: readonly string[];
  /** Every leaver (the lost-customer database with the decision), for CSV output. */
  readonly all: readonly WinbackCandidate[];
}

/** Success rates: overall and per reason (see the file comment). */
export function winbackRates(
  stats: readonly { reasonCode: string; attempts: number; successes: number }[],
  priorRate: number,
  priorStrength: number,
  minPerReason: number,
): { overall: WinbackRate; byReason: Map<string, WinbackRate> } {
  let attempts = 0;
  let successes = 0;
  for (const s of stats) {
    attempts += s.attempts;
    successes += s.successes;
  }
  const overall: WinbackRate = {
    ...betaPosterior({ mean: priorRate, strength: priorStrength }, successes, attempts),
    reasonCode: '*',
    source: attempts > 0 ? 'learned (all reasons)' : 'prior',
  };
  const byReason = new Map<string, WinbackRate>();
  for (const s of stats)
    if (s.attempts >= minPerReason)
      byReason.set(s.reasonCode, {
        ...betaPosterior({ mean: overall.mean, strength: priorStrength }, s.successes, s.attempts),
        reasonCode: s.reasonCode,
        source: 'learned (this reason)',
      });
  return { overall, byReason };
}

const money = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/**
 * @example const plan = await planWinback(engine, { budget: 2000 });
 */
export async function planWinback(engine: Engine, options: WinbackPlanOptions): Promise<WinbackPlan> {
  const budget = options.budget;
  if (!(Number.isFinite(budget) && budget >= 0)) throw new UserError('--budget must be a number >= 0');
  const action = options.action ?? DEFAULT_WINBACK_ACTION;
  const priorStrength = options.priorStrength ?? 8;
  if (!(priorStrength > 0)) throw new UserError('--prior-strength must be > 0');
  const minPerReason = options.minPerReason ?? 20;
  const maxAttempts = options.maxAttempts ?? 3;
  const lost = await engine.lostCustomers({
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.since ? { since: options.since } : {}),
    ...(options.attemptWindowDays ? { attemptWindowDays: options.attemptWindowDays } : {}),
  });
  const { overall, byReason } = winbackRates(lost.attemptStats, action.saveRate, priorStrength, minPerReason);
  const rateOf = (c: LostCustomer) => byReason.get(c.reasonCode ?? '') ?? overall;

  const eligible: number[] = [];
  const why: string[] = [];
  lost.customers.forEach((c, i) => {
    if (c.returnedOn !== null) why[i] = `returned on ${c.returnedOn}`;
    else if (c.type === 'involuntary' && !options.includeInvoluntary)
      why[i] = `involuntary leaver (${c.reason ?? c.reasonCode ?? 'no reason'}): not won back`;
    else if (c.attempts >= maxAttempts) why[i] = `${c.attempts} attempts already (limit ${maxAttempts})`;
    else eligible.push(i);
  });
  const cost = new Float64Array(eligible.length);
  const profit = new Float64Array(eligible.length);
  eligible.forEach((i, r) => {
    const c = lost.customers[i]!;
    const v = c.annualValue;
    cost[r] = action.cost + action.costShare * Math.max(0, v);
    const expected = rateOf(c).mean * Math.max(0, v);
    profit[r] = v >= action.minValue && cost[r]! <= Math.max(0, v) ? expected - cost[r]! : NaN;
  });
  const solution = solveMckp(
    { n: eligible.length, optionsPerCustomer: 1, cost, profit, budget },
    { method: options.method ?? 'auto' },
  );
  const all: WinbackCandidate[] = [];
  const pos = new Int32Array(lost.customers.length).fill(-1);
  eligible.forEach((i, r) => {
    pos[i] = r;
  });
  let spent = 0;
  let expectedReturns = 0;
  let expectedValue = 0;
  let notFunded = 0;
  lost.customers.forEach((c, i) => {
    const rate = rateOf(c);
    const v = c.annualValue;
    const r = pos[i]!;
    const attemptCost = action.cost + action.costShare * Math.max(0, v);
    const ev = rate.mean * Math.max(0, v);
    let decision: WinbackCandidate['decision'];
    let text: string;
    if (r < 0) {
      decision = 'excluded';
      text = why[i]!;
    } else if (solution.choice[r]! >= 0) {
      decision = 'contact';
      spent += attemptCost;
      expectedReturns += rate.mean;
      expectedValue += ev;
      text = `${pct(rate.mean)} chance of a return (${rate.source}${rate.reasonCode !== '*' ? `, reason ${rate.reasonCode}` : ''}) x value ${money(v)} = ${money(ev)} for ${money(attemptCost)} (net ${money(ev - attemptCost)})`;
    } else if (profit[r]! > 0) {
      decision = 'not_funded';
      notFunded++;
      text = `would net ${money(ev - attemptCost)}, but the budget went to better uses`;
    } else {
      decision = 'let_go';
      text = `${pct(rate.mean)} x value ${money(v)} = ${money(ev)} expected, less than the ${money(attemptCost)} an attempt costs: let go`;
    }
    all.push({
      customerId: c.customerId,
      churnDate: c.churnDate,
      reasonCode: c.reasonCode,
      reason: c.reason,
      email: c.email,
      phone: c.phone,
      attempts: c.attempts,
      lastOutcome: c.lastOutcome,
      value: v,
      successRate: rate.mean,
      expectedValue: ev,
      cost: attemptCost,
      net: ev - attemptCost,
      decision,
      reasonText: text,
    });
  });
  const limit = options.list ?? 20;
  const byNet = (a: WinbackCandidate, b: WinbackCandidate) =>
    b.net - a.net || (a.customerId < b.customerId ? -1 : 1);
  const contacts = all.filter((c) => c.decision === 'contact').sort(byNet);
  const letGo = all.filter((c) => c.decision === 'let_go').sort((a, b) => b.value - a.value || byNet(a, b));
  const notes: string[] = [];
  if (overall.attempts === 0)
    notes.push(
      `no recorded win-back attempts yet: every leaver gets the prior rate ${pct(action.saveRate)} (record outcomes with \`retain campaign record\`)`,
    );
  let planId: string | null = null;
  if (options.save !== false)
    planId = await engine.savePlan({
      kind: 'winback',
      asOf: lost.asOf,
      budget,
      document: {
        asOf: lost.asOf,
        budget,
        action,
        overallRate: overall,
        spent,
        expectedNet: solution.totalProfit,
      },
      items: contacts.map((c) => ({
        customerId: c.customerId,
        action: action.id,
        cost: c.cost,
        probability: c.successRate,
        value: c.value,
        expectedSaved: c.expectedValue,
      })),
    });
  return {
    kind: 'winback',
    planId,
    asOf: lost.asOf,
    budget,
    action,
    method: solution.method,
    leavers: lost.customers.length,
    returned: lost.customers.filter((c) => c.returnedOn !== null).length,
    excluded: lost.customers.length - eligible.length,
    contacted: contacts.length,
    spent,
    expectedReturns,
    expectedValue,
    expectedNet: solution.totalProfit,
    upperBound: solution.upperBound,
    overallRate: overall,
    rates: [...byReason.values()],
    contacts: contacts.slice(0, limit),
    letGo: { customers: letGo.length, list: letGo.slice(0, limit) },
    notFunded,
    notes,
    all,
  };
}
