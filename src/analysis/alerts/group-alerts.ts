/**
 * Group-level warnings (DOMAIN 5.3): a group's (segment, region, plan, ...) churn rate rising, or its spend
 * per active customer dropping, significantly against the group's own baseline. The engine counts active
 * customers, churners and spend per group and period; the tests run here on those counts.
 *
 * Current period 0 against the pooled baseline periods 1..n:
 * - churn rate p = churned / active; z = (p0 - pb) / sqrt(p (1 - p) (1/n0 + 1/nb)) with the pooled p;
 *   a warning when z >= minZ and p0 >= pb (1 + minChurnRisePercent / 100);
 * - spend per active customer (customers who spent nothing count as 0); Welch's z over customer-periods,
 *   z = (m0 - mb) / sqrt(s0^2 / n0 + sb^2 / nb); a warning when z <= -minZ and
 *   m0 <= mb (1 - minSpendDropPercent / 100).
 * Groups with fewer than minActiveCustomers active customers at the start of the current period are shown
 * but not judged.
 */
import type { GroupAlertStats, GroupPeriodStats, StoredGroupAlert } from '../../engine/alert-types.js';
import type { GroupRules } from './rules.js';

export interface GroupMetrics {
  readonly dimension: string;
  readonly group: string;
  /** Customers active at the start of the current period, and in the baseline periods (summed). */
  readonly active: number;
  readonly baselineActive: number;
  readonly churned: number;
  readonly churnRate: number;
  readonly baselineChurnRate: number;
  readonly churnChangePercent: number | null;
  readonly churnZ: number;
  readonly spendPerCustomer: number;
  readonly baselineSpendPerCustomer: number;
  readonly spendChangePercent: number | null;
  readonly spendZ: number;
  /** Large enough to be judged (minActiveCustomers). */
  readonly judged: boolean;
}

export type GroupWarningChange = 'new' | 'continuing';

export interface GroupWarning extends StoredGroupAlert {
  readonly active: number;
  /** Against the previous stored run; null when there is none. */
  readonly change: GroupWarningChange | null;
  readonly reason: string;
}

export interface GroupAlertReport {
  readonly asOf: string;
  readonly churnSource: GroupAlertStats['churnSource'];
  readonly periods: GroupAlertStats['periods'];
  readonly groups: readonly GroupMetrics[];
  readonly warnings: readonly GroupWarning[];
  readonly previous: { readonly asOf: string } | null;
  /** Warnings of the previous run that no longer hold. */
  readonly cleared: readonly StoredGroupAlert[];
}

const changeOf = (current: number, baseline: number): number | null =>
  baseline === 0 ? null : 100 * (current / baseline - 1);

/** Churn and spend of every group against its baseline. */
export function groupMetrics(stats: GroupAlertStats, rules: GroupRules): GroupMetrics[] {
  const byGroup = new Map<string, GroupPeriodStats[]>();
  for (const r of stats.rows) {
    const key = `${r.dimension}\u0000${r.group}`;
    const list = byGroup.get(key) ?? [];
    list.push(r);
    byGroup.set(key, list);
  }
  const out: GroupMetrics[] = [];
  for (const rows of byGroup.values()) {
    const cur = rows.find((r) => r.period === 0);
    const base = rows.filter((r) => r.period > 0);
    const n0 = cur?.active ?? 0;
    const c0 = cur?.churned ?? 0;
    const s0 = cur?.spend ?? 0;
    const q0 = cur?.spendSquares ?? 0;
    const nb = base.reduce((a, r) => a + r.active, 0);
    const cb = base.reduce((a, r) => a + r.churned, 0);
    const sb = base.reduce((a, r) => a + r.spend, 0);
    const qb = base.reduce((a, r) => a + r.spendSquares, 0);
    const p0 = n0 > 0 ? c0 / n0 : 0;
    const pb = nb > 0 ? cb / nb : 0;
    const pooled = n0 + nb > 0 ? (c0 + cb) / (n0 + nb) : 0;
    const seP = n0 > 0 && nb > 0 ? Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / nb)) : 0;
    const m0 = n0 > 0 ? s0 / n0 : 0;
    const mb = nb > 0 ? sb / nb : 0;
    const variance = (q: number, s: number, n: number) =>
      n > 1 ? Math.max(0, (q - (s * s) / n) / (n - 1)) : 0;
    const seM = n0 > 0 && nb > 0 ? Math.sqrt(variance(q0, s0, n0) / n0 + variance(qb, sb, nb) / nb) : 0;
    const first = rows[0]!;
    out.push({
      dimension: first.dimension,
      group: first.group,
      active: n0,
      baselineActive: nb,
      churned: c0,
      churnRate: p0,
      baselineChurnRate: pb,
      churnChangePercent: changeOf(p0, pb),
      churnZ: seP > 0 ? (p0 - pb) / seP : 0,
      spendPerCustomer: m0,
      baselineSpendPerCustomer: mb,
      spendChangePercent: changeOf(m0, mb),
      spendZ: seM > 0 ? (m0 - mb) / seM : 0,
      judged: n0 >= rules.minActiveCustomers && nb > 0,
    });
  }
  return out;
}

const DIMENSION_ORDER = ['all', 'segment', 'region', 'plan', 'channel', 'gender', 'product', 'category'];

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The warnings among the groups, compared with the previous run's. */
export function groupWarnings(
  stats: GroupAlertStats,
  rules: GroupRules,
  previous: { asOf: string; alerts: readonly StoredGroupAlert[] } | null,
  /** Words of the reasons: a group's active customers churn, a product's buyers lapse. */
  words: { readonly churn: string; readonly active: string } = { churn: 'churn', active: 'active' },
): GroupAlertReport {
  const groups = groupMetrics(stats, rules).sort(
    (a, b) =>
      DIMENSION_ORDER.indexOf(a.dimension) - DIMENSION_ORDER.indexOf(b.dimension) ||
      (a.group < b.group ? -1 : a.group > b.group ? 1 : 0),
  );
  const before = new Set(
    (previous?.alerts ?? []).map((a) => `${a.dimension}\u0000${a.group}\u0000${a.metric}`),
  );
  const warnings: GroupWarning[] = [];
  const add = (g: GroupMetrics, alert: StoredGroupAlert, reason: string) =>
    warnings.push({
      ...alert,
      active: g.active,
      change: previous
        ? before.has(`${g.dimension}\u0000${g.group}\u0000${alert.metric}`)
          ? 'continuing'
          : 'new'
        : null,
      reason,
    });
  for (const g of groups) {
    if (!g.judged) continue;
    const riseOk =
      g.baselineChurnRate === 0
        ? g.churnRate > 0
        : g.churnRate >= g.baselineChurnRate * (1 + rules.minChurnRisePercent / 100);
    if (riseOk && g.churnZ >= rules.minZ)
      add(
        g,
        {
          dimension: g.dimension,
          group: g.group,
          metric: 'churn_rate',
          current: g.churnRate,
          baseline: g.baselineChurnRate,
          changePercent: g.churnChangePercent,
          z: g.churnZ,
        },
        `${words.churn} ${round(100 * g.churnRate, 2)}% of ${g.active} ${words.active} vs ${round(100 * g.baselineChurnRate, 2)}% ` +
          `per period before (${g.churnChangePercent === null ? 'from 0' : `+${round(g.churnChangePercent, 1)}%`}, z ${round(g.churnZ, 2)})`,
      );
    const dropOk =
      g.baselineSpendPerCustomer > 0 &&
      g.spendPerCustomer <= g.baselineSpendPerCustomer * (1 - rules.minSpendDropPercent / 100);
    if (dropOk && g.spendZ <= -rules.minZ)
      add(
        g,
        {
          dimension: g.dimension,
          group: g.group,
          metric: 'spend',
          current: g.spendPerCustomer,
          baseline: g.baselineSpendPerCustomer,
          changePercent: g.spendChangePercent,
          z: g.spendZ,
        },
        `spend ${round(g.spendPerCustomer, 2)} per ${words.active === 'active' ? 'active customer' : 'buyer'} vs ${round(g.baselineSpendPerCustomer, 2)} ` +
          `per period before (${round(g.spendChangePercent ?? 0, 1)}%, z ${round(g.spendZ, 2)})`,
      );
  }
  const now = new Set(warnings.map((w) => `${w.dimension}\u0000${w.group}\u0000${w.metric}`));
  return {
    asOf: stats.asOf,
    churnSource: stats.churnSource,
    periods: stats.periods,
    groups,
    warnings,
    previous: previous ? { asOf: previous.asOf } : null,
    cleared: (previous?.alerts ?? []).filter(
      (a) => !now.has(`${a.dimension}\u0000${a.group}\u0000${a.metric}`),
    ),
  };
}
