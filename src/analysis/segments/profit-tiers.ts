/**
 * Profit tiers (DOMAIN 4.4): negative (profit < 0, the BZC "below zero" customers), high (the top `highShare`
 * of customers by profit among the profitable, default 20 %: the MVC "most valuable"), low (the other
 * profitable ones, and zero). MGC ("most growable") are the top `highShare` by growth potential (potential -
 * current) among the non-negative, when a potential value is known.
 */
export const PROFIT_TIERS = ['high', 'low', 'negative'] as const;

export function profitTiers(
  profit: ArrayLike<number>,
  highShare = 0.2,
): { tiers: string[]; highThreshold: number } {
  const positive = Array.from(profit)
    .filter((p) => p > 0)
    .sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(positive.length * highShare));
  const highThreshold = positive.length > 0 ? positive[Math.min(k, positive.length) - 1]! : Infinity;
  const tiers = Array.from(profit, (p) =>
    p < 0 ? 'negative' : p > 0 && p >= highThreshold ? 'high' : 'low',
  );
  return { tiers, highThreshold };
}

/** Most growable customers: top `share` by potential - current among customers with profit >= 0. */
export function mostGrowable(
  current: ArrayLike<number>,
  potential: ArrayLike<number>,
  profit: ArrayLike<number>,
  share = 0.2,
): boolean[] {
  const growth = Array.from(current, (c, i) => potential[i]! - c);
  const eligible = growth.filter((_, i) => profit[i]! >= 0).sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(eligible.length * share));
  const threshold = eligible.length > 0 ? eligible[Math.min(k, eligible.length) - 1]! : Infinity;
  return growth.map((g, i) => profit[i]! >= 0 && g > 0 && g >= threshold);
}
