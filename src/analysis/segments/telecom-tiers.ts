/**
 * Telecom value tiers (DOMAIN 4.4): low, medium, high, silver, gold, platinum by monthly revenue (ARPU).
 * The five cut points are either quantiles of the customers' ARPU (default 30 %, 55 %, 75 %, 90 %, 97 %: a
 * platinum top 3 %) or absolute amounts given by the user. Customers without revenue are "low".
 */
import { quantile } from './group-summary.js';

export const TELECOM_TIERS = ['low', 'medium', 'high', 'silver', 'gold', 'platinum'] as const;
export const DEFAULT_TELECOM_QUANTILES = [0.3, 0.55, 0.75, 0.9, 0.97] as const;

export function telecomTiers(
  arpu: ArrayLike<number>,
  cuts: { readonly quantiles?: readonly number[]; readonly amounts?: readonly number[] } = {},
): { tiers: string[]; cutPoints: number[] } {
  let cutPoints: number[];
  if (cuts.amounts) cutPoints = [...cuts.amounts];
  else {
    const paying = Array.from(arpu).filter((v) => v > 0);
    cutPoints = (cuts.quantiles ?? DEFAULT_TELECOM_QUANTILES).map((q) => quantile(paying, q));
  }
  if (cutPoints.length !== 5 || cutPoints.some((c, i) => i > 0 && c < cutPoints[i - 1]!))
    throw new RangeError('telecom tiers need five increasing cut points');
  const tiers = Array.from(arpu, (v) => {
    if (!(v > 0)) return 'low';
    let t = 0;
    while (t < 5 && v >= cutPoints[t]!) t++;
    return TELECOM_TIERS[t]!;
  });
  return { tiers, cutPoints };
}
