/**
 * One Kaplan-Meier curve per group (R: `survfit(Surv(time, status) ~ group)`), from subjects or from
 * counts per (group, time). Subjects are partitioned by group code with a counting pass, O(n), and each part
 * is aggregated as in `kaplanMeier`, so the whole is O(n) for integer times.
 */

import { SurvivalInputError } from './errors.js';
import { aggregateSurvival, countsFromRows, eventFlag, type SurvivalCountRow } from './counts.js';
import {
  kaplanMeierFromSortedCounts,
  type KaplanMeierCurve,
  type KaplanMeierOptions,
} from './kaplan-meier.js';

/** Group membership as level codes into a list of labels (a CategoricalColumn has exactly this shape). */
export interface GroupCodes {
  /** Level code per subject, 0 <= code < levels.length. */
  readonly codes: ArrayLike<number>;
  readonly levels: readonly string[];
}

export interface GroupCurve {
  readonly group: string;
  readonly curve: KaplanMeierCurve;
}

/** Count rows of one group (the shape of `SELECT contract, tenure, sum(churn), sum(1 - churn) ...`). */
export interface GroupSurvivalCountRow extends SurvivalCountRow {
  readonly group: string;
}

/**
 * Subject indices grouped by code: order[start[g] .. start[g+1]) are the subjects of group g, in input
 * order. Throws on a code outside the levels (missing values must be removed by the caller).
 */
export function partitionByGroup(groups: GroupCodes, n: number): { order: Uint32Array; start: Uint32Array } {
  if (groups.codes.length !== n) {
    throw new SurvivalInputError(`group codes and times differ in length (${groups.codes.length} and ${n})`);
  }
  const k = groups.levels.length;
  const start = new Uint32Array(k + 1);
  for (let i = 0; i < n; i++) {
    const g = groups.codes[i]!;
    if (!(Number.isInteger(g) && g >= 0 && g < k)) {
      throw new SurvivalInputError(`group code at row ${i} must be a level index in [0, ${k}), got ${g}`);
    }
    start[g + 1]!++;
  }
  for (let g = 0; g < k; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, k);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[groups.codes[i]!]!++] = i;
  return { order, start };
}

/**
 * One curve per group level that has subjects, in level order.
 *
 * @example
 * kaplanMeierByGroup([1, 2, 3, 4], [1, 0, 1, 1], { codes: [0, 0, 1, 1], levels: ['a', 'b'] })
 * // [{ group: 'a', curve: ... }, { group: 'b', curve: ... }]
 */
export function kaplanMeierByGroup(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  groups: GroupCodes,
  options: KaplanMeierOptions = {},
): GroupCurve[] {
  const n = times.length;
  if (events.length !== n) {
    throw new SurvivalInputError(`times and events differ in length (${n} and ${events.length})`);
  }
  const { order, start } = partitionByGroup(groups, n);
  const out: GroupCurve[] = [];
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
    out.push({
      group: groups.levels[g]!,
      curve: kaplanMeierFromSortedCounts(aggregateSurvival(t, e), options),
    });
  }
  return out;
}

/**
 * One curve per group from count rows; groups come out sorted by label (code-unit order).
 *
 * @example kaplanMeierByGroupFromCounts([{ group: 'a', time: 1, events: 1, censored: 1 }])[0].curve.survival // [0.5]
 */
export function kaplanMeierByGroupFromCounts(
  rows: readonly GroupSurvivalCountRow[],
  options: KaplanMeierOptions = {},
): GroupCurve[] {
  const byGroup = new Map<string, SurvivalCountRow[]>();
  for (const r of rows) {
    let list = byGroup.get(r.group);
    if (list === undefined) byGroup.set(r.group, (list = []));
    list.push(r);
  }
  return [...byGroup.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((group) => ({
      group,
      curve: kaplanMeierFromSortedCounts(countsFromRows(byGroup.get(group)!), options),
    }));
}
