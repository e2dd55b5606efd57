/**
 * ABC (Pareto) analysis: customers ordered by value, highest first; class A holds the customers that make up
 * the first `a` share of the total (default 80 %), B up to `b` (95 %), C the rest (including customers with
 * zero or negative value). A customer straddling a boundary belongs to the class where its cumulative share
 * starts. Ties are ordered by customer id so the result is deterministic.
 */
export interface AbcOptions {
  readonly a?: number;
  readonly b?: number;
}

export interface AbcResult {
  readonly classes: string[];
  /** Share of value held by the top p % of customers, p = 1..100. */
  readonly curve: { readonly customerShare: number; readonly valueShare: number }[];
}

export function abcClasses(
  ids: readonly string[],
  value: ArrayLike<number>,
  options: AbcOptions = {},
): AbcResult {
  const a = options.a ?? 0.8;
  const b = options.b ?? 0.95;
  if (!(a > 0 && a < b && b < 1)) throw new RangeError(`need 0 < a < b < 1, got a=${a}, b=${b}`);
  const n = ids.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => value[j]! - value[i]! || (ids[i]! < ids[j]! ? -1 : ids[i]! > ids[j]! ? 1 : 0),
  );
  let total = 0;
  for (let i = 0; i < n; i++) if (value[i]! > 0) total += value[i]!;
  const classes = new Array<string>(n).fill('C');
  const curve: AbcResult['curve'] = [];
  let cumulative = 0;
  let nextPoint = 1;
  order.forEach((i, k) => {
    const v = value[i]!;
    const before = total > 0 ? cumulative / total : 1;
    classes[i] = v <= 0 ? 'C' : before < a ? 'A' : before < b ? 'B' : 'C';
    if (v > 0) cumulative += v;
    while (nextPoint <= 100 && (k + 1) / n >= nextPoint / 100 - 1e-12) {
      curve.push({ customerShare: nextPoint / 100, valueShare: total > 0 ? cumulative / total : 0 });
      nextPoint++;
    }
  });
  return { classes, curve };
}
