/**
 * Shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, "How to Project
 * Customer Retention", Journal of Interactive Marketing 21(1), 76-90; cited as "FH07"). Each customer
 * renews at the end of every period with her own probability 1 - theta, theta ~ Beta(alpha, beta), until
 * she cancels. Discounted expected (residual) lifetimes follow Fader & Hardie (2010), "Customer-Base
 * Valuation in a Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing Science 29(1),
 * 85-93 ("FH10").
 *
 * Periods are counted from the acquisition: t = 1 is the first renewal decision. S(t) is the share of a
 * cohort still active after t periods (S(0) = 1).
 */
import { UserError } from '../util/errors.js';
import { fitMaximumLikelihood, type MaximumLikelihoodFit } from './fit/maximum-likelihood.js';
import { lbeta } from './special/gamma.js';
import { hyp2f1 } from './special/hyp2f1.js';

/** sBG parameters: churn probability theta ~ Beta(alpha, beta). */
export interface SbgParams {
  readonly alpha: number;
  readonly beta: number;
}

/**
 * Retention data as customers at risk and customers lost per period t = 1, 2, ...: atRisk[t-1] customers
 * were active at the start of period t and lost[t-1] of them cancelled at its end. Pooling several cohorts
 * (adding their counts by period since acquisition) is exact under the model.
 */
export interface SbgRiskTable {
  readonly atRisk: readonly number[];
  readonly lost: readonly number[];
}

/**
 * Either a survivor curve of one cohort (active customers at t = 0, 1, 2, ...) or a risk table. Counts
 * should be numbers of customers: percentages give the same estimates, but standard errors as if the
 * cohort had 100 customers.
 */
export type SbgData = { readonly survivors: readonly number[] } | SbgRiskTable;

/** A fit: the shared optimiser's result (covariance of (alpha, beta), converged, message, ...), typed. */
export interface SbgFit extends Omit<MaximumLikelihoodFit, 'params' | 'standardErrors'> {
  readonly params: SbgParams;
  readonly standardErrors: SbgParams;
}

/** Retention data the sBG model cannot take (a UserError: the CLI prints the message). */
export class InvalidRetentionDataError extends UserError {}

export interface SbgFitOptions {
  readonly starts?: readonly SbgParams[];
  readonly penalty?: number;
  readonly maxIterations?: number;
}

function checkParams(p: SbgParams): void {
  if (!(p.alpha > 0 && p.beta > 0 && Number.isFinite(p.alpha) && Number.isFinite(p.beta))) {
    throw new RangeError(`sBG parameters must be finite and > 0, got alpha=${p.alpha}, beta=${p.beta}`);
  }
}

function checkPeriod(t: number, name = 't'): void {
  if (!(Number.isInteger(t) && t >= 0)) throw new RangeError(`${name} must be an integer >= 0, got ${t}`);
}

/**
 * Risk table of one cohort from its survivor curve: atRisk[t-1] = survivors[t-1],
 * lost[t-1] = survivors[t-1] - survivors[t].
 *
 * @example sbgRiskTableFromSurvivors([1000, 631, 468]) // { atRisk: [1000, 631], lost: [369, 163] }
 */
export function sbgRiskTableFromSurvivors(survivors: readonly number[]): SbgRiskTable {
  if (survivors.length < 2) {
    throw new InvalidRetentionDataError('a survivor curve needs at least two points (t = 0 and t = 1)');
  }
  const atRisk: number[] = [];
  const lost: number[] = [];
  for (let t = 1; t < survivors.length; t++) {
    const before = survivors[t - 1]!;
    const after = survivors[t]!;
    if (!(Number.isFinite(after) && after >= 0 && after <= before)) {
      throw new InvalidRetentionDataError(
        `survivors must be finite, >= 0 and non-increasing; got ${before} then ${after}`,
      );
    }
    atRisk.push(before);
    lost.push(before - after);
  }
  return { atRisk, lost };
}

/**
 * Pooled risk table of several cohorts observed for different lengths (e.g. yearly acquisition cohorts):
 * counts are added by period since acquisition; each cohort contributes only the periods it was observed.
 *
 * @example sbgRiskTableFromCohorts([[10000, 8000, 6480], [10000, 8000]])
 */
export function sbgRiskTableFromCohorts(cohorts: readonly (readonly number[])[]): SbgRiskTable {
  const atRisk: number[] = [];
  const lost: number[] = [];
  for (const survivors of cohorts) {
    const table = sbgRiskTableFromSurvivors(survivors);
    table.atRisk.forEach((v, i) => (atRisk[i] = (atRisk[i] ?? 0) + v));
    table.lost.forEach((v, i) => (lost[i] = (lost[i] ?? 0) + v));
  }
  return { atRisk, lost };
}

function toRiskTable(data: SbgData): SbgRiskTable {
  const table = 'survivors' in data ? sbgRiskTableFromSurvivors(data.survivors) : data;
  if (table.atRisk.length !== table.lost.length || table.atRisk.length === 0) {
    throw new InvalidRetentionDataError('atRisk and lost must be non-empty and of the same length');
  }
  table.atRisk.forEach((n, i) => {
    const l = table.lost[i]!;
    if (!(Number.isFinite(n) && Number.isFinite(l) && l >= 0 && l <= n)) {
      throw new InvalidRetentionDataError(
        `period ${i + 1}: need 0 <= lost <= atRisk, got lost=${l}, atRisk=${n}`,
      );
    }
  });
  return table;
}

/**
 * Log-likelihood of a risk table: sum_t lost_t ln(1 - r(t)) + (atRisk_t - lost_t) ln r(t), with the
 * retention rate r(t) = (beta + t - 1)/(alpha + beta + t - 1) (FH07 eq. 8) and 1 - r(t) =
 * alpha/(alpha + beta + t - 1). For one cohort this telescopes into the FH07 likelihood,
 * sum_t (n_{t-1} - n_t) ln P(T = t) + n_k ln S(k). Each factor is a simple ratio, so there is nothing to
 * underflow however many periods there are.
 */
function riskTableLogLikelihood(p: SbgParams, table: SbgRiskTable): number {
  if (!(p.alpha > 0 && p.beta > 0 && Number.isFinite(p.alpha) && Number.isFinite(p.beta))) return -Infinity;
  let ll = 0;
  for (let i = 0; i < table.atRisk.length; i++) {
    const lost = table.lost[i]!;
    const kept = table.atRisk[i]! - lost;
    const denominator = Math.log(p.alpha + p.beta + i); // period t = i + 1
    if (lost > 0) ll += lost * (Math.log(p.alpha) - denominator);
    if (kept > 0) ll += kept * (Math.log(p.beta + i) - denominator);
  }
  return Number.isNaN(ll) ? -Infinity : ll;
}

/**
 * sBG log-likelihood of a survivor curve or a risk table (FH07 likelihood).
 *
 * @example sbgLogLikelihood({ alpha: 1, beta: 1 }, { survivors: [1000, 869, 743] })
 */
export function sbgLogLikelihood(params: SbgParams, data: SbgData): number {
  checkParams(params);
  return riskTableLogLikelihood(params, toRiskTable(data));
}

/**
 * Maximum-likelihood fit of the sBG model (FH07). On the seven-year curves of FH07 Table 1:
 * "regular" (1000, 631, 468, 382, 326, 289, 262, 241) gives alpha = 0.704, beta = 1.182; "high end"
 * (1000, 869, 743, 653, 593, 551, 517, 491) gives alpha = 0.668, beta = 3.806.
 *
 * @example fitSbg({ survivors: [1000, 869, 743, 653, 593, 551, 517, 491] }).params // { alpha: 0.668, beta: 3.806 }
 */
export function fitSbg(data: SbgData, options: SbgFitOptions = {}): SbgFit {
  const table = toRiskTable(data);
  const starts = (
    options.starts ?? [
      { alpha: 1, beta: 1 },
      { alpha: 1, beta: 5 },
    ]
  ).map((p) => {
    checkParams(p);
    return [p.alpha, p.beta];
  });
  const fit = fitMaximumLikelihood({
    names: ['alpha', 'beta'],
    logLikelihood: (v) => riskTableLogLikelihood({ alpha: v[0]!, beta: v[1]! }, table),
    starts,
    ...(options.penalty !== undefined ? { penalty: options.penalty } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
  });
  return {
    ...fit,
    params: { alpha: fit.params.alpha!, beta: fit.params.beta! },
    standardErrors: { alpha: fit.standardErrors.alpha!, beta: fit.standardErrors.beta! },
  };
}

/**
 * Survival S(t) = B(alpha, beta + t) / B(alpha, beta) (FH07): expected share of a cohort still active
 * after t periods. Computed as a log-beta difference (no underflow for large t).
 *
 * @example sbgSurvival({ alpha: 0.668, beta: 3.806 }, 7) // ~0.49
 */
export function sbgSurvival(params: SbgParams, t: number): number {
  checkParams(params);
  checkPeriod(t);
  return Math.exp(lbeta(params.alpha, params.beta + t) - lbeta(params.alpha, params.beta));
}

/**
 * P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta), t >= 1: probability of cancelling at the end of
 * period t (FH07; eq. 7 gives it recursively).
 *
 * @example sbgChurnProbability({ alpha: 0.668, beta: 3.806 }, 1) // alpha / (alpha + beta) = 0.149
 */
export function sbgChurnProbability(params: SbgParams, t: number): number {
  checkParams(params);
  checkPeriod(t);
  if (t === 0) throw new RangeError('t must be >= 1');
  return Math.exp(lbeta(params.alpha + 1, params.beta + t - 1) - lbeta(params.alpha, params.beta));
}

/**
 * Retention rate r(t) = S(t)/S(t-1) = (beta + t - 1)/(alpha + beta + t - 1), t >= 1 (FH07 eq. 8): it rises
 * with t because the cohort sorts itself (the most churn-prone leave first).
 *
 * @example sbgRetentionRate({ alpha: 0.704, beta: 1.182 }, 1) // 0.627
 */
export function sbgRetentionRate(params: SbgParams, t: number): number {
  checkParams(params);
  checkPeriod(t);
  if (t === 0) throw new RangeError('t must be >= 1');
  return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

/**
 * Projected survivors of a cohort of `initial` customers for t = 0..periods: initial * S(t).
 *
 * @example sbgProjectSurvivors({ alpha: 0.704, beta: 1.182 }, 1000, 12)
 */
export function sbgProjectSurvivors(params: SbgParams, initial: number, periods: number): number[] {
  checkParams(params);
  checkPeriod(periods, 'periods');
  const out = [initial];
  let s = 1;
  for (let t = 1; t <= periods; t++) {
    s *= (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
    out.push(initial * s);
  }
  return out;
}

function checkDiscount(d: number): void {
  if (!(Number.isFinite(d) && d >= 0))
    throw new RangeError(`discount rate d must be finite and >= 0, got ${d}`);
}

/**
 * DEL(d | alpha, beta) = sum_{t>=0} S(t)/(1+d)^t = 2F1(1, beta; alpha+beta; 1/(1+d)) (FH10):
 * discounted expected lifetime, in periods, of a customer at acquisition (the first period counts 1).
 * Multiply by the margin per period for a CLV. +Infinity when d = 0 and alpha <= 1 (the mean lifetime is
 * infinite).
 *
 * @example sbgDiscountedExpectedLifetime({ alpha: 3.8, beta: 15.2 }, 0.1)
 */
export function sbgDiscountedExpectedLifetime(params: SbgParams, d: number): number {
  checkParams(params);
  checkDiscount(d);
  // Pitfall: 1/(1+d) is close to 1 for small d, where the plain series needs ~1/d terms; hyp2f1 switches
  // to the 1 - z transformation there (special/hyp2f1.ts).
  return hyp2f1(1, params.beta, params.alpha + params.beta, 1 / (1 + d));
}

/**
 * DERL(d | alpha, beta, n - 1 renewals) = (beta + n - 1)/(alpha + beta + n - 1)
 * * 2F1(1, beta + n; alpha + beta + n; 1/(1+d)) (FH10 eq. 6): discounted expected residual lifetime, in
 * periods, of a customer who has made n - 1 renewals and stands at the end of period n, just before her
 * next renewal decision: sum_{t>=n} S(t)/S(n-1) / (1+d)^(t-n) (the period-n payment is already made and not
 * counted; the next one, if she renews, is not discounted). `renewals` = n - 1 >= 0. Multiply by the margin
 * per period for the residual value. With alpha = 3.80, beta = 15.20, d = 0.1 it gives 3.31, 3.45, 3.59,
 * 3.72, 3.84 for 0..4 renewals (FH10 Table 3).
 *
 * @example sbgDiscountedExpectedResidualLifetime({ alpha: 3.8, beta: 15.2 }, 0.1, 0) // 3.3098
 */
export function sbgDiscountedExpectedResidualLifetime(
  params: SbgParams,
  d: number,
  renewals: number,
): number {
  checkParams(params);
  checkDiscount(d);
  checkPeriod(renewals, 'renewals');
  const n = renewals + 1;
  const { alpha, beta } = params;
  return ((beta + n - 1) / (alpha + beta + n - 1)) * hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + d));
}
