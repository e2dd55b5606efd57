/**
 * The monthly churn summary of DOMAIN.md 5.5 as a pure function of per-month aggregates: before churn =
 * start + new; churn = voluntary + involuntary + other ends; end = before churn - churn; rates = x / start.
 * A month without its own `start` carries the previous month's end (per group). When the aggregates also give
 * the month's measured `end`, the difference to the computed end is `netTransfers` (customers moving between
 * groups, e.g. a plan change or the next tenure band; always 0 for the whole base).
 */

export interface ChurnFlowInput {
  /** `YYYY-MM` (or any label; rows keep the given order per group). */
  readonly month: string;
  /** Group (default `all`). */
  readonly group?: string;
  /** Subscribers at the opening; absent or null: the previous month's end of the same group. */
  readonly start?: number | null;
  readonly new: number;
  readonly voluntary: number;
  readonly involuntary: number;
  /** Ends without a churn event (or with one of unknown type); default 0. */
  readonly otherEnds?: number;
  /** The measured end, when known (else computed). */
  readonly end?: number | null;
  readonly accountsStart?: number;
  readonly closedAccounts?: number;
  readonly revenueStart?: number;
  readonly revenueLost?: number;
  readonly eventsWithoutEnd?: number;
}

export interface ChurnFlowRow {
  readonly month: string;
  readonly group: string;
  readonly start: number;
  readonly new: number;
  readonly beforeChurn: number;
  readonly voluntary: number;
  readonly involuntary: number;
  readonly otherEnds: number;
  readonly churn: number;
  readonly end: number;
  readonly netTransfers: number;
  readonly netChange: number;
  /** churn / start, voluntary / start, involuntary / start, new / start; null when start is 0. */
  readonly churnRate: number | null;
  readonly voluntaryRate: number | null;
  readonly involuntaryRate: number | null;
  readonly grossAddRate: number | null;
  readonly accountsStart: number;
  readonly closedAccounts: number;
  /** closedAccounts / accountsStart. */
  readonly accountChurnRate: number | null;
  readonly revenueStart: number;
  readonly revenueLost: number;
  /** revenueLost / revenueStart. */
  readonly revenueChurnRate: number | null;
  readonly eventsWithoutEnd: number;
}

export const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/**
 * @example churnFlowTable([{ month: 'Jan', start: 1_300_000, new: 10_000, voluntary: 5_000, involuntary: 2_000 }])[0].end // 1_303_000
 */
export function churnFlowTable(inputs: readonly ChurnFlowInput[]): ChurnFlowRow[] {
  const lastEnd = new Map<string, number>();
  return inputs.map((a) => {
    const group = a.group ?? 'all';
    const start = a.start ?? lastEnd.get(group);
    if (start === undefined)
      throw new Error(`churn flow: the first month (${a.month}) of group "${group}" needs a start`);
    const otherEnds = a.otherEnds ?? 0;
    const beforeChurn = start + a.new;
    const churn = a.voluntary + a.involuntary + otherEnds;
    const computed = beforeChurn - churn;
    const end = a.end ?? computed;
    lastEnd.set(group, end);
    const accountsStart = a.accountsStart ?? 0;
    const closedAccounts = a.closedAccounts ?? 0;
    const revenueStart = a.revenueStart ?? 0;
    const revenueLost = a.revenueLost ?? 0;
    return {
      month: a.month,
      group,
      start,
      new: a.new,
      beforeChurn,
      voluntary: a.voluntary,
      involuntary: a.involuntary,
      otherEnds,
      churn,
      end,
      netTransfers: end - computed,
      netChange: end - start,
      churnRate: ratio(churn, start),
      voluntaryRate: ratio(a.voluntary, start),
      involuntaryRate: ratio(a.involuntary, start),
      grossAddRate: ratio(a.new, start),
      accountsStart,
      closedAccounts,
      accountChurnRate: ratio(closedAccounts, accountsStart),
      revenueStart,
      revenueLost,
      revenueChurnRate: ratio(revenueLost, revenueStart),
      eventsWithoutEnd: a.eventsWithoutEnd ?? 0,
    };
  });
}
