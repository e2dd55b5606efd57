/**
 * The churn index (流失指数, DOMAIN 5.4): why a customer or a segment would leave. Per reason the customer
 * rates the company (1-10, 10 = satisfied), the reason has an importance to them (1-10) and alternatives
 * have an availability (1-10). A reason pushes towards leaving as far as the customer is dissatisfied,
 * it matters, and there is somewhere else to go, so the three multiply:
 *
 *   index = (10 - rating) / 9 x importance / 10 x availability / 10, in [0, 1]
 *
 * (0 when fully satisfied, whatever the importance). A group's index per reason is the mean over its
 * respondents; the reasons' shares of the group's total name the drivers. Survey answers with another
 * scale can be rescaled before.
 *
 * @example churnIndex([{ reason: 'coverage', rating: 1, importance: 8, availability: 7 }]) // coverage 0.56
 */
export interface ChurnRating {
  /** Who answered (a customer id or a segment); '' = everyone as one group. */
  readonly group?: string;
  readonly reason: string;
  readonly rating: number;
  readonly importance: number;
  readonly availability: number;
}

export interface ChurnIndexReason {
  readonly reason: string;
  readonly respondents: number;
  readonly meanRating: number;
  readonly meanImportance: number;
  readonly meanAvailability: number;
  readonly index: number;
  /** Share of the group's total index. */
  readonly share: number;
}

export interface ChurnIndexGroup {
  readonly group: string;
  /** Sum of the reasons' indices. */
  readonly total: number;
  readonly topDriver: string | null;
  /** Largest index first. */
  readonly reasons: readonly ChurnIndexReason[];
}

export function reasonIndex(rating: number, importance: number, availability: number): number {
  return ((10 - rating) / 9) * (importance / 10) * (availability / 10);
}

export function churnIndex(ratings: readonly ChurnRating[]): ChurnIndexGroup[] {
  const groups = new Map<string, Map<string, ChurnRating[]>>();
  for (const r of ratings) {
    for (const [name, v] of [
      ['rating', r.rating],
      ['importance', r.importance],
      ['availability', r.availability],
    ] as const)
      if (!(Number.isFinite(v) && v >= 1 && v <= 10))
        throw new RangeError(`${r.reason}: ${name} must be a number from 1 to 10, not ${v}`);
    const g = groups.get(r.group ?? '') ?? new Map<string, ChurnRating[]>();
    const list = g.get(r.reason) ?? [];
    list.push(r);
    g.set(r.reason, list);
    groups.set(r.group ?? '', g);
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([group, reasons]) => {
      const rows = [...reasons.entries()].map(([reason, list]) => ({
        reason,
        respondents: list.length,
        meanRating: mean(list.map((r) => r.rating)),
        meanImportance: mean(list.map((r) => r.importance)),
        meanAvailability: mean(list.map((r) => r.availability)),
        index: mean(list.map((r) => reasonIndex(r.rating, r.importance, r.availability))),
      }));
      const total = rows.reduce((a, r) => a + r.index, 0);
      const sorted = rows
        .map((r) => ({ ...r, share: total > 0 ? r.index / total : 0 }))
        .sort((a, b) => b.index - a.index || (a.reason < b.reason ? -1 : 1));
      return { group, total, topDriver: total > 0 ? sorted[0]!.reason : null, reasons: sorted };
    });
}
