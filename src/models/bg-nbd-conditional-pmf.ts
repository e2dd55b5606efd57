/**
 * Per-customer conditional pmf of the BG/NBD model: P(X(T, T+t) = n | x, t_x, T), the probability that a
 * customer with history (x repeat purchases, the last at t_x, observed for T) makes exactly n purchases in
 * the next t time units.
 *
 * Reference: Fader, Hardie & Lee (2005), "'Counting Your Customers' the Easy Way", Marketing Science 24(2)
 * (eq. 8 for P(X(t) = n), the P(alive) note for the posterior); the conditional pmf is the expression of
 * Fader & Hardie's notes on P(X(t, t+τ) = x) and on the conditional pmf (brucehardie.com notes 013, 028;
 * written there for the Pareto/NBD, the BG/NBD case follows the same steps), as implemented by lifetimes'
 * `conditional_probability_of_n_purchases_up_to_time`.
 *
 * Derivation (conjugacy): given (λ, p) the history has likelihood
 *   L(λ, p) = (1-p)^x λ^x e^{-λT}  [alive at T]  +  1{x>0} p (1-p)^{x-1} λ^x e^{-λ t_x}  [dropped at t_x].
 * The "alive" term is conjugate to the Gamma(r, α) × Beta(a, b) prior, so a customer who is alive at T has
 * (λ, p) ~ Gamma(r+x, α+T) × Beta(a, b+x), and (Poisson purchases are memoryless, dropout happens only at
 * a purchase) behaves from T on like a brand-new customer with those parameters. A dropped customer buys
 * nothing. With π = P(alive | x, t_x, T):
 *
 *   P(X(T, T+t) = n | x, t_x, T) = 1{n=0} (1 - π) + π · P_BG(X(t) = n | r+x, α+T, a, b+x),
 *   P_BG(X(t) = n | r, α, a, b) = B(a, b+n)/B(a, b) · NB(n) + 1{n>0} B(a+1, b+n-1)/B(a, b) · P(N >= n),
 *
 * with N ~ NB(r, α/(α+t)) the Gamma–Poisson count over (0, t], NB(n) = P(N = n), and
 *   P(N >= n) = 1 - (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j,
 * the finite sum over j of the published closed form.
 *
 * Numerical pitfalls (each is tested in test/models/conditional-pmf.test.ts):
 * 1. The finite sum: 1 - Σ_{j<n} cancels catastrophically once P(N >= n) is small (large n, or short t):
 *    the result is rounding noise, even negative. Here P(N >= n) = I_q(n, r), the regularized incomplete
 *    beta function at q = t/(α+t), is computed by its continued fraction (see logNbdSurvival), which gives
 *    the tail directly with full relative accuracy; the complement is used only below the continued
 *    fraction's convergence boundary (above the mean), where P(N >= n) is not small — and for a tiny r,
 *    where P(N >= 1) = 1 - p^r is small itself, as P(N >= 1) - Σ_{1<=j<n} P(N = j) with expm1.
 * 2. Under/overflow: (α/(α+t))^{r+x} underflows to 0 for a heavy buyer (r+x in the thousands) and the
 *    Beta ratios and Γ(r+n)/n! over/underflow for large n; everything is carried as logarithms and combined
 *    with logAddExp. (A tail 1 - Σ_{j<n} built by a product recurrence from (α/(α+t))^{r+x} starts from
 *    an underflowed 0 and returns 1 for every n.)
 * 3. The NB coefficient Γ(r+n)/(Γ(r) n!) is formed as 1 / ((r+n) B(r, n+1)) with the cancellation-free
 *    lbeta, not as a difference of three large log-gammas.
 * 4. n = 0 carries the "already dropped out" mass 1 - π. When π is close to 1, 1 - π is formed from the
 *    log-odds (ln(1-π) = -softplus(-ln odds)), not by subtracting; x = 0 means π = 1 exactly (a BG/NBD
 *    customer cannot drop out before the first repeat purchase), and the dead term is absent, not tiny.
 * 5. t = 0 returns exactly 1{n=0}; T = t_x and x = 0 with T = 0 (a brand-new customer, which reduces to
 *    the unconditional pmf) are ordinary points.
 */
import type { BgNbdParams } from './bg-nbd.js';
import { logAddExp } from './special/clv-numerics.js';
import { lbeta } from './special/gamma.js';
import { InvalidSummaryError } from './summary-stats.js';

/** softplus(y) = ln(1 + e^y), without overflow for large y and without underflow of the 1 for small y. */
function softplus(y: number): number {
  if (y === Infinity) return Infinity;
  if (y === -Infinity) return 0;
  return y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

/**
 * ln P(alive) and ln P(dead) from the log-odds ln(P(dead)/P(alive)) of a customer's history: π = 1/(1 + e^o)
 * so ln π = -softplus(o) and ln(1 - π) = -softplus(-o). Pitfall: forming 1 - π by subtraction loses every
 * digit when π ≈ 1 (a fresh buyer); o = -Infinity (no way to be dead) gives exactly (0, -Infinity).
 *
 * @example logAliveDead(0) // { logAlive: -ln 2, logDead: -ln 2 }
 */
export function logAliveDead(logOddsDead: number): { logAlive: number; logDead: number } {
  return { logAlive: -softplus(logOddsDead), logDead: -softplus(-logOddsDead) };
}

/**
 * Input checks shared by the conditional pmfs: RangeError for a bad n or t, InvalidSummaryError (a user
 * error, as in compressRfm) for an impossible history row.
 *
 * @example checkConditionalArguments('BG/NBD', 2, 39, 0, 3, 39) // throws: t_x must be 0 when x = 0
 */
export function checkConditionalArguments(
  model: string,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer >= 0, got ${n}`);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be finite and >= 0, got ${t}`);
  const problem = !(Number.isInteger(x) && x >= 0)
    ? 'x must be an integer >= 0'
    : !(Number.isFinite(T) && T >= 0)
      ? 'T must be finite and >= 0'
      : !(t_x >= 0 && t_x <= T)
        ? 't_x must satisfy 0 <= t_x <= T'
        : x === 0 && t_x !== 0
          ? 't_x must be 0 when x = 0'
          : null;
  if (problem !== null)
    throw new InvalidSummaryError(`${model} row (x=${x}, t_x=${t_x}, T=${T}): ${problem}`);
}

function checkBgParams(model: string, p: BgNbdParams): void {
  const ok = [p.r, p.alpha, p.a, p.b].every((v) => Number.isFinite(v) && v > 0);
  if (!ok) {
    throw new RangeError(
      `${model} parameters must be finite and > 0, got r=${p.r}, alpha=${p.alpha}, a=${p.a}, b=${p.b}`,
    );
  }
}

/**
 * ln of the NB coefficient Γ(r+n)/(Γ(r) n!) = -ln((r+n) B(r, n+1)). Pitfall: the plain
 * lgamma(r+n) - lgamma(r) - lgamma(n+1) subtracts numbers of size n ln n; lbeta keeps relative accuracy.
 *
 * @example Math.exp(logNbdCoefficient(1, 5)) // 1
 */
export function logNbdCoefficient(r: number, n: number): number {
  if (n === 0) return 0;
  return -lbeta(r, n + 1) - Math.log(r + n);
}

/**
 * ln P(N = n) for N ~ NB(r, α/(α+t)), the Gamma(r, α)-mixed Poisson count over an exposure t > 0:
 * ln Γ(r+n)/(Γ(r) n!) + r ln(α/(α+t)) + n ln(t/(α+t)). Pitfall: n ln(q) is 0 · (-Infinity) = NaN at
 * n = 0 for t → 0; the n = 0 term is skipped.
 *
 * @example Math.exp(logNbdPmf(1, 1, 1, 0)) // 0.5
 */
export function logNbdPmf(r: number, alpha: number, t: number, n: number): number {
  if (t <= 0) return n === 0 ? 0 : -Infinity;
  const lnP = -Math.log1p(t / alpha); // ln(α/(α+t)), exact for t << α
  return logNbdCoefficient(r, n) + r * lnP + (n === 0 ? 0 : n * (Math.log(t) - Math.log(alpha + t)));
}

/** Relative precision at which the continued fraction stops, and its iteration cap. */
const CF_EPS = 1e-16;
const CF_MAX_ITERATIONS = 100_000;
/** Lentz's guard against a zero denominator. */
const CF_TINY = 1e-300;
/** Up to this n the small-r branch of logNbdSurvival sums the pmf directly (cost O(n)). */
const SMALL_R_MAX_TERMS = 100_000;

/**
 * ln K(x; a, b), where I_x(a, b) = x^a (1-x)^b / (a B(a, b)) · K(x; a, b) is the regularized incomplete
 * beta function and K is its continued fraction (Abramowitz & Stegun 26.5.8)
 *   K = 1 / (1 + d1 / (1 + d2 / (1 + ...))),
 *   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),   d_{2m} = m(b-m) x / ((a+2m-1)(a+2m)),
 * evaluated by the modified Lentz method. It converges quickly for x < (a+1)/(a+b+2) (the caller
 * ensures that); the number of iterations grows like sqrt(max(a, b)) near that boundary.
 */
function logBetaContinuedFraction(x: number, a: number, b: number): number {
  let f = 1;
  let c = 1;
  let d = 0;
  for (let j = 1; j <= CF_MAX_ITERATIONS; j++) {
    const m = j >> 1;
    const dj =
      j % 2 === 1
        ? (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
        : (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + dj * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + dj / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= CF_EPS) break;
  }
  return -Math.log(f);
}

/**
 * ln P(N >= n) for N ~ NB(r, α/(α+t)) (the Gamma(r, α)–Poisson count over an exposure t), with full
 * relative accuracy in the far tail.
 *
 * Method: P(N >= n) = I_q(n, r), q = t/(α+t), p = α/(α+t), and the incomplete-beta prefactor
 * q^n p^r / (n B(n, r)) is exactly P(N = n). So, with K the continued fraction of logBetaContinuedFraction:
 * - n above the mean (q < (n+1)/(n+r+2)): P(N >= n) = P(N = n) · K(q; n, r): no subtraction at all;
 * - otherwise P(N < n) = I_p(r, n) = P(N = n) · (n/r) · K(p; r, n), and P(N >= n) = 1 - P(N < n) via log1p.
 *   The boundary lies well above the mean, so P(N >= n) is not small there unless r is tiny (then
 *   P(N >= 1) = 1 - p^r is small itself); for r that small the tail is P(N >= 1) - Σ_{1<=j<n} P(N = j)
 *   with P(N >= 1) from expm1 (see below). Achieved against mpmath: ~1e-13 relative for r >= 0.01.
 *
 * @example Math.exp(logNbdSurvival(1, 1, 1, 3)) // 0.125 (geometric with success probability 1/2)
 */
export function logNbdSurvival(r: number, alpha: number, t: number, n: number): number {
  if (n <= 0) return 0;
  if (t <= 0) return -Infinity;
  const q = t / (alpha + t);
  const p = alpha / (alpha + t);
  const lnPmf = logNbdPmf(r, alpha, t, n);
  if (q < (n + 1) / (n + r + 2)) return lnPmf + logBetaContinuedFraction(q, n, r);
  // Pitfall (tiny r): then P(N >= 1) = 1 - p^r is itself small and 1 - P(N < n) loses its digits
  // (r = 1e-5: 1e-9 relative). Instead P(N >= n) = P(N >= 1) - Σ_{1<=j<n} P(N = j), with P(N >= 1) from
  // expm1; in this branch P(N >= n) is a sizeable fraction of P(N >= 1) (n is at most a few times
  // the conditional mean given N >= 1), so that difference is well conditioned. O(n) terms: capped.
  const atLeastOne = -Math.expm1(-r * Math.log1p(t / alpha)); // 1 - p^r
  if (atLeastOne < 0.5 && n <= SMALL_R_MAX_TERMS) {
    let term = Math.exp(logNbdPmf(r, alpha, t, 1));
    let middle = 0;
    for (let j = 1; j < n; j++) {
      middle += term;
      term *= ((r + j) / (j + 1)) * q;
    }
    const tail = atLeastOne - middle;
    if (tail > 0) return Math.log(tail);
  }
  const lower = Math.exp(lnPmf + Math.log(n / r) + logBetaContinuedFraction(p, r, n));
  // lower < 1 (n is below the boundary and P(N >= n) is not small); the guard only catches rounding.
  return lower < 1 ? Math.log1p(-lower) : -Infinity;
}

/**
 * ln P(X(t) = n) for a new BG/NBD customer (FHL 2005, eq. 8), in log space:
 * ln[B(a, b+n)/B(a, b) · NB(n) + 1{n>0} B(a+1, b+n-1)/B(a, b) · P(N >= n)]. Unlike bgNbdProbabilityOfN
 * (bg-nbd.ts) it stays exact for huge r (the posterior shape r + x of a heavy buyer) and returns the log of
 * probabilities far below the double range.
 *
 * @example Math.exp(bgNbdLogProbabilityOfN({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 0, 39)) // 0.5737864
 */
export function bgNbdLogProbabilityOfN(params: BgNbdParams, n: number, t: number): number {
  const { r, alpha, a, b } = params;
  if (!(Number.isInteger(n) && n >= 0)) return -Infinity;
  if (t <= 0) return n === 0 ? 0 : -Infinity;
  const lbab = lbeta(a, b);
  const stillAlive = lbeta(a, b + n) - lbab + logNbdPmf(r, alpha, t, n);
  if (n === 0) return stillAlive;
  // Dropped out at the n-th purchase, which happened by t (N >= n).
  const droppedAtN = lbeta(a + 1, b + n - 1) - lbab + logNbdSurvival(r, alpha, t, n);
  return logAddExp(stillAlive, droppedAtN);
}

/**
 * ln P(X(T, T+t) = n | x, t_x, T) under the BG/NBD model (see the module comment for the derivation and
 * the pitfalls). Use it instead of the probability when n is far in the tail (below ~1e-300).
 *
 * @example bgNbdConditionalLogProbabilityOfN({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 0, 39, 2, 30.43, 38.86) // -0.80884
 */
export function bgNbdConditionalLogProbabilityOfN(
  params: BgNbdParams,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  checkBgParams('BG/NBD', params);
  checkConditionalArguments('BG/NBD', n, t, x, t_x, T);
  const { r, alpha, a, b } = params;
  // ln odds of "dropped at t_x" vs "alive at T" (P(alive) note, eq. 2); no dropout possible when x = 0.
  const logOdds =
    x > 0 ? Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log1p((T - t_x) / (alpha + t_x)) : -Infinity;
  const { logAlive, logDead } = logAliveDead(logOdds);
  const posterior = { r: r + x, alpha: alpha + T, a, b: b + x };
  const alivePart = logAlive + bgNbdLogProbabilityOfN(posterior, n, t);
  return n === 0 ? logAddExp(logDead, alivePart) : alivePart;
}

/**
 * P(X(T, T+t) = n | x, t_x, T): the probability that a BG/NBD customer with history (x, t_x, T) makes
 * exactly n transactions in (T, T+t]. For n = 0 it includes the probability 1 - P(alive) that the
 * customer has already dropped out. Σ_n P = 1 and Σ_n n P = bgNbdConditionalExpected (to ~1e-13).
 * Throws RangeError for invalid parameters, n or t, InvalidSummaryError for an impossible row.
 *
 * @example
 * const cdnow = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
 * bgNbdConditionalProbabilityOfN(cdnow, 0, 39, 2, 30.43, 38.86); // 0.44537: no purchase in the next 39 weeks
 * bgNbdConditionalProbabilityOfN(cdnow, 1, 39, 2, 30.43, 38.86); // 0.23932
 */
export function bgNbdConditionalProbabilityOfN(
  params: BgNbdParams,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  return Math.exp(bgNbdConditionalLogProbabilityOfN(params, n, t, x, t_x, T));
}
