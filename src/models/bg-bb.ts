/**
 * BG/BB model for discrete transaction opportunities (Fader, Hardie & Shang 2010, "Customer-Base Analysis
 * in a Discrete-Time Noncontractual Setting", Marketing Science 29(6), 1086-1108; cited as "FHS10").
 * At each of n opportunities (e.g. yearly donation drives) a living customer transacts with probability
 * p ~ Beta(alpha, beta); before each opportunity she dies with probability theta ~ Beta(gamma, delta)
 * (and stays dead). Data per customer: x transactions, t_x the opportunity of the last one (0 if none),
 * n the number of opportunities observed.
 */
import type { RowPredictions } from './bg-nbd.js';
import { fitMaximumLikelihood, type MaximumLikelihoodFit } from './fit/maximum-likelihood.js';
import { expm1OverX, logAddExp } from './special/clv-numerics.js';
import { lbeta, lgamma, lgammaSlope } from './special/gamma.js';
import { hyp2f1 } from './special/hyp2f1.js';
import { InvalidSummaryError } from './summary-stats.js';

/** BG/BB parameters: transaction probability p ~ Beta(alpha, beta), dropout theta ~ Beta(gamma, delta). */
export interface BgBbParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly delta: number;
}

/** Rows (x, t_x, n), one per customer or per distinct pattern with a weight (customers with that pattern). */
export interface BgBbRows {
  /** Transactions in the n opportunities, 0 <= x <= t_x. */
  readonly x: ArrayLike<number>;
  /** Opportunity (1..n) of the last transaction, 0 when x = 0. */
  readonly t_x: ArrayLike<number>;
  /** Opportunities observed. */
  readonly n: ArrayLike<number>;
  /** Customers per row (default 1 each). */
  readonly weight?: ArrayLike<number>;
}

/**
 * A fit: the shared optimiser's result (logLikelihood, covariance of (alpha, beta, gamma, delta) in that
 * order, converged, message, ...) with typed parameters and standard errors.
 */
export interface BgBbFit extends Omit<MaximumLikelihoodFit, 'params' | 'standardErrors'> {
  readonly params: BgBbParams;
  /** Standard errors from the observed information (numerical Hessian, delta method). */
  readonly standardErrors: BgBbParams;
}

export interface BgBbFitOptions {
  readonly starts?: readonly BgBbParams[];
  readonly penalty?: number;
  readonly maxIterations?: number;
}

export const BG_BB_PARAM_NAMES = ['alpha', 'beta', 'gamma', 'delta'] as const;

function validParams(p: BgBbParams): boolean {
  return [p.alpha, p.beta, p.gamma, p.delta].every((v) => v > 0 && Number.isFinite(v));
}

function checkParams(p: BgBbParams): void {
  if (!validParams(p)) {
    throw new RangeError(
      `BG/BB parameters must be finite and > 0, got alpha=${p.alpha}, beta=${p.beta}, gamma=${p.gamma}, delta=${p.delta}`,
    );
  }
}

/** Impossible (x, t_x, n) rows are the user's data: InvalidSummaryError (a UserError). */
function checkRow(x: number, tx: number, n: number): void {
  const problem = !(Number.isInteger(n) && n >= 0)
    ? 'n must be an integer >= 0'
    : !(Number.isInteger(x) && x >= 0)
      ? 'x must be an integer >= 0'
      : !(Number.isInteger(tx) && tx >= 0 && tx <= n)
        ? 't_x must be an integer with 0 <= t_x <= n'
        : x === 0
          ? tx !== 0
            ? 'need t_x = 0 when x = 0'
            : null
          : tx < x
            ? 'need t_x >= x when x > 0'
            : null;
  if (problem !== null) throw new InvalidSummaryError(`BG/BB row (x=${x}, t_x=${tx}, n=${n}): ${problem}`);
}

function checkRows(rows: BgBbRows): number {
  const m = rows.x.length;
  if (
    rows.t_x.length !== m ||
    rows.n.length !== m ||
    (rows.weight !== undefined && rows.weight.length !== m)
  ) {
    throw new InvalidSummaryError('x, t_x, n (and weight) must have the same length');
  }
  for (let i = 0; i < m; i++) {
    checkRow(rows.x[i]!, rows.t_x[i]!, rows.n[i]!);
    const w = rows.weight === undefined ? 1 : rows.weight[i]!;
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new InvalidSummaryError(`weights must be finite and >= 0, got ${w}`);
    }
  }
  return m;
}

/**
 * log of the two parts of the individual likelihood (FHS10, the likelihood function):
 *   alive = B(alpha+x, beta+n-x)/B(alpha,beta) * B(gamma, delta+n)/B(gamma,delta)       (alive after n)
 *   died  = sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha,beta) * B(gamma+1, delta+t_x+i)/B(gamma,delta)
 * Pitfall: evaluating n - t_x log-betas per row is slow for many opportunities (daily data); consecutive
 * terms of the sum differ by the factor (beta+t_x-x+i)/(alpha+beta+t_x+i) * (delta+t_x+i)/(gamma+1+delta+t_x+i)
 * < 1, so the sum is accumulated relative to its first term (all O(1) numbers, no underflow).
 */
function logParts(p: BgBbParams, x: number, tx: number, n: number): { logAlive: number; logDied: number } {
  const { alpha, beta, gamma, delta } = p;
  const base = -lbeta(alpha, beta) - lbeta(gamma, delta);
  const logAlive = base + lbeta(alpha + x, beta + n - x) + lbeta(gamma, delta + n);
  const terms = n - tx;
  if (terms <= 0) return { logAlive, logDied: -Infinity };
  const logFirst = base + lbeta(alpha + x, beta + tx - x) + lbeta(gamma + 1, delta + tx);
  let sum = 1;
  let term = 1;
  for (let i = 0; i < terms - 1; i++) {
    term *=
      ((beta + tx - x + i) / (alpha + beta + tx + i)) * ((delta + tx + i) / (gamma + 1 + delta + tx + i));
    sum += term;
    if (term < 1e-17 * sum) break; // the remaining terms shrink further
  }
  return { logAlive, logDied: logFirst + Math.log(sum) };
}

/**
 * Log-likelihood of one customer's (x, t_x, n) under BG/BB (FHS10 likelihood), in log space.
 *
 * @example bgBbRowLogLikelihood({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 3, 4, 6)
 */
export function bgBbRowLogLikelihood(params: BgBbParams, x: number, tx: number, n: number): number {
  checkParams(params);
  checkRow(x, tx, n);
  const { logAlive, logDied } = logParts(params, x, tx, n);
  return logAddExp(logAlive, logDied);
}

function totalLogLikelihood(p: BgBbParams, rows: BgBbRows): number {
  if (!validParams(p)) return -Infinity;
  let total = 0;
  for (let i = 0; i < rows.x.length; i++) {
    const w = rows.weight === undefined ? 1 : rows.weight[i]!;
    if (w === 0) continue;
    const { logAlive, logDied } = logParts(p, rows.x[i]!, rows.t_x[i]!, rows.n[i]!);
    total += w * logAddExp(logAlive, logDied);
  }
  return Number.isNaN(total) ? -Infinity : total;
}

/**
 * Total (weighted) BG/BB log-likelihood (the FHS10 likelihood summed over customers).
 *
 * @example bgBbLogLikelihood(params, { x: [0, 6], t_x: [0, 6], n: [6, 6], weight: [3464, 1203] })
 */
export function bgBbLogLikelihood(params: BgBbParams, rows: BgBbRows): number {
  checkParams(params);
  checkRows(rows);
  return totalLogLikelihood(params, rows);
}

/**
 * Maximum-likelihood fit of BG/BB by the shared optimiser. On the 1995 donation cohort of FHS10 (11,104
 * donors, n = 6) it gives alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6.
 *
 * @example
 * const fit = fitBgBb({ x, t_x, n, weight }); // weight = donors per (x, t_x) pattern
 */
export function fitBgBb(rows: BgBbRows, options: BgBbFitOptions = {}): BgBbFit {
  const m = checkRows(rows);
  if (m === 0) throw new InvalidSummaryError('cannot fit the BG/BB model to no rows');
  const starts = (
    options.starts ?? [
      { alpha: 1, beta: 1, gamma: 1, delta: 1 },
      { alpha: 0.5, beta: 2, gamma: 0.5, delta: 5 },
    ]
  ).map((p) => {
    checkParams(p);
    return [p.alpha, p.beta, p.gamma, p.delta];
  });
  const fit = fitMaximumLikelihood({
    names: BG_BB_PARAM_NAMES,
    logLikelihood: (v) => totalLogLikelihood({ alpha: v[0]!, beta: v[1]!, gamma: v[2]!, delta: v[3]! }, rows),
    starts,
    ...(options.penalty !== undefined ? { penalty: options.penalty } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
  });
  const pick = (rec: Readonly<Record<string, number>>): BgBbParams => ({
    alpha: rec.alpha!,
    beta: rec.beta!,
    gamma: rec.gamma!,
    delta: rec.delta!,
  });
  return { ...fit, params: pick(fit.params), standardErrors: pick(fit.standardErrors) };
}

/**
 * P(alive at opportunity n + 1 | x, t_x, n) (FHS10, P(alive)):
 * B(alpha+x, beta+n-x)/B(alpha,beta) * B(gamma, delta+n+1)/B(gamma,delta) / L(x, t_x, n).
 * (FHS10 Table 6 reports it for the donation cohort: 0.11 for (x, t_x) = (0, 0), 0.93 for (6, 6).)
 *
 * @example bgBbProbabilityAlive({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 6, 6, 6) // 0.93
 */
export function bgBbProbabilityAlive(params: BgBbParams, x: number, tx: number, n: number): number {
  checkParams(params);
  checkRow(x, tx, n);
  const { logAlive, logDied } = logParts(params, x, tx, n);
  // Alive at n+1 = alive after n, then survives one more dropout draw: ratio B(g, d+n+1)/B(g, d+n).
  const { gamma, delta } = params;
  const survive = Math.log((delta + n) / (gamma + delta + n));
  return Math.exp(logAlive + survive - logAddExp(logAlive, logDied));
}

/**
 * log of the ratio (1/(gamma-1)) [Γ(1+c1)/Γ(gamma+c1) - Γ(1+c2)/Γ(gamma+c2)] * Γ(gamma+c0)/Γ(1+c0)
 * (c2 >= c1) that appears in the FHS10 expressions for E[X(n)] and E[X(n, n+n*) | x, t_x, n].
 * Pitfall 1: it is 0/0 at gamma = 1 (both gamma ratios are 1). With h = gamma - 1 and
 * S(c, h) = (ln Γ(c+h) - ln Γ(c))/h (lgammaSlope, cancellation-free) it equals
 *   exp(h S(1+c0, h) - h S(1+c1, h)) * D * expm1OverX(-h D),  D = S(1+c2, h) - S(1+c1, h) >= 0,
 * which is smooth through h = 0 (limit: digamma(1+c2) - digamma(1+c1)).
 * Pitfall 2: for large gamma and n the first factor underflows while the caller's other factor overflows
 * (0 * Infinity = NaN), so the result stays a logarithm until the caller has combined everything.
 */
function logGammaRatioDifference(gamma: number, c0: number, c1: number, c2: number): number {
  const h = gamma - 1;
  const s1 = lgammaSlope(1 + c1, h);
  const d = lgammaSlope(1 + c2, h) - s1;
  return h * (lgammaSlope(1 + c0, h) - s1) + Math.log(d * expm1OverX(-h * d));
}

/**
 * E[X(n)]: expected transactions in the first n opportunities of a new customer (FHS10, E[X(n)]):
 * alpha/(alpha+beta) * delta/(gamma-1) * [1 - Γ(gamma+delta)Γ(1+delta+n) / (Γ(gamma+delta+n)Γ(1+delta))],
 * evaluated without the gamma = 1 singularity (see logGammaRatioDifference).
 *
 * @example bgBbExpectedTransactions({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 6)
 */
export function bgBbExpectedTransactions(params: BgBbParams, n: number): number {
  checkParams(params);
  if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`n must be finite and >= 0, got ${n}`);
  const { alpha, beta, gamma, delta } = params;
  return Math.exp(
    Math.log((alpha / (alpha + beta)) * delta) + logGammaRatioDifference(gamma, delta, delta, delta + n),
  );
}

/**
 * E[X(n, n+n*) | x, t_x, n]: expected transactions in the next n* opportunities (FHS10,
 * conditional expectation):
 * (1/L) B(alpha+x+1, beta+n-x)/B(alpha,beta) * delta/(gamma-1) * Γ(gamma+delta)/Γ(1+delta)
 * * [Γ(1+delta+n)/Γ(gamma+delta+n) - Γ(1+delta+n+n*)/Γ(gamma+delta+n+n*)], without the gamma = 1 singularity.
 *
 * @example bgBbConditionalExpected({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 5, 6, 6, 6)
 */
export function bgBbConditionalExpected(
  params: BgBbParams,
  nStar: number,
  x: number,
  tx: number,
  n: number,
): number {
  checkParams(params);
  checkRow(x, tx, n);
  if (!(Number.isFinite(nStar) && nStar >= 0))
    throw new RangeError(`n* must be finite and >= 0, got ${nStar}`);
  const { alpha, beta, gamma, delta } = params;
  const { logAlive, logDied } = logParts(params, x, tx, n);
  const logL = logAddExp(logAlive, logDied);
  const logP = lbeta(alpha + x + 1, beta + n - x) - lbeta(alpha, beta);
  return Math.exp(
    logP - logL + Math.log(delta) + logGammaRatioDifference(gamma, delta, delta + n, delta + n + nStar),
  );
}

/**
 * P(X(n) = x): probability that a new customer makes exactly x transactions in n opportunities (FHS10,
 * P(X(n) = x)): C(n,x) B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
 * + sum_{i=x}^{n-1} C(i,x) B(alpha+x, beta+i-x)/B(alpha,beta) B(gamma+1, delta+i)/B(gamma,delta);
 * a sum of positive terms, taken in log space.
 *
 * @example bgBbProbabilityOfN({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 0, 6) // 0.3112
 */
export function bgBbProbabilityOfN(params: BgBbParams, x: number, n: number): number {
  checkParams(params);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer >= 0, got ${n}`);
  if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`x must be an integer >= 0, got ${x}`);
  if (x > n) return 0;
  const { alpha, beta, gamma, delta } = params;
  const base = -lbeta(alpha, beta) - lbeta(gamma, delta);
  const logChoose = (i: number): number => lgamma(i + 1) - lgamma(x + 1) - lgamma(i - x + 1);
  let log = base + logChoose(n) + lbeta(alpha + x, beta + n - x) + lbeta(gamma, delta + n);
  for (let i = x; i < n; i++) {
    log = logAddExp(log, base + logChoose(i) + lbeta(alpha + x, beta + i - x) + lbeta(gamma + 1, delta + i));
  }
  return Math.exp(log);
}

/**
 * DERT(d | x, t_x, n): discounted expected residual transactions of a customer, valued at the end of
 * opportunity n with discount rate d per opportunity (FHS10, DERT):
 * B(alpha+x+1, beta+n-x)/B(alpha,beta) * B(gamma, delta+n+1) / (B(gamma,delta) (1+d))
 * * 2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d)) / L(x, t_x, n).
 * Multiply by the value of a transaction for a residual lifetime value.
 *
 * @example bgBbDiscountedExpectedResidualTransactions({ alpha: 1.204, beta: 0.75, gamma: 0.657, delta: 2.783 }, 0.1, 6, 6, 6)
 */
export function bgBbDiscountedExpectedResidualTransactions(
  params: BgBbParams,
  d: number,
  x: number,
  tx: number,
  n: number,
): number {
  checkParams(params);
  checkRow(x, tx, n);
  if (!(Number.isFinite(d) && d > 0))
    throw new RangeError(`discount rate d must be finite and > 0, got ${d}`);
  const { alpha, beta, gamma, delta } = params;
  const { logAlive, logDied } = logParts(params, x, tx, n);
  const logL = logAddExp(logAlive, logDied);
  const logPre =
    lbeta(alpha + x + 1, beta + n - x) -
    lbeta(alpha, beta) +
    lbeta(gamma, delta + n + 1) -
    lbeta(gamma, delta) -
    Math.log1p(d);
  return Math.exp(logPre - logL) * hyp2f1(1, delta + n + 1, gamma + delta + n + 1, 1 / (1 + d));
}

/**
 * Predictions for every row over the next n* opportunities: P(alive at n + 1) and E[X(n, n + n*) | x, t_x, n].
 *
 * @example const pred = bgBbPredict(fit.params, rows, 5); pred.expectedTransactions[0]
 */
export function bgBbPredict(params: BgBbParams, rows: BgBbRows, nStar: number): RowPredictions {
  const m = checkRows(rows);
  const probabilityAlive = new Float64Array(m);
  const expectedTransactions = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    probabilityAlive[i] = bgBbProbabilityAlive(params, rows.x[i]!, rows.t_x[i]!, rows.n[i]!);
    expectedTransactions[i] = bgBbConditionalExpected(params, nStar, rows.x[i]!, rows.t_x[i]!, rows.n[i]!);
  }
  return { probabilityAlive, expectedTransactions };
}
