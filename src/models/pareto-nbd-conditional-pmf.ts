/**
 * Per-customer conditional pmf of the Pareto/NBD model: P(X(T, T+t) = n | x, t_x, T), the probability that
 * a customer with history (x repeat purchases, the last at t_x, observed for T) makes exactly n purchases
 * in the next t time units.
 *
 * Reference: Fader & Hardie (2014), "Deriving the Conditional PMF of the Pareto/NBD Model"
 * (brucehardie.com/notes/028), and for the unconditional pmf Fader & Hardie (2006/2020), "Deriving an
 * Expression for P(X(t) = x) Under the Pareto/NBD Model" (note 012); P(alive) and the likelihood as in
 * pareto-nbd.ts (FH05).
 *
 * Derivation (the steps of note 028): given (λ, μ) the history has likelihood
 *   L(λ, μ) = λ^x e^{-(λ+μ)T}  [alive at T]  +  λ^x μ ∫_{t_x}^{T} e^{-(λ+μ)τ} dτ  [died in (t_x, T]].
 * The "alive" term is conjugate to the Gamma(r, α) × Gamma(s, β) prior: a customer alive at T has
 * λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T), and (exponential lifetimes and Poisson purchases are memoryless)
 * behaves from T on like a new customer with those parameters. A dead customer buys nothing. So, with
 * π = P(alive | x, t_x, T),
 *
 *   P(X(T, T+t) = n | x, t_x, T) = 1{n=0} (1 - π) + π · P(X(t) = n | r+x, α+T, s, β+T),
 *
 * and the unconditional pmf is the lifetime mixture (note 012): with ω ~ Lomax(s, β) the lifetime and
 * NB(n; τ) the Gamma–Poisson count over an exposure τ,
 *
 *   P(X(t) = n) = (β/(β+t))^s NB(n; t) + ∫_0^t f_ω(τ) NB(n; τ) dτ.
 *
 * Choice of method: the closed form of note 028 writes the integral as a difference of Gaussian
 * hypergeometric terms minus a finite sum of n+1 further 2F1 terms; these cancel (lifetimes' implementation
 * even drops the sign of the result because the difference comes out slightly negative for large n), and
 * each 2F1 has |z| = |α-β|/(max(α,β)+T) close to 1 for short histories. It is deliberately not used.
 * Instead the one-dimensional integral over the death time is evaluated by adaptive Gauss–Kronrod
 * quadrature (as pareto-nbd.ts does for the unconditional pmf), after a substitution that makes the
 * integrand a Beta-type kernel whose peak is known in closed form:
 *
 *   u = τ/(A+τ) ∈ [0, U], U = t/(A+t)   (A = α+T, B = β+T, R = r+x, the posterior parameters):
 *   ∫_0^t f_ω(τ) NB(n; τ) dτ = C_n A s B^s ∫_0^U u^n (1-u)^{R+s-1} (B(1-u) + A u)^{-(s+1)} du,
 *   C_n = Γ(R+n)/(Γ(R) n!).
 *
 * Numerical pitfalls (each is tested in test/models/conditional-pmf.test.ts):
 * 1. A narrow peak: for a heavy buyer (R in the hundreds) or large n, u^n (1-u)^{R+s-1} is concentrated in
 *    a sliver of [0, U] that a first 15-point rule can miss entirely (the adaptive rule would then
 *    "converge" to 0). The interval is split at the kernel's mode and at geometric multiples of its width
 *    (from the curvature of its log, or from the slope when the mode lies at an end), so every panel sees
 *    a smooth integrand at its own scale. A second split at multiples of B/(A-B) catches the boundary layer
 *    of (B(1-u) + A u)^{-(s+1)} when β+T is tiny compared with α+T.
 * 2. Under/overflow: the integrand is evaluated as exp(ln h(u) - ln h_ref) with ln h_ref its largest value
 *    at the split points, so probabilities far below 1e-300 keep their logarithm; everything else is in
 *    logs (B(1-u) + A u is a sum of positive terms: no cancellation, unlike B + (A-B) u).
 * 3. The dead mass 1 - π at n = 0 comes from the log-odds (logAliveDead), not from a subtraction.
 * 4. t = 0 returns exactly 1{n=0}; the s = 1 and α = β special cases of the closed form are ordinary here.
 * Accuracy: relative 1e-12 per quadrature (Σ_n P = 1 and the mean match to ~1e-12 in the tests).
 */
import {
  checkConditionalArguments,
  logAliveDead,
  logNbdCoefficient,
  logNbdPmf,
} from './bg-nbd-conditional-pmf.js';
import type { ParetoNbdParams } from './pareto-nbd.js';
import { logParetoNbdDeathIntegral } from './pareto-nbd-integral.js';
import { integrate, logAddExp } from './special/clv-numerics.js';

function checkParams(p: ParetoNbdParams): void {
  const ok = [p.r, p.alpha, p.s, p.beta].every((v) => Number.isFinite(v) && v > 0);
  if (!ok) {
    throw new RangeError(
      `Pareto/NBD parameters must be finite and > 0, got r=${p.r}, alpha=${p.alpha}, s=${p.s}, beta=${p.beta}`,
    );
  }
}

/** Multiples of the kernel's width at which [0, U] is split (both sides of the mode). */
const SPLIT_MULTIPLES = [1, 2, 4, 8, 16, 32, 64];
/** Quadrature tolerances: relative to the whole integral; absolute per panel set (see below). */
const REL_TOL = 1e-12;

/**
 * Split points of [0, U] for the kernel u^n (1-u)^e (e = R+s-1, possibly negative) and the factor
 * (B(1-u) + A u)^{-(s+1)}: 0, U, the kernel's mode m and m ± k·w, with w its width — 1/sqrt of the
 * curvature of ln kernel at m, or 1/|slope| if the mode sits at an end and the kernel is steep there.
 */
function splitPoints(n: number, e: number, A: number, B: number, U: number): number[] {
  let m: number;
  if (n > 0 && e > 0) m = Math.min(n / (n + e), U);
  else if (n === 0 && e > 0) m = 0;
  else m = U; // non-decreasing kernel
  const curvature = (m > 0 ? n / (m * m) : 0) + e / ((1 - m) * (1 - m));
  let width = curvature > 0 ? 1 / Math.sqrt(curvature) : U;
  if (m === 0 || m === U) {
    const slope = Math.abs((m > 0 ? n / m : 0) - e / (1 - m));
    if (slope > 0) width = Math.min(width, 1 / slope);
  }
  width = Math.min(width, U);
  const points = [0, U, m];
  for (const k of SPLIT_MULTIPLES) points.push(m - k * width, m + k * width);
  if (A > B) {
    const layer = B / (A - B);
    for (const k of [0.25, 1, 4]) points.push(k * layer);
  }
  const inside = points.filter((v) => v >= 0 && v <= U).sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of inside) {
    if (out.length === 0 || v - out[out.length - 1]! > 1e-13 * U) out.push(v);
  }
  out[out.length - 1] = U; // the last point is U itself (a point just below it was merged into it)
  return out;
}

/**
 * ln P(X(t) = n) for a new Pareto/NBD customer with parameters (r, α, s, β), by quadrature over the death
 * time in the substituted form above (see the module comment). Returns the log even for probabilities
 * below the double range. The conditional pmf calls it with the posterior parameters (r+x, α+T, s, β+T).
 *
 * @example Math.exp(paretoNbdLogProbabilityOfN({ r: 0.55, alpha: 10.56, s: 0.61, beta: 11.64 }, 0, 39)) // 0.59594
 */
export function paretoNbdLogProbabilityOfN(params: ParetoNbdParams, n: number, t: number): number {
  checkParams(params);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer >= 0, got ${n}`);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be finite and >= 0, got ${t}`);
  if (t === 0) return n === 0 ? 0 : -Infinity;
  const { r: R, alpha: A, s, beta: B } = params;
  // Alive throughout (0, t]: survival (B/(B+t))^s times NB(n; t).
  const logAliveThrough = -s * Math.log1p(t / B) + logNbdPmf(R, A, t, n);
  // Died at τ in (0, t]: the substituted integral.
  const U = t / (A + t);
  const e = R + s - 1;
  const logConstant = logNbdCoefficient(R, n) + Math.log(A) + Math.log(s) + s * Math.log(B);
  const logH = (u: number): number =>
    (n === 0 ? 0 : n * Math.log(u)) + e * Math.log1p(-u) - (s + 1) * Math.log(B * (1 - u) + A * u);
  const points = splitPoints(n, e, A, B, U);
  // Reference level: the largest ln h at the split points and panel midpoints (an end point u = 0 with
  // n > 0 gives -Infinity and does not count).
  let logRef = -Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i]!;
    const hi = points[i + 1]!;
    for (const u of [lo, 0.5 * (lo + hi), hi]) {
      const v = logH(u);
      if (v > logRef) logRef = v;
    }
  }
  if (!Number.isFinite(logRef)) return logAliveThrough;
  const f = (u: number): number => Math.exp(logH(u) - logRef);
  // The integrand's maximum is >= 1 after scaling, and its mass is at least of the order of the narrowest
  // panel width; an absolute tolerance of 1e-15 of that keeps negligible far panels from over-refining.
  let minWidth = U;
  for (let i = 0; i + 1 < points.length; i++) minWidth = Math.min(minWidth, points[i + 1]! - points[i]!);
  let sum = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    sum += integrate(f, points[i]!, points[i + 1]!, {
      relTol: REL_TOL,
      absTol: 1e-15 * minWidth,
      maxPanels: 200,
    }).value;
  }
  const logDied = sum > 0 ? logConstant + logRef + Math.log(sum) : -Infinity;
  return logAddExp(logAliveThrough, logDied);
}

/**
 * ln P(X(T, T+t) = n | x, t_x, T) under the Pareto/NBD model (see the module comment). Use it instead of
 * the probability when n is far in the tail.
 *
 * @example paretoNbdConditionalLogProbabilityOfN({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 0, 52, 26, 30.86, 31) // -3.73716
 */
export function paretoNbdConditionalLogProbabilityOfN(
  params: ParetoNbdParams,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  checkParams(params);
  checkConditionalArguments('Pareto/NBD', n, t, x, t_x, T);
  const { r, alpha, s, beta } = params;
  // ln odds of "died in (t_x, T]" vs "alive at T", the same terms as paretoNbdProbabilityAlive (the common
  // factor Γ(r+x) α^r β^s / Γ(r) cancels): ln(s I(t_x, T)) - [-(r+x) ln(α+T) - s ln(β+T)].
  const logDied = Math.log(s) + logParetoNbdDeathIntegral(r, alpha, s, beta, x, t_x, T);
  const logAlive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const { logAlive: lnPi, logDead } = logAliveDead(logDied - logAlive);
  const posterior = { r: r + x, alpha: alpha + T, s, beta: beta + T };
  const alivePart = lnPi + paretoNbdLogProbabilityOfN(posterior, n, t);
  return n === 0 ? logAddExp(logDead, alivePart) : alivePart;
}

/**
 * P(X(T, T+t) = n | x, t_x, T): the probability that a Pareto/NBD customer with history (x, t_x, T) makes
 * exactly n transactions in (T, T+t]. For n = 0 it includes the probability 1 - P(alive) that the
 * customer is already dead. Σ_n P = 1 and Σ_n n P = paretoNbdConditionalExpected (to ~1e-12). About
 * 10–30 µs per call (one adaptive quadrature). Throws RangeError for invalid parameters, n or t,
 * InvalidSummaryError for an impossible row.
 *
 * @example
 * const cdnow = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 };
 * paretoNbdConditionalProbabilityOfN(cdnow, 0, 39, 2, 30.43, 38.86); // 0.40810: no purchase in 39 weeks
 */
export function paretoNbdConditionalProbabilityOfN(
  params: ParetoNbdParams,
  n: number,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  return Math.exp(paretoNbdConditionalLogProbabilityOfN(params, n, t, x, t_x, T));
}
