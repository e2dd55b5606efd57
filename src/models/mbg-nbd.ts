/**
 * MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and comparison of models for
 * customer base analysis", International Journal of Research in Marketing 24(3), 201–209; with the
 * corrections of Wagner & Hoppe 2008, "Erratum on the MBG/NBD model", IJRM 25(3), 225–226). It is also
 * BTYDplus's MBG/CNBD-k with k = 1.
 *
 * As BG/NBD (λ ~ Gamma(r, α), p ~ Beta(a, b)), except that a customer may also drop out right at the
 * first purchase (time 0), so customers without repeat purchases can be inactive too: P(alive) < 1 for
 * x = 0.
 */
import {
  bgNbdAliveExpected,
  aroundOne,
  defaultStarts,
  distinctX,
  nbdLogPmf,
  nbdTail,
  type BgNbdFit,
  type BgNbdParams,
  type FitOptions,
  type PreparedLikelihood,
  type RowPredictions,
} from './bg-nbd.js';
import { fitMaximumLikelihood } from './fit/maximum-likelihood.js';
import { digamma, lbeta, lgamma } from './special/gamma.js';
import { hyp2f1 } from './special/hyp2f1.js';
import type { RfmRows } from './summary-stats.js';

/** Same parameter names and meaning as BG/NBD. */
export type MbgNbdParams = BgNbdParams;
export type MbgNbdFit = BgNbdFit;

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/**
 * The MBG/NBD log-likelihood of [r, alpha, a, b] and its gradient, prepared once for `data`. Per row
 * (Batislam et al. 2007 eq. 3 as corrected by Wagner & Hoppe 2008; B(a+1, b+x)/B(a, b+x+1) = a/(b+x)):
 *
 *   ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x+1) - ln B(a, b) + ln(e^{u1} + e^{u2}),
 *   u1 = -(r+x) ln(α+T),   u2 = ln a - ln(b+x) - (r+x) ln(α+t_x)   (for every x, including x = 0).
 *
 * Gradient, with π2 = e^{u2}/(e^{u1}+e^{u2}), π1 = 1 - π2:
 *   ∂/∂r = ψ(r+x) - ψ(r) + ln α - π1 ln(α+T) - π2 ln(α+t_x)
 *   ∂/∂α = r/α - (r+x) (π1/(α+T) + π2/(α+t_x))
 *   ∂/∂a = ψ(a+b) - ψ(a+b+x+1) + π2/a
 *   ∂/∂b = ψ(b+x+1) - ψ(b) + ψ(a+b) - ψ(a+b+x+1) - π2/(b+x).
 * Pitfall: log-sum-exp for the two terms; π2 as 1/(1 + e^{u1-u2}); compensated summation.
 *
 * @example const { logLikelihood } = prepareMbgNbdLikelihood(rows); logLikelihood([0.525, 6.183, 0.891, 1.614])
 */
export function prepareMbgNbdLikelihood(data: RfmRows): PreparedLikelihood {
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
    const lnA = Math.log(a);
    for (let k = 0; k < nx; k++) {
      const xv = dx.values[k]!;
      cx[k] = lgamma(r + xv) + lbeta(a, b + xv + 1) + base;
      lnRatio[k] = lnA - Math.log(b + xv);
    }
    const lnAlpha = Math.log(alpha);
    let total = 0;
    let comp = 0; // Neumaier-compensated sum
    for (let i = 0; i < n; i++) {
      const k = dx.indexOf[i]!;
      const rx = r + x[i]!;
      const u1 = -rx * Math.log(alpha + T[i]!);
      const u2 = lnRatio[k]! - rx * Math.log(alpha + tx[i]!);
      const ll = u1 > u2 ? u1 + Math.log1p(Math.exp(u2 - u1)) : u2 + Math.log1p(Math.exp(u1 - u2));
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
    const lnA = Math.log(a);
    for (let k = 0; k < nx; k++) {
      const xv = dx.values[k]!;
      const psiABX = digamma(a + b + xv + 1);
      dr[k] = digamma(r + xv) - psiR;
      da[k] = psiAB - psiABX;
      db[k] = digamma(b + xv + 1) - psiB + psiAB - psiABX;
      lnRatio[k] = lnA - Math.log(b + xv);
      invB[k] = 1 / (b + xv);
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
      const rx = r + x[i]!;
      const lT = Math.log(alpha + T[i]!);
      const ltx = Math.log(alpha + tx[i]!);
      const pi2 = 1 / (1 + Math.exp(-rx * lT - (lnRatio[k]! - rx * ltx)));
      const pi1 = 1 - pi2;
      sw += w;
      gr += w * (dr[k]! - pi1 * lT - pi2 * ltx);
      ga -= w * rx * (pi1 / (alpha + T[i]!) + pi2 / (alpha + tx[i]!));
      gA += w * (da[k]! + pi2 / a);
      gB += w * (db[k]! - pi2 * invB[k]!);
    }
    return [gr + sw * lnAlpha, ga + (sw * r) / alpha, gA, gB];
  };
  return { logLikelihood, gradient };
}

/**
 * Total MBG/NBD log-likelihood of `params` for compressed (or raw) rows.
 *
 * @example mbgNbdLogLikelihood({ r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }, cdnow)
 */
export function mbgNbdLogLikelihood(params: MbgNbdParams, data: RfmRows): number {
  return prepareMbgNbdLikelihood(data).logLikelihood([params.r, params.alpha, params.a, params.b]);
}

function toParams(v: readonly number[]): MbgNbdParams {
  return { r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! };
}

/**
 * Fit MBG/NBD by maximum likelihood on compressed rows.
 *
 * Reference values (CDNOW, weeks; lifetimes' tests, BTYDplus): r = 0.525, α = 6.183, a = 0.891, b = 1.614.
 *
 * @example const fit = fitMbgNbd(compressRfm(x, t_x, T)); fit.params.b
 */
export function fitMbgNbd(data: RfmRows, options: FitOptions = {}): MbgNbdFit {
  const prepared = prepareMbgNbdLikelihood(data);
  const fit = fitMaximumLikelihood({
    names: NAMES,
    logLikelihood: prepared.logLikelihood,
    gradient: prepared.gradient,
    starts: options.starts ?? defaultStarts(data),
    ...(options.penalty === undefined ? {} : { penalty: options.penalty }),
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  return {
    ...fit,
    params: toParams(fit.values),
    standardErrors: toParams(NAMES.map((k) => fit.standardErrors[k]!)),
  };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^{r+x}) (Batislam et al. 2007, appendix,
 * eq. 5); below 1 also for x = 0.
 *
 * @example mbgNbdProbabilityAlive(params, 0, 0, 38.86) // < 1
 */
export function mbgNbdProbabilityAlive(p: MbgNbdParams, x: number, t_x: number, T: number): number {
  const lnOdds = Math.log(p.a) - Math.log(p.b + x) + (p.r + x) * Math.log1p((T - t_x) / (p.alpha + t_x));
  return 1 / (1 + Math.exp(lnOdds));
}

/**
 * Unconditional E[X(t)] = b/(a-1) · [1 - (α/(α+t))^r · 2F1(r, b+1; a+b; t/(α+t))]
 * (Batislam et al. 2007, eq. 6). Removable singularity at a = 1 handled as in BG/NBD.
 *
 * @example mbgNbdExpectedTransactions(params, 39)
 */
export function mbgNbdExpectedTransactions(p: MbgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, b } = p;
  const z = t / (alpha + t);
  const power = Math.exp(-r * Math.log1p(t / alpha));
  return aroundOne(p.a, (a) => (b / (a - 1)) * (1 - power * hyp2f1(r, b + 1, a + b, z)));
}

/**
 * Conditional expected transactions in (T, T+t] (Wagner & Hoppe 2008, eq. 4):
 * (a+b+x)/(a-1) · [1 - ((α+T)/(α+T+t))^{r+x} · 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive | x, t_x, T).
 *
 * @example mbgNbdConditionalExpected(params, 39, 2, 30.43, 38.86)
 */
export function mbgNbdConditionalExpected(
  p: MbgNbdParams,
  t: number,
  x: number,
  t_x: number,
  T: number,
): number {
  if (t <= 0) return 0;
  // Alive at T, an MBG/NBD customer's future is a BG/NBD process with b + 1 in place of b (the time-0
  // dropout is behind them), so the BG/NBD alive expectation, with its large-x guard, applies.
  return bgNbdAliveExpected({ ...p, b: p.b + 1 }, t, x, T) * mbgNbdProbabilityAlive(p, x, t_x, T);
}

/**
 * P(X(t) = n) = B(a, b+n+1)/B(a, b) · NB(n) + B(a+1, b+n)/B(a, b) · P(NB >= n), NB = NB(r, α/(α+t)); the
 * second term at n = 0 is the probability a/(a+b) of dropping out at time 0. The tail is summed directly
 * when 1 - CDF would cancel (see nbdTail).
 *
 * @example mbgNbdProbabilityOfN(params, 0, 39)
 */
export function mbgNbdProbabilityOfN(p: MbgNbdParams, n: number, t: number): number {
  const { r, alpha, a, b } = p;
  if (!Number.isInteger(n) || n < 0) return 0;
  if (t <= 0) return n === 0 ? 1 : 0;
  const lbab = lbeta(a, b);
  const first = Math.exp(lbeta(a, b + n + 1) - lbab + nbdLogPmf(r, alpha, t, n));
  return first + Math.exp(lbeta(a + 1, b + n) - lbab) * nbdTail(r, alpha, t, n);
}

/**
 * Predictions for every row of `data` (compressed rows: expand with `rowOf`).
 *
 * @example mbgNbdPredict(fit.params, rows, 52).probabilityAlive
 */
export function mbgNbdPredict(p: MbgNbdParams, data: RfmRows, t: number): RowPredictions {
  const n = data.x.length;
  const probabilityAlive = new Float64Array(n);
  const expectedTransactions = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    probabilityAlive[i] = mbgNbdProbabilityAlive(p, data.x[i]!, data.t_x[i]!, data.T[i]!);
    expectedTransactions[i] = mbgNbdConditionalExpected(p, t, data.x[i]!, data.t_x[i]!, data.T[i]!);
  }
  return { probabilityAlive, expectedTransactions };
}
