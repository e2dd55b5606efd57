/**
 * BG/NBD model (Fader, Hardie & Lee 2005, "'Counting Your Customers' the Easy Way: An Alternative to the
 * Pareto/NBD Model", Marketing Science 24(2), 275–284; equation numbers below refer to that paper).
 *
 * While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each transaction
 * the customer drops out with probability p ~ Beta(a, b). Data per customer: x repeat transactions, the
 * last at t_x, observed for T (time unit of the caller's choice; weeks in the paper).
 */
import { fitMaximumLikelihood, type MaximumLikelihoodFit } from './fit/maximum-likelihood.js';
import { hyp2f1 } from './special/hyp2f1.js';
import { digamma, lbeta, lgamma } from './special/gamma.js';
import type { RfmRows } from './summary-stats.js';

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export interface FitOptions {
  /** Starting points [r, alpha, a, b] (restarts); default: two data-driven starts. */
  readonly starts?: readonly (readonly [number, number, number, number])[];
  /** L2 penalty on the log-parameters (see fitMaximumLikelihood); default 0. */
  readonly penalty?: number;
  readonly maxIterations?: number;
}

export interface BgNbdFit extends Omit<MaximumLikelihoodFit, 'params' | 'standardErrors'> {
  readonly params: BgNbdParams;
  readonly standardErrors: BgNbdParams;
}

export const BG_NBD_NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Distinct values of x with an index per row, so x-only terms (log-gammas) are computed once each. */
export interface DistinctX {
  readonly values: Float64Array;
  readonly indexOf: Uint32Array;
}

/**
 * Distinct values of x (first-appearance order) and each row's index into them.
 *
 * @example distinctX(Float64Array.of(0, 2, 0)) // values [0, 2], indexOf [0, 1, 0]
 */
export function distinctX(x: Float64Array): DistinctX {
  const map = new Map<number, number>();
  const values: number[] = [];
  const indexOf = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    let k = map.get(v);
    if (k === undefined) {
      k = values.length;
      map.set(v, k);
      values.push(v);
    }
    indexOf[i] = k;
  }
  return { values: Float64Array.from(values), indexOf };
}

/** Log-likelihood and its gradient with respect to the natural parameters, prepared for one data set. */
export interface PreparedLikelihood {
  readonly logLikelihood: (params: readonly number[]) => number;
  readonly gradient: (params: readonly number[]) => number[];
}

/**
 * The BG/NBD log-likelihood of [r, alpha, a, b] (and its analytic gradient), prepared once for `data`
 * (x-only terms are computed once per distinct x). Per row (eq. 6, rearranged with
 * B(a+1, b+x-1)/B(a, b+x) = a/(b+x-1)):
 *
 *   ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b) + ln(e^{u1} + e^{u2}),
 *   u1 = -(r+x) ln(α+T),   u2 = ln a - ln(b+x-1) - (r+x) ln(α+t_x)   (u2 = -∞ when x = 0).
 *
 * Gradient: with π2 = e^{u2}/(e^{u1}+e^{u2}) and π1 = 1 - π2,
 *   ∂/∂r = ψ(r+x) - ψ(r) + ln α - π1 ln(α+T) - π2 ln(α+t_x)
 *   ∂/∂α = r/α - (r+x) (π1/(α+T) + π2/(α+t_x))
 *   ∂/∂a = ψ(a+b) - ψ(a+b+x) + π2/a
 *   ∂/∂b = ψ(b+x) - ψ(b) + ψ(a+b) - ψ(a+b+x) - π2/(b+x-1).
 *
 * Pitfalls: the two terms are combined by log-sum-exp (the powers under- or overflow for large x); for
 * x = 0 the second term is absent, not merely small (b+x-1 = b-1 can be <= 0); π2 is formed as
 * 1/(1 + e^{u1-u2}), which is exact in both tails; the total is a compensated (Neumaier) sum, so the
 * rounding noise of 1e5 rows does not swamp the finite differences of the Hessian.
 *
 * @example const { logLikelihood, gradient } = prepareBgNbdLikelihood(compressRfm(x, t_x, T));
 */
export function prepareBgNbdLikelihood(data: RfmRows): PreparedLikelihood {
  const dx = distinctX(data.x);
  const nx = dx.values.length;
  const cx = new Float64Array(nx);
  const lnRatio = new Float64Array(nx);
  const { x, t_x: tx, T, weight } = data;
  const n = x.length;
  const logLikelihood = (params: readonly number[]): number => {
    const [r, alpha, a, b] = params as [number, number, number, number];
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
    const base = -lgamma(r) - lbeta(a, b);
    for (let k = 0; k < nx; k++) {
      const xv = dx.values[k]!;
      cx[k] = lgamma(r + xv) + lbeta(a, b + xv) + base;
      lnRatio[k] = xv > 0 ? Math.log(a) - Math.log(b + xv - 1) : 0;
    }
    const lnAlpha = Math.log(alpha);
    let total = 0;
    let comp = 0; // Neumaier compensation: the sum of 1e5 terms would otherwise carry ~1e-9 of noise
    for (let i = 0; i < n; i++) {
      const k = dx.indexOf[i]!;
      const xi = x[i]!;
      const rx = r + xi;
      let ll = -rx * Math.log(alpha + T[i]!);
      if (xi > 0) {
        const u2 = lnRatio[k]! - rx * Math.log(alpha + tx[i]!);
        // log-sum-exp of (ll, u2)
        ll = ll > u2 ? ll + Math.log1p(Math.exp(u2 - ll)) : u2 + Math.log1p(Math.exp(ll - u2));
      }
      const term = weight[i]! * (cx[k]! + r * lnAlpha + ll);
      const t = total + term;
      comp += Math.abs(total) >= Math.abs(term) ? total - t + term : term - t + total;
      total = t;
    }
    return total + comp;
  };
  const dr = new Float64Array(nx);
  const da = new Float64Array(nx);
  const db = new Float64Array(nx);
  const invB = new Float64Array(nx);
  const gradient = (params: readonly number[]): number[] => {
    const [r, alpha, a, b] = params as [number, number, number, number];
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return [NaN, NaN, NaN, NaN];
    const psiR = digamma(r);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    for (let k = 0; k < nx; k++) {
      const xv = dx.values[k]!;
      const psiABX = digamma(a + b + xv);
      dr[k] = digamma(r + xv) - psiR;
      da[k] = psiAB - psiABX;
      db[k] = digamma(b + xv) - psiB + psiAB - psiABX;
      lnRatio[k] = xv > 0 ? Math.log(a) - Math.log(b + xv - 1) : 0;
      invB[k] = xv > 0 ? 1 / (b + xv - 1) : 0;
    }
    const lnAlpha = Math.log(alpha);
    let gr = 0;
    let ga = 0;
    let gA = 0;
    let gB = 0;
    let sw = 0;
    for (let i = 0; i < n; i++) {
      const k = dx.indexOf[i]!;
      const w = weight[i]!;
      const xi = x[i]!;
      const rx = r + xi;
      const lT = Math.log(alpha + T[i]!);
      sw += w;
      if (xi > 0) {
        const ltx = Math.log(alpha + tx[i]!);
        const u1 = -rx * lT;
        const u2 = lnRatio[k]! - rx * ltx;
        const pi2 = 1 / (1 + Math.exp(u1 - u2));
        const pi1 = 1 - pi2;
        gr += w * (dr[k]! - pi1 * lT - pi2 * ltx);
        ga -= w * rx * (pi1 / (alpha + T[i]!) + pi2 / (alpha + tx[i]!));
        gA += w * (da[k]! + pi2 / a);
        gB += w * (db[k]! - pi2 * invB[k]!);
      } else {
        gr -= w * lT;
        ga -= (w * r) / (alpha + T[i]!);
      }
    }
    return [gr + sw * lnAlpha, ga + (sw * r) / alpha, gA, gB];
  };
  return { logLikelihood, gradient };
}

/**
 * The BG/NBD log-likelihood as a function of [r, alpha, a, b] for `data` (see prepareBgNbdLikelihood).
 *
 * @example bgNbdLogLikelihoodFunction(rows)([0.243, 4.414, 0.793, 2.426])
 */
export function bgNbdLogLikelihoodFunction(data: RfmRows): (params: readonly number[]) => number {
  return prepareBgNbdLikelihood(data).logLikelihood;
}

/**
 * Total BG/NBD log-likelihood of `params` for compressed (or raw) rows.
 *
 * @example bgNbdLogLikelihood({ r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 }, cdnow) // -9582.43
 */
export function bgNbdLogLikelihood(params: BgNbdParams, data: RfmRows): number {
  return bgNbdLogLikelihoodFunction(data)([params.r, params.alpha, params.a, params.b]);
}

/**
 * Data-driven starting points [r, α, a, b] for BG/NBD-type fits: mean rate r/α equal to the observed
 * repeat rate Σx/ΣT, moderate heterogeneity and dropout; two of them (restarts).
 *
 * @example defaultStarts(data) // [[1, 1/rate, 1, 1], [0.5, 0.5/rate, 0.5, 2]]
 */
export function defaultStarts(data: RfmRows): [number, number, number, number][] {
  let sw = 0;
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i]!;
    sw += w;
    sx += w * data.x[i]!;
    sT += w * data.T[i]!;
  }
  const rate = sx > 0 ? sx / sT : 1 / Math.max(sT / Math.max(sw, 1), 1);
  return [
    [1, 1 / rate, 1, 1],
    [0.5, 0.5 / rate, 0.5, 2],
  ];
}

function toParams(v: readonly number[]): BgNbdParams {
  return { r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! };
}

/**
 * Fit BG/NBD by maximum likelihood on compressed rows (see compressRfm).
 *
 * Reference values (CDNOW 1/10 sample, 2,357 customers, weeks): r = 0.2426, α = 4.414, a = 0.793,
 * b = 2.426, LL = -9582.43 (FHL 2005, section 5; CLVTools and lifetimes reproduce them).
 *
 * @example
 * const data = compressRfm(x, t_x, T);
 * const fit = fitBgNbd(data); // fit.params.r, fit.standardErrors.r, fit.converged, fit.message
 */
export function fitBgNbd(data: RfmRows, options: FitOptions = {}): BgNbdFit {
  const prepared = prepareBgNbdLikelihood(data);
  const fit = fitMaximumLikelihood({
    names: BG_NBD_NAMES,
    logLikelihood: prepared.logLikelihood,
    gradient: prepared.gradient,
    starts: options.starts ?? defaultStarts(data),
    ...(options.penalty === undefined ? {} : { penalty: options.penalty }),
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  return {
    ...fit,
    params: toParams(fit.values),
    standardErrors: toParams(BG_NBD_NAMES.map((k) => fit.standardErrors[k]!)),
  };
}

/**
 * P(alive | x, t_x, T) (FHL 2005 note "Computing P(alive) using the BG/NBD model", eq. 2):
 * 1 / (1 + 1{x>0} · a/(b+x-1) · ((α+T)/(α+t_x))^{r+x}).
 *
 * Pitfall: the power overflows for large x; it is formed in logs (log1p of (T-t_x)/(α+t_x)), and
 * exp(+huge) = Infinity correctly gives 0.
 *
 * @example bgNbdProbabilityAlive(cdnowFit, 2, 30.43, 38.86) // ≈ 0.7266 with the CDNOW fit
 */
export function bgNbdProbabilityAlive(p: BgNbdParams, x: number, t_x: number, T: number): number {
  if (x <= 0) return 1;
  const lnOdds = Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * Math.log1p((T - t_x) / (p.alpha + t_x));
  return 1 / (1 + Math.exp(lnOdds));
}

/** Removable singularity at a = 1 of the expectations ((a-1) in the denominator). */
const A_NEAR_ONE = 1e-6;
const A_STEP = 1e-4;

/**
 * Evaluate g(a) where g has a removable singularity at a = 1: next to it, average g(1 ± h) around a
 * (error O(h²) ≈ 1e-8 relative), since the closed form there is 0/0.
 */
export function aroundOne(a: number, g: (a: number) => number): number {
  if (Math.abs(a - 1) >= A_NEAR_ONE) return g(a);
  return (g(a + A_STEP) + g(a - A_STEP)) / 2;
}

/**
 * Unconditional expected number of repeat transactions in (0, t] for a new customer (eq. 9):
 * E[X(t)] = (a+b-1)/(a-1) · [1 - (α/(α+t))^r · 2F1(r, b; a+b-1; t/(α+t))].
 *
 * @example bgNbdExpectedTransactions(cdnowFit, 32) // ≈ 1.0437 (CDNOW fit, weeks)
 */
export function bgNbdExpectedTransactions(p: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const z = t / (alpha + t);
  return aroundOne(p.a, (a) => {
    const power = Math.exp(-r * Math.log1p(t / alpha));
    return ((a + b - 1) / (a - 1)) * (1 - power * hyp2f1(r, b, a + b - 1, z));
  });
}

/**
 * Conditional expected number of transactions in (T, T+t] given (x, t_x, T) (eq. 10):
 * E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^{r+x} · 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))]
 *                        / (1 + 1{x>0} · a/(b+x-1) · ((α+T)/(α+t_x))^{r+x}).
 *
 * @example bgNbdConditionalExpected(cdnowFit, 39, 2, 30.43, 38.86) // ≈ 1.226
 */
export function bgNbdConditionalExpected(
  p: BgNbdParams,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const rx = r + x;
  const z = t / (alpha + T + t);
  const power = Math.exp(-rx * Math.log1p(t / (alpha + T)));
  const numerator = aroundOne(
    p.a,
    (a) => ((a + b + x - 1) / (a - 1)) * (1 - power * hyp2f1(rx, b + x, a + b + x - 1, z)),
  );
  return numerator * bgNbdProbabilityAlive(p, x, t_x, T);
}

/**
 * P(N(t) >= n) for the negative binomial N(t) ~ NB(r, α/(α+t)) (the Gamma–Poisson count over (0, t]).
 *
 * Pitfall: 1 - Σ_{j<n} P(N=j) cancels catastrophically when the sum is close to 1 (large n for small t,
 * where the tail is 1e-20 or less and the difference could even come out negative); then the tail is
 * summed directly, Σ_{j>=n} P(N=j), whose terms eventually fall geometrically (ratio (r+j)/(j+1)·t/(α+t)).
 *
 * @example nbdTail(1, 1, 1, 1) // 0.5 (geometric with success probability 1/2)
 */
export function nbdTail(r: number, alpha: number, t: number, n: number): number {
  if (n <= 0) return 1;
  const lnP = -Math.log1p(t / alpha); // ln(α/(α+t))
  const lnQ = Math.log(t) - Math.log(alpha + t); // ln(t/(α+t))
  const q = Math.exp(lnQ);
  // Σ_{j<n} P(N = j) by the term recurrence.
  let term = Math.exp(r * lnP);
  let below = 0;
  for (let j = 0; j < n; j++) {
    below += term;
    term *= ((r + j) / (j + 1)) * q;
  }
  if (below <= 0.5) return 1 - below;
  // Direct tail from j = n: first term in logs (it may underflow as a product).
  let t0 = Math.exp(lgamma(r + n) - lgamma(r) - lgamma(n + 1) + r * lnP + n * lnQ);
  let tail = 0;
  for (let j = n; j < n + 1_000_000; j++) {
    tail += t0;
    const ratio = ((r + j) / (j + 1)) * q;
    t0 *= ratio;
    if (ratio < 1 && t0 / (1 - ratio) <= 1e-17 * tail) break;
    if (t0 === 0) break;
  }
  return tail;
}

/**
 * ln of the NB(r, α/(α+t)) probability of n (the Gamma(r, α)-mixed Poisson count over (0, t]).
 *
 * @example Math.exp(nbdLogPmf(1, 1, 1, 0)) // 0.5
 */
export function nbdLogPmf(r: number, alpha: number, t: number, n: number): number {
  return (
    lgamma(r + n) -
    lgamma(r) -
    lgamma(n + 1) -
    r * Math.log1p(t / alpha) +
    (n === 0 ? 0 : n * (Math.log(t) - Math.log(alpha + t)))
  );
}

/**
 * P(X(t) = n): probability of n repeat transactions in (0, t] for a new customer (eq. 8):
 * B(a, b+n)/B(a, b) · NB(n) + 1{n>0} · B(a+1, b+n-1)/B(a, b) · P(NB >= n).
 *
 * @example bgNbdProbabilityOfN({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 0, 39) // 0.5737864
 */
export function bgNbdProbabilityOfN(p: BgNbdParams, n: number, t: number): number {
  const { r, alpha, a, b } = p;
  if (!Number.isInteger(n) || n < 0) return 0;
  if (t <= 0) return n === 0 ? 1 : 0;
  const lbab = lbeta(a, b);
  const first = Math.exp(lbeta(a, b + n) - lbab + nbdLogPmf(r, alpha, t, n));
  if (n === 0) return first;
  return first + Math.exp(lbeta(a + 1, b + n - 1) - lbab) * nbdTail(r, alpha, t, n);
}

/** Per-row predictions for a horizon t: P(alive) and E[Y(t) | x, t_x, T] (Float64Array per row). */
export interface RowPredictions {
  readonly probabilityAlive: Float64Array;
  readonly expectedTransactions: Float64Array;
}

/**
 * Predictions for every row of `data` (compressed rows: expand with `rowOf` for customers).
 *
 * @example const pred = bgNbdPredict(fit.params, data, 52); pred.expectedTransactions[data.rowOf[i]]
 */
export function bgNbdPredict(p: BgNbdParams, data: RfmRows, t: number): RowPredictions {
  const n = data.x.length;
  const probabilityAlive = new Float64Array(n);
  const expectedTransactions = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    probabilityAlive[i] = bgNbdProbabilityAlive(p, data.x[i]!, data.t_x[i]!, data.T[i]!);
    expectedTransactions[i] = bgNbdConditionalExpected(p, t, data.x[i]!, data.t_x[i]!, data.T[i]!);
  }
  return { probabilityAlive, expectedTransactions };
}
