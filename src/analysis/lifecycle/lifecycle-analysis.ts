/**
 * Every customer's lifecycle stage with the rule and numbers behind it, the stage mix, the pattern mix of
 * ended relationships (I-IV), and a recommended action per stage x value tier.
 */
import type { Engine } from '../../engine/engine.js';
import {
  DEFAULT_LIFECYCLE_RULES,
  type LifecycleModel,
  type LifecycleRules,
  type LifecycleStages,
} from '../../engine/lifecycle-types.js';
import { UserError } from '../../util/errors.js';
import { DEFAULT_ALERT_RULES, customerAlertSpec, type AlertRules } from '../alerts/rules.js';
import { checkIsoDate } from '../../util/dates.js';
import { quantile } from '../segments/group-summary.js';
import { DEFAULT_PLAYBOOK, actionFor, type Playbook, type ValueTier } from './playbook.js';

export interface LifecycleAnalysisOptions {
  /** Default: the last transaction day. */
  readonly asOf?: string;
  readonly model?: LifecycleModel;
  readonly rules?: LifecycleRules;
  readonly playbook?: Playbook;
  /**
   * Early-warning rules behind "decline at an orange / red alert" (rules.declineAlertSeverity); default the
   * built-in bank rules, null: no alert-based decline.
   */
  readonly alertRules?: AlertRules | null;
  /**
   * Also return every customer's stage, rule, numbers, value tier and action (default true). Without them
   * only the counts are computed, in SQL: much faster at a million customers.
   */
  readonly perCustomer?: boolean;
}

export interface LifecycleAnalysis {
  readonly asOf: string;
  readonly model: LifecycleModel;
  readonly rules: LifecycleRules;
  readonly customers: number;
  readonly stages: readonly { readonly stage: string; readonly customers: number; readonly share: number }[];
  /** Lost customers by how their relationship ended: I exploration, II formation, III early stability, IV long stable. */
  readonly patterns: readonly {
    readonly pattern: string;
    readonly customers: number;
    readonly share: number;
  }[];
  /** Value tier thresholds: revenue of the last 365 days, high from the upper third of paying customers. */
  readonly tierThresholds: { readonly high: number; readonly medium: number } | null;
  readonly perCustomer:
    | (LifecycleStages & {
        readonly stage: readonly string[];
        readonly rule: readonly string[];
        readonly valueTier: readonly ValueTier[];
        readonly action: readonly string[];
      })
    | null;
}

/** One customer's assignment in words: which rule and which numbers. */
export function explainCustomer(a: LifecycleAnalysis, index: number): string {
  const c = a.perCustomer;
  if (!c) throw new Error('explainCustomer needs the per-customer rows (perCustomer: true)');
  const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
  const trend = c.trend[index]!;
  return [
    `${c.customerIds[index]} as of ${a.asOf}: ${a.model} stage "${c.stage[index]}" because ${c.rule[index]}`,
    `  recency ${n(c.recency[index]!)} days, tenure ${n(c.tenure[index]!)} days, ${n(c.purchases[index]!)} purchase days`,
    `  spend last ${a.rules.trendDays} days ${n(c.spendRecent[index]!, 2)} vs ${n(c.spendPrevious[index]!, 2)} before (trend ${Number.isFinite(trend) ? `${(100 * trend).toFixed(1)} %` : 'new spend'})`,
    ...(c.alertLevel[index] ? [`  early-warning level ${c.alertLevel[index]}`] : []),
    `  value tier ${c.valueTier[index]}; recommended: ${c.action[index] || '-'}`,
  ].join('\n');
}

export async function lifecycleAnalysis(
  engine: Engine,
  options: LifecycleAnalysisOptions = {},
): Promise<LifecycleAnalysis> {
  const model = options.model ?? 'states';
  const rules = options.rules ?? DEFAULT_LIFECYCLE_RULES;
  const playbook = options.playbook ?? DEFAULT_PLAYBOOK;
  const alertRules = options.alertRules === undefined ? DEFAULT_ALERT_RULES : options.alertRules;
  const alerts = alertRules ? customerAlertSpec(alertRules) : null;
  checkIsoDate('--as-of', options.asOf);
  const count = (pairs: Iterable<readonly [string, number]>) => {
    const m = new Map<string, number>();
    for (const [k, v] of pairs) m.set(k, (m.get(k) ?? 0) + v);
    return m;
  };
  const summarise = (asOf: string, stageCounts: Map<string, number>, patternCounts: Map<string, number>) => {
    const n = [...stageCounts.values()].reduce((a, b) => a + b, 0);
    const ended = [...patternCounts.entries()].filter(([p]) => p !== '').reduce((a, [, v]) => a + v, 0);
    return {
      asOf,
      model,
      rules,
      customers: n,
      stages: [...stageCounts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([stage, c]) => ({ stage, customers: c, share: n > 0 ? c / n : 0 })),
      patterns: ['I', 'II', 'III', 'IV'].map((p) => ({
        pattern: p,
        customers: patternCounts.get(p) ?? 0,
        share: ended > 0 ? (patternCounts.get(p) ?? 0) / ended : 0,
      })),
    };
  };
  const column = model === 'states' ? 'state' : model === 'four-stage' ? 'fourStage' : 'fiveStage';

  if (options.perCustomer === false) {
    const asOf = options.asOf ?? (await engine.lastTransactionDay());
    if (asOf === null) throw new UserError('the workspace has no transactions: import some first');
    const counts = await engine.lifecycleCounts({ asOf, rules, alerts });
    return {
      ...summarise(
        asOf,
        count(counts.map((c) => [c[column], c.customers] as const)),
        count(counts.map((c) => [c.pattern, c.customers] as const)),
      ),
      tierThresholds: null,
      perCustomer: null,
    };
  }

  const values = await engine.customerValues({
    ...(options.asOf ? { asOf: options.asOf } : {}),
    windowDays: 365,
  });
  const asOf = values.asOf;
  const s = await engine.lifecycleStages({ asOf, rules, alerts });
  const byId = new Map(values.customerIds.map((id, i) => [id, values.revenue[i]!]));
  const paying = values.revenue.filter((v) => v > 0);
  const tierThresholds = { high: quantile(paying, 2 / 3), medium: quantile(paying, 1 / 3) };
  const valueTier = s.customerIds.map((id): ValueTier => {
    const v = byId.get(id) ?? 0;
    return v > 0 && v >= tierThresholds.high
      ? 'high'
      : v > 0 && v >= tierThresholds.medium
        ? 'medium'
        : 'low';
  });
  const stage = model === 'states' ? s.state : model === 'four-stage' ? s.fourStage : s.fiveStage;
  const rule = model === 'states' ? s.stateRule : s.stageRule;
  const action = stage.map((st, i) => actionFor(playbook, st, valueTier[i]!));
  return {
    ...summarise(
      asOf,
      count(stage.map((st) => [st, 1] as const)),
      count(s.pattern.map((p) => [p, 1] as const)),
    ),
    tierThresholds,
    perCustomer: { ...s, stage, rule, valueTier, action },
  };
}

/** Month ends from `from` to `to` (YYYY-MM), inclusive. */
export function monthEnds(from: string, to: string): string[] {
  const parse = (v: string, name: string) => {
    const m = /^(\d{4})-(\d{2})$/.exec(v);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
      throw new UserError(`${name} must be YYYY-MM, not "${v}"`);
    return Number(m[1]) * 12 + Number(m[2]) - 1;
  };
  const a = parse(from, '--from');
  const b = parse(to, '--to');
  if (b < a) throw new UserError('--to must not be before --from');
  if (b - a > 600) throw new UserError('at most 600 months at a time');
  const out: string[] = [];
  for (let k = a; k <= b; k++) {
    const end = new Date(Date.UTC(Math.floor(k / 12), (k % 12) + 1, 0));
    out.push(end.toISOString().slice(0, 10));
  }
  return out;
}
