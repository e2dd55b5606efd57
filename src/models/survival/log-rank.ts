/**
 * Log-rank test of equal survival across groups, as R's `survdiff(Surv(time, status) ~ group)` (rho = 0).
 *
 * At each distinct event time t with n at risk and d events in total, group j (n_j at risk, d_j events)
 * contributes
 *   E_j += d n_j / n,      V_jk += d (n - d) / (n - 1) · (n_j / n) (δ_jk - n_k / n)   (n > 1)
 * (hypergeometric variance). The statistic is (O - E)ᵀ V⁻¹ (O - E) over the groups with E > 0 minus the
 * first of them (V has rank k - 1), on k - 1 degrees of freedom; the per-group columns are R's
 * (O-E)^2/E and (O-E)^2/V.
 *
 * Reference: Mantel (1966); Peto & Peto (1972); Therneau & Grambsch (2000), section 2.3.
 *
 * @example
 * logRankTest([1, 2, 3, 4], [1, 1, 1, 1], { codes: [0, 1, 0, 1], levels: ['a', 'b'] }).chisq
 */

import { dot, inverseSpd, matVec } from '../fit/matrix.js';
import { chiSquareSurvival } from '../special/distributions.js';
import { aggregateSurvival, countsFromRows, eventFlag, type SurvivalCounts } from './counts.js';
import { SurvivalInputError } from './errors.js';
import { partitionByGroup, type GroupCodes, type GroupSurvivalCountRow } from './kaplan-meier-groups.js';

export interface LogRankGroup {
  readonly group: string;
  readonly n: number;
  readonly observed: number;
  readonly expected: number;
  /** (O - E)² / E. */
  readonly chisqE: number;
  /** (O - E)² / V_jj. */
  readonly chisqV: number;
}

export interface LogRankResult {
  readonly groups: readonly LogRankGroup[];
  /** k × k variance matrix of O - E (R: survdiff(...)$var). */
  readonly variance: number[][];
  readonly chisq: number;
  readonly df: number;
  readonly p: number;
}

/**
 * Log-rank test from already aggregated counts, one SurvivalCounts per group (sorted distinct times).
 * O(k² · number of distinct times).
 */
export function logRankFromGroupCounts(
  groups: readonly { readonly group: string; readonly counts: SurvivalCounts }[],
): LogRankResult {
  const k = groups.length;
  if (k < 1) throw new SurvivalInputError('log-rank test needs at least one group');
  // Union of the times, then every group's counts aligned on it.
  const all = new Set<number>();
  for (const g of groups) for (const t of g.counts.time) all.add(t);
  const times = Float64Array.from(all).sort();
  const m = times.length;
  const d = groups.map(() => new Float64Array(m));
  const atRisk = groups.map(() => new Float64Array(m));
  groups.forEach((g, j) => {
    // Walk both sorted lists together.
    let p = 0;
    const leaving = new Float64Array(m);
    for (let i = 0; i < m && p < g.counts.time.length; i++) {
      if (g.counts.time[p] === times[i]) {
        d[j]![i] = g.counts.events[p]!;
        leaving[i] = g.counts.events[p]! + g.counts.censored[p]!;
        p++;
      }
    }
    let r = 0;
    for (let i = m - 1; i >= 0; i--) {
      r += leaving[i]!;
      atRisk[j]![i] = r;
    }
  });
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const variance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < m; i++) {
    let n = 0;
    let dt = 0;
    for (let j = 0; j < k; j++) {
      n += atRisk[j]![i]!;
      dt += d[j]![i]!;
    }
    if (dt === 0) continue;
    const hyper = n > 1 ? (dt * (n - dt)) / (n - 1) : 0;
    for (let j = 0; j < k; j++) {
      const nj = atRisk[j]![i]!;
      observed[j]! += d[j]![i]!;
      expected[j]! += (dt * nj) / n;
      if (hyper === 0) continue;
      for (let l = 0; l < k; l++) {
        const nl = atRisk[l]![i]!;
        variance[j]![l]! += hyper * (nj / n) * ((j === l ? 1 : 0) - nl / n);
      }
    }
  }
  // R: drop groups with no expected events, then the first remaining one (V is singular).
  const used = expected.map((e, j) => (e > 0 ? j : -1)).filter((j) => j >= 0);
  let chisq = 0;
  const df = Math.max(used.length - 1, 0);
  if (used.length >= 2) {
    const idx = used.slice(1);
    const diff = idx.map((j) => observed[j]! - expected[j]!);
    const sub = idx.map((j) => idx.map((l) => variance[j]![l]!));
    const inv = inverseSpd(sub);
    if (inv === null) throw new SurvivalInputError('log-rank variance matrix is singular');
    chisq = dot(diff, matVec(inv, diff));
  }
  const sizes = groups.map((g) => {
    let s = 0;
    for (let i = 0; i < g.counts.time.length; i++) s += g.counts.events[i]! + g.counts.censored[i]!;
    return s;
  });
  return {
    groups: groups.map((g, j) => {
      const oe = observed[j]! - expected[j]!;
      return {
        group: g.group,
        n: sizes[j]!,
        observed: observed[j]!,
        expected: expected[j]!,
        chisqE: (oe * oe) / expected[j]!,
        chisqV: (oe * oe) / variance[j]![j]!,
      };
    }),
    variance,
    chisq,
    df,
    p: df > 0 ? chiSquareSurvival(chisq, df) : NaN,
  };
}

/**
 * Log-rank test from one (time, event, group) triple per subject; groups without subjects are left out.
 *
 * @example logRankTest(tenure, churned, { codes: contractCodes, levels: ['Month-to-month', 'One year', 'Two year'] })
 */
export function logRankTest(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  groups: GroupCodes,
): LogRankResult {
  const n = times.length;
  if (events.length !== n) {
    throw new SurvivalInputError(`times and events differ in length (${n} and ${events.length})`);
  }
  const { order, start } = partitionByGroup(groups, n);
  const parts: { group: string; counts: SurvivalCounts }[] = [];
  for (let g = 0; g < groups.levels.length; g++) {
    const size = start[g + 1]! - start[g]!;
    if (size === 0) continue;
    const t = new Float64Array(size);
    const e = new Uint8Array(size);
    for (let j = 0; j < size; j++) {
      const i = order[start[g]! + j]!;
      t[j] = times[i]!;
      e[j] = eventFlag(events[i]!, i);
    }
    parts.push({ group: groups.levels[g]!, counts: aggregateSurvival(t, e) });
  }
  return logRankFromGroupCounts(parts);
}

/**
 * Log-rank test from count rows per (group, time); groups sorted by label (code-unit order).
 *
 * @example logRankTestFromCounts([{ group: 'a', time: 1, events: 1, censored: 0 }, { group: 'b', time: 2, events: 1, censored: 0 }])
 */
export function logRankTestFromCounts(rows: readonly GroupSurvivalCountRow[]): LogRankResult {
  const labels = [...new Set(rows.map((r) => r.group))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return logRankFromGroupCounts(
    labels.map((group) => ({ group, counts: countsFromRows(rows.filter((r) => r.group === group)) })),
  );
}
