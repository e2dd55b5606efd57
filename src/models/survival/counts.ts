/**
 * Survival data reduced to counts per distinct time: the sufficient statistics of Kaplan-Meier and the
 * log-rank test. SQL can produce them directly (GROUP BY time), and `aggregateSurvival` produces them from
 * one row per subject in O(n) for integer times (tenure in months, days) or O(n log n) otherwise.
 */

import { SurvivalInputError } from './errors.js';

/** One distinct time with the number of events and of censorings observed exactly then. */
export interface SurvivalCountRow {
  readonly time: number;
  readonly events: number;
  readonly censored: number;
}

/** Counts per distinct time, columnar, sorted by strictly increasing time. */
export interface SurvivalCounts {
  readonly time: Float64Array;
  readonly events: Float64Array;
  readonly censored: Float64Array;
}

/** Integer times up to this bound (and up to a few times the row count) are counted in an array. */
const MAX_COUNTING_RANGE = 1 << 24;

/** Reads an event flag: 1/true = event, 0/false = censored; anything else is a data error. */
export function eventFlag(value: number | boolean, index: number): 0 | 1 {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  throw new SurvivalInputError(`event at row ${index} must be 0 or 1, got ${String(value)}`);
}

/** Throws unless t is a finite time >= 0. */
export function checkTime(t: number, index: number): void {
  if (!(t >= 0 && t < Infinity)) {
    throw new SurvivalInputError(`time at row ${index} must be finite and >= 0, got ${t}`);
  }
}

/**
 * Collapse rows given in any order, possibly with repeated times, into sorted distinct-time counts.
 * Counts may be fractional (case weights) but must be finite and >= 0.
 *
 * @example countsFromRows([{ time: 2, events: 1, censored: 0 }, { time: 1, events: 0, censored: 3 }])
 * // { time: [1, 2], events: [0, 1], censored: [3, 0] }
 */
export function countsFromRows(rows: readonly SurvivalCountRow[]): SurvivalCounts {
  rows.forEach((r, i) => {
    checkTime(r.time, i);
    if (!(r.events >= 0 && r.events < Infinity) || !(r.censored >= 0 && r.censored < Infinity)) {
      throw new SurvivalInputError(
        `row ${i} (time ${r.time}): events and censored must be finite and >= 0, got ${r.events}, ${r.censored}`,
      );
    }
  });
  const sorted = [...rows].sort((a, b) => a.time - b.time);
  const time: number[] = [];
  const events: number[] = [];
  const censored: number[] = [];
  for (const r of sorted) {
    const last = time.length - 1;
    if (last >= 0 && time[last] === r.time) {
      events[last]! += r.events;
      censored[last]! += r.censored;
    } else {
      time.push(r.time);
      events.push(r.events);
      censored.push(r.censored);
    }
  }
  return {
    time: Float64Array.from(time),
    events: Float64Array.from(events),
    censored: Float64Array.from(censored),
  };
}

/**
 * Counts per distinct time from one (time, event) pair per subject.
 *
 * Integer times in a modest range (the usual tenure in days or months) are tallied in an array indexed by
 * time, O(n); other times are split into event and censoring times, each sorted natively as a Float64Array
 * (no comparator callback, which is what makes sorting 10 million values fast), and merged, O(n log n).
 *
 * Ties are exact floating-point equality (R's survfit additionally merges times that differ only by rounding
 * error, `timefix`; compute times in a way that gives equal values for equal durations).
 *
 * @example aggregateSurvival([3, 1, 3], [1, 0, 0]) // time [1, 3], events [0, 1], censored [1, 1]
 */
export function aggregateSurvival(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
): SurvivalCounts {
  const n = times.length;
  if (events.length !== n) {
    throw new SurvivalInputError(`times and events differ in length (${n} and ${events.length})`);
  }
  let allIntegers = true;
  let maxTime = 0;
  let nEvents = 0;
  for (let i = 0; i < n; i++) {
    const t = times[i]!;
    checkTime(t, i);
    nEvents += eventFlag(events[i]!, i);
    if (allIntegers && !Number.isInteger(t)) allIntegers = false;
    if (t > maxTime) maxTime = t;
  }
  if (allIntegers && maxTime < MAX_COUNTING_RANGE && maxTime <= 4 * n + 1024) {
    return countIntegerTimes(times, events, maxTime);
  }
  const eventTimes = new Float64Array(nEvents);
  const censorTimes = new Float64Array(n - nEvents);
  let ie = 0;
  let ic = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (e === 1 || e === true) eventTimes[ie++] = times[i]!;
    else censorTimes[ic++] = times[i]!;
  }
  eventTimes.sort();
  censorTimes.sort();
  return mergeSorted(eventTimes, censorTimes);
}

function countIntegerTimes(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  maxTime: number,
): SurvivalCounts {
  const ev = new Float64Array(maxTime + 1);
  const ce = new Float64Array(maxTime + 1);
  for (let i = 0; i < times.length; i++) {
    const e = events[i];
    if (e === 1 || e === true) ev[times[i]!]! += 1;
    else ce[times[i]!]! += 1;
  }
  let m = 0;
  for (let t = 0; t <= maxTime; t++) if (ev[t]! + ce[t]! > 0) m++;
  const time = new Float64Array(m);
  const events2 = new Float64Array(m);
  const censored = new Float64Array(m);
  let k = 0;
  for (let t = 0; t <= maxTime; t++) {
    if (ev[t]! + ce[t]! > 0) {
      time[k] = t;
      events2[k] = ev[t]!;
      censored[k] = ce[t]!;
      k++;
    }
  }
  return { time, events: events2, censored };
}

/** Run-length merge of two ascending arrays of event and censoring times. */
function mergeSorted(eventTimes: Float64Array, censorTimes: Float64Array): SurvivalCounts {
  const cap = eventTimes.length + censorTimes.length;
  const time = new Float64Array(cap);
  const events = new Float64Array(cap);
  const censored = new Float64Array(cap);
  let i = 0;
  let j = 0;
  let m = 0;
  while (i < eventTimes.length || j < censorTimes.length) {
    const te = i < eventTimes.length ? eventTimes[i]! : Infinity;
    const tc = j < censorTimes.length ? censorTimes[j]! : Infinity;
    const t = Math.min(te, tc);
    let d = 0;
    let c = 0;
    while (i < eventTimes.length && eventTimes[i] === t) {
      d++;
      i++;
    }
    while (j < censorTimes.length && censorTimes[j] === t) {
      c++;
      j++;
    }
    time[m] = t;
    events[m] = d;
    censored[m] = c;
    m++;
  }
  return { time: time.slice(0, m), events: events.slice(0, m), censored: censored.slice(0, m) };
}
