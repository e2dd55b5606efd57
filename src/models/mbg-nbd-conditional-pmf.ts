/**
 * Per-customer conditional pmf of the MBG/NBD model (Batislam, Denizel & Filiztekin 2007, with the
 * corrections of Wagner & Hoppe 2008): P(X(T, T+t) = n | x, t_x, T).
 *
 * Derivation (the BG/NBD argument of bg-nbd-conditional-pmf.ts carries over): in the MBG/NBD a customer
 * may also drop out at time 0, so given (λ, p) the history has likelihood
 *   L(λ, p) = (1-p)^{x+1} λ^x e^{-λT}  [alive at T]  +  p (1-p)^x λ^x e^{-λ t_x}  [dropped at t_x, or at 0].
 * The "alive" term is conjugate: a customer alive at T has (λ, p) ~ Gamma(r+x, α+T) × Beta(a, b+x+1).
 * From T on, the remaining dropout opportunities are the future purchases only (the extra one at time 0
 * is behind the customer), so the future is a BG/NBD process (not an MBG/NBD one) with those parameters:
 *
 *   P(X(T, T+t) = n | x, t_x, T) = 1{n=0} (1 - π) + π · P_BG(X(t) = n | r+x, α+T, a, b+x+1),
 *   π = P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^{r+x})   (for every x, also x = 0).
 *
 * Check of the derivation: the mean of this pmf is π (a+b+x)/(a-1) [1 - ((α+T)/(α+T+t))^{r+x}
 * 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))], Wagner & Hoppe's conditional expectation (mbgNbdConditionalExpected);
 * the tests confirm it to ~1e-12, and a Monte-Carlo simulation of the model agrees.
 *
 * Numerical pitfalls: as for the BG/NBD (tail of the NB count by the incomplete-beta continued fraction,
 * everything in logs, the dead mass from the log-odds); here the dead mass is present for x = 0 too.
 */
import type { MbgNbdParams } from './mbg-nbd.js';
import { bgNbdLogProbabilityOfN, checkConditionalArguments, logAliveDead } from './bg-nbd-conditional-pmf.js';
import { logAddExp } from './special/clv-numerics.js';

/**
 * ln P(X(T, T+t) = n | x, t_x, T) under the MBG/NBD model (see the module comment).
 *
 * @example mbgNbdConditionalLogProbabilityOfN({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, 0, 39, 0, 0, 38.86) // -0.11522
 */
export function mbgNbdConditionalLogProbabilityOfN(
  params: MbgNbdParams,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  const { r, alpha, a, b } = params;
  if (![r, alpha, a, b].every((v) => Number.isFinite(v) && v > 0)) {
    throw new RangeError(
      `MBG/NBD parameters must be finite and > 0, got r=${r}, alpha=${alpha}, a=${a}, b=${b}`,
    );
  }
  checkConditionalArguments('MBG/NBD', n, t, x, t_x, T);
  // ln odds of "dropped (at t_x, or at time 0 when x = 0)" vs "alive at T".
  const logOdds = Math.log(a) - Math.log(b + x) + (r + x) * Math.log1p((T - t_x) / (alpha + t_x));
  const { logAlive, logDead } = logAliveDead(logOdds);
  const posterior = { r: r + x, alpha: alpha + T, a, b: b + x + 1 };
  const alivePart = logAlive + bgNbdLogProbabilityOfN(posterior, n, t);
  return n === 0 ? logAddExp(logDead, alivePart) : alivePart;
}

/**
 * P(X(T, T+t) = n | x, t_x, T): the probability that an MBG/NBD customer with history (x, t_x, T) makes
 * exactly n transactions in (T, T+t]; for n = 0 it includes the probability that the customer has already
 * dropped out (possible also without repeat purchases). Σ_n P = 1, Σ_n n P = mbgNbdConditionalExpected.
 *
 * @example
 * const cdnow = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
 * mbgNbdConditionalProbabilityOfN(cdnow, 0, 39, 0, 0, 38.86); // 0.89117 for a customer without repeat purchases
 */
export function mbgNbdConditionalProbabilityOfN(
  params: MbgNbdParams,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  return Math.exp(mbgNbdConditionalLogProbabilityOfN(params, n, t, x, t_x, T));
}
