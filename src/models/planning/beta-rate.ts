/**
 * A success rate learned from recorded outcomes on top of a prior (win-back planning): a Beta prior with
 * mean m and strength k (worth k observations) is Beta(m k, (1 - m) k); after s successes in n attempts
 * the posterior is Beta(m k + s, (1 - m) k + n - s), whose mean (m k + s) / (k + n) moves from the prior
 * towards the observed rate s / n as attempts accumulate.
 */
import { regularizedBeta } from '../special/distributions.js';

export interface BetaPrior {
  /** Prior mean in (0, 1), e.g. 0.25 (a win-back succeeds about 1 time in 4, DOMAIN 1). */
  readonly mean: number;
  /** Prior weight in observations (> 0). */
  readonly strength: number;
}

export interface BetaRate {
  readonly alpha: number;
  readonly beta: number;
  readonly mean: number;
  readonly successes: number;
  readonly attempts: number;
  /** Central credible interval of the rate. */
  readonly lower: number;
  readonly upper: number;
}

/** Quantile of Beta(a, b) by bisection on the regularised incomplete beta function. */
export function betaQuantile(q: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 100; k++) {
    const mid = (lo + hi) / 2;
    if (regularizedBeta(mid, a, b) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function betaPosterior(prior: BetaPrior, successes: number, attempts: number, level = 0.9): BetaRate {
  if (!(prior.mean > 0 && prior.mean < 1)) throw new RangeError(`prior mean must be in (0, 1)`);
  if (!(prior.strength > 0)) throw new RangeError(`prior strength must be > 0`);
  if (!(successes >= 0 && attempts >= successes)) throw new RangeError('need 0 <= successes <= attempts');
  const alpha = prior.mean * prior.strength + successes;
  const beta = (1 - prior.mean) * prior.strength + attempts - successes;
  const tail = (1 - level) / 2;
  return {
    alpha,
    beta,
    mean: alpha / (alpha + beta),
    successes,
    attempts,
    lower: betaQuantile(tail, alpha, beta),
    upper: betaQuantile(1 - tail, alpha, beta),
  };
}
