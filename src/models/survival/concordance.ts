/**
 * Harrell's concordance between survival times and a risk score, counted as R's survival 3.x does for
 * `coxph(...)$concordance` (concordancefit with reverse = TRUE, timewt "n"): a higher score should mean an
 * earlier event.
 *
 * A pair is comparable when the earlier time is an event; a subject censored at the same time as an event
 * is still at risk then, so that pair is comparable too. Two events at the same time are not comparable:
 * they count as `tiedTime`, or `tiedBoth` when their scores are equal as well. Among comparable pairs the
 * one with the event is concordant when its score is higher, discordant when lower, `tiedRisk` when equal.
 *   C = (concordant + tiedRisk / 2) / (concordant + discordant + tiedRisk)
 *
 * Method: subjects by decreasing time; scores of the subjects already passed live in a Fenwick tree over
 * score ranks, so each event counts its lower / equal / higher comparators in O(log n): O(n log n) total.
 * (R's standard error of C, from an influence-function variance, is not computed here.)
 *
 * Reference: Harrell, Califf, Pryor, Lee & Rosati (1982); Therneau & Atkinson, "Concordance"
 * (survival package vignette).
 *
 * @example concordance([1, 2, 3], [1, 1, 0], [3, 2, 1]).concordance // 1
 */

import { checkTime, eventFlag } from './counts.js';
import { SurvivalInputError } from './errors.js';

export interface Concordance {
  readonly concordant: number;
  readonly discordant: number;
  /** Comparable pairs with equal scores (R: tied.x). */
  readonly tiedRisk: number;
  /** Event pairs at the same time with different scores (R: tied.y). */
  readonly tiedTime: number;
  /** Event pairs at the same time with equal scores (R: tied.xy). */
  readonly tiedBoth: number;
  readonly concordance: number;
}

/** Pairs among the values of a sorted array that are equal. */
function equalPairs(sorted: Float64Array): number {
  let pairs = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) run++;
    else {
      pairs += (run * (run - 1)) / 2;
      run = 1;
    }
  }
  return pairs;
}

/**
 * Concordance counts of a risk score against (time, event).
 */
export function concordance(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  score: ArrayLike<number>,
): Concordance {
  const n = times.length;
  if (events.length !== n || score.length !== n) {
    throw new SurvivalInputError(
      `times, events and scores differ in length (${n}, ${events.length}, ${score.length})`,
    );
  }
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    checkTime(times[i]!, i);
    status[i] = eventFlag(events[i]!, i);
    if (Number.isNaN(score[i]!)) throw new SurvivalInputError(`score at row ${i} is NaN`);
  }
  // Dense ranks of the scores, 1-based for the Fenwick tree.
  const sortedScores = Float64Array.from(score).sort();
  const unique: number[] = [];
  for (let i = 0; i < n; i++)
    if (i === 0 || sortedScores[i] !== sortedScores[i - 1]) unique.push(sortedScores[i]!);
  const rankOf = (v: number): number => {
    let lo = 0;
    let hi = unique.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (unique[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const m = unique.length;
  const tree = new Float64Array(m + 1);
  const addAt = (r: number): void => {
    for (let i = r; i <= m; i += i & -i) tree[i]! += 1;
  };
  const prefix = (r: number): number => {
    let s = 0;
    for (let i = r; i > 0; i -= i & -i) s += tree[i]!;
    return s;
  };
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => times[b]! - times[a]!);

  let concordant = 0;
  let discordant = 0;
  let tiedRisk = 0;
  let tiedTime = 0;
  let tiedBoth = 0;
  let inTree = 0;
  for (let a = 0; a < n;) {
    let b = a;
    while (b < n && times[order[b]!] === times[order[a]!]) b++;
    // Censored subjects at this time are at risk for its events: add them first.
    for (let k = a; k < b; k++) {
      const i = order[k]!;
      if (status[i] === 0) {
        addAt(rankOf(score[i]!));
        inTree++;
      }
    }
    const eventScores: number[] = [];
    for (let k = a; k < b; k++) {
      const i = order[k]!;
      if (status[i] === 0) continue;
      const r = rankOf(score[i]!);
      const below = prefix(r - 1);
      const equal = prefix(r) - below;
      concordant += below;
      tiedRisk += equal;
      discordant += inTree - below - equal;
      eventScores.push(score[i]!);
    }
    const d = eventScores.length;
    if (d > 1) {
      const both = equalPairs(Float64Array.from(eventScores).sort());
      tiedBoth += both;
      tiedTime += (d * (d - 1)) / 2 - both;
    }
    for (let k = a; k < b; k++) {
      const i = order[k]!;
      if (status[i] === 1) {
        addAt(rankOf(score[i]!));
        inTree++;
      }
    }
    a = b;
  }
  const comparable = concordant + discordant + tiedRisk;
  return {
    concordant,
    discordant,
    tiedRisk,
    tiedTime,
    tiedBoth,
    concordance: comparable > 0 ? (concordant + tiedRisk / 2) / comparable : NaN,
  };
}
