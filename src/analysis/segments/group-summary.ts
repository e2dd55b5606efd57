/** Customers, revenue and profit per group, with shares, in a fixed group order. */
export interface GroupSummary {
  readonly group: string;
  readonly customers: number;
  readonly revenue: number;
  readonly profit: number;
  readonly customerShare: number;
  readonly revenueShare: number;
}

export function summariseGroups(
  order: readonly string[],
  groupOf: readonly string[],
  revenue: ArrayLike<number>,
  profit: ArrayLike<number>,
): GroupSummary[] {
  const acc = new Map(order.map((g) => [g, { customers: 0, revenue: 0, profit: 0 }]));
  let totalRevenue = 0;
  for (let i = 0; i < groupOf.length; i++) {
    const a = acc.get(groupOf[i]!);
    if (!a) throw new Error(`unknown group ${groupOf[i]}`);
    a.customers++;
    a.revenue += revenue[i]!;
    a.profit += profit[i]!;
    totalRevenue += revenue[i]!;
  }
  const n = groupOf.length;
  return order.map((group) => {
    const a = acc.get(group)!;
    return {
      group,
      ...a,
      customerShare: n > 0 ? a.customers / n : 0,
      revenueShare: totalRevenue !== 0 ? a.revenue / totalRevenue : 0,
    };
  });
}

/** The q-quantile of values (linear interpolation between order statistics, as R type 7). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
