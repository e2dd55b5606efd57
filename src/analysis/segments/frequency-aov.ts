/**
 * Frequency x average-order-value quadrants: split at the medians of the buying customers (or given
 * thresholds). Customers without purchases in the window form their own group, "no purchases".
 */
export const FREQUENCY_AOV_GROUPS = [
  'high frequency, high order value',
  'high frequency, low order value',
  'low frequency, high order value',
  'low frequency, low order value',
  'no purchases',
] as const;

export function frequencyAovQuadrants(
  frequency: ArrayLike<number>,
  aov: ArrayLike<number>,
  thresholds: { readonly frequency: number; readonly aov: number },
): string[] {
  return Array.from({ length: frequency.length }, (_, i) => {
    if (!(frequency[i]! > 0)) return FREQUENCY_AOV_GROUPS[4];
    const f = frequency[i]! >= thresholds.frequency;
    const a = aov[i]! >= thresholds.aov;
    return FREQUENCY_AOV_GROUPS[(f ? 0 : 2) + (a ? 0 : 1)]!;
  });
}
