/**
 * Current value x potential value quadrants (DOMAIN 4.4, 客户价值细分): I lead 铅质 (low current, low
 * potential), II iron 铁质 (low, high), III silver 银质 (high, low), IV gold 金质 (high, high). "High" means
 * at or above the threshold, the median by default.
 */
export const VALUE_QUADRANTS = ['I lead', 'II iron', 'III silver', 'IV gold'] as const;

export function valueQuadrants(
  current: ArrayLike<number>,
  potential: ArrayLike<number>,
  thresholds: { readonly current: number; readonly potential: number },
): string[] {
  return Array.from({ length: current.length }, (_, i) => {
    const c = current[i]! >= thresholds.current;
    const p = potential[i]! >= thresholds.potential;
    return VALUE_QUADRANTS[(c ? 2 : 0) + (p ? 1 : 0)]!;
  });
}
