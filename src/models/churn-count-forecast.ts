/**
 * The number of churners in the next period: the sum of the customers' churn probabilities, with an
 * interval that covers two things. Chance: given the probabilities, the count is Poisson-binomial.
 * Drift: the churn rate itself moves from one period to the next (a price rise, a competitor, the
 * season), which a model trained on the last period cannot foresee. The drift is measured on the past
 * periods as the root mean square of the relative change of the rate between consecutive periods, and
 * treated as a relative error of the expected count; the two variances add:
 *
 *   sd^2 = sum p_i (1 - p_i) + (expected x drift)^2
 *
 * With fewer than three past periods there is no drift estimate and the interval is chance only.
 *
 * @example churnCountForecast(p, [{ atRisk: 1000, churned: 50 }, ...], 0.9)
 */
import { poissonBinomialInterval, type CountInterval } from './poisson-binomial.js';
import { normalQuantile } from './special/distributions.js';

export interface PastPeriod {
  readonly atRisk: number;
  readonly churned: number;
}

export interface ChurnCountForecast {
  readonly expected: number;
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  readonly sd: number;
  /** The interval from chance alone. */
  readonly chance: CountInterval;
  /** Relative period-to-period change of the churn rate (RMS), null without enough history. */
  readonly drift: number | null;
  /** Past periods used (most recent first). */
  readonly periods: number;
}

/** RMS of r_k / r_{k+1} - 1 over consecutive periods with customers and churners. */
export function rateDrift(history: readonly PastPeriod[]): number | null {
  const rates = history.filter((h) => h.atRisk > 0).map((h) => h.churned / h.atRisk);
  const changes: number[] = [];
  for (let k = 0; k + 1 < rates.length; k++)
    if (rates[k + 1]! > 0) changes.push(rates[k]! / rates[k + 1]! - 1);
  if (changes.length < 2) return null;
  return Math.sqrt(changes.reduce((a, c) => a + c * c, 0) / changes.length);
}

export function churnCountForecast(
  probabilities: ArrayLike<number>,
  history: readonly PastPeriod[],
  level = 0.9,
): ChurnCountForecast {
  const chance = poissonBinomialInterval(probabilities, level);
  const drift = rateDrift(history);
  if (drift === null) return { ...chance, chance, drift: null, periods: history.length };
  const sd = Math.sqrt(chance.sd ** 2 + (chance.expected * drift) ** 2);
  const z = normalQuantile(1 - (1 - level) / 2);
  const n = probabilities.length;
  return {
    expected: chance.expected,
    // never narrower than chance alone
    lower: Math.max(0, Math.min(chance.lower, Math.floor(chance.expected - z * sd))),
    upper: Math.min(n, Math.max(chance.upper, Math.ceil(chance.expected + z * sd))),
    level,
    sd,
    chance,
    drift,
    periods: history.length,
  };
}
