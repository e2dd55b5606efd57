/**
 * Pareto/NBD model of non-contractual repeat purchasing (Schmittlein, Morrison & Colombo 1987, "Counting
 * Your Customers: Who Are They and What Will They Do Next?", Management Science 33(1)). While alive a
 * customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); the unobserved lifetime is
 * exponential with rate mu ~ Gamma(s, beta). Data per customer: x repeat purchases, t_x the time of the
 * last one, T the time observed since the first purchase (all in one time unit, e.g. weeks).
 *
 * Formulas follow Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions"
 * (brucehardie.com/notes/009), cited below as "FH05" with the name of the expression (the likelihood,
 * P(alive), E[X(t)], the conditional expectation); P(X(t) = n) follows the mixture derivation of
 * Fader & Hardie (2006), "Deriving an Expression for P(X(t) = x) Under the Pareto/NBD Model" (note 012),
 * evaluated by quadrature rather than through its hypergeometric closed form (see
 * paretoNbdProbabilityOfN).
 */
import type { RowPredictions } from './bg-nbd.js';
import { fitMaximumLikelihood, type MaximumLikelihoodFit } from './fit/maximum-likelihood.js';
import { logParetoNbdDeathIntegral } from './pareto-nbd-integral.js';
import { expm1OverX, integrate, logAddExp } from './special/clv-numerics.js';
import { lgamma } from './special/gamma.js';
import { InvalidSummaryError } from './summary-stats.js';

/** Pareto/NBD parameters: purchase rate lambda ~ Gamma(r, alpha), dropout rate mu ~ Gamma(s, beta). */
export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/**
 * Recency/frequency rows, one per customer or one per distinct (x, t_x, T) with a weight (the number of
 * customers sharing it). Column arrays of equal length; `RfmRows` from summary-stats.ts (compressRfm)
 * fits this type, and so do plain arrays.
 */
export interface RecencyFrequencyRows {
  /** Repeat purchases in the calibration period (integer >= 0). */
  readonly x: ArrayLike<number>;
  /** Time of the last repeat purchase since the first purchase (0 when x = 0), 0 <= t_x <= T. */
  readonly t_x: ArrayLike<number>;
  /** Time observed since the first purchase. */
  readonly T: ArrayLike<number>;
  /** Customers per row (default 1 each). */
  readonly weight?: ArrayLike<number>;
}

/**
 * A fit: the shared optimiser's result (logLikelihood, covariance of (r, alpha, s, beta) in that order,
 * converged, message, ...) with typed parameters and standard errors.
 */
export interface ParetoNbdFit extends Omit<MaximumLikelihoodFit, 'params' | 'standardErrors'> {
  readonly params: ParetoNbdParams;
  /** Standard errors from the observed information (numerical Hessian, delta method). */
  readonly standardErrors: ParetoNbdParams;
}

export interface ParetoNbdFitOptions {
  /** Starting points; by default two scale-aware guesses (restarts, the best optimum wins). */
  readonly starts?: readonly ParetoNbdParams[];
  /** Optional L2 penalty on the log-parameters (0 = plain maximum likelihood). */
  readonly penalty?: number;
  readonly maxIterations?: number;
}

export const PARETO_NBD_PARAM_NAMES = ['r', 'alpha', 's', 'beta'] as const;

function validParams(p: ParetoNbdParams): boolean {
  return (
    p.r > 0 &&
    p.alpha > 0 &&
    p.s > 0 &&
    p.beta > 0 &&
    Number.isFinite(p.r) &&
    Number.isFinite(p.alpha) &&
    Number.isFinite(p.s) &&
    Number.isFinite(p.beta)
  );
}

function checkParams(p: ParetoNbdParams): void {
  if (!validParams(p)) {
    throw new RangeError(
      `Pareto/NBD parameters must be finite and > 0, got r=${p.r}, alpha=${p.alpha}, s=${p.s}, beta=${p.beta}`,
    );
  }
}

/** Impossible (x, t_x, T) rows are the user's data: InvalidSummaryError (a UserError), as in compressRfm. */
function checkRow(x: number, tx: number, T: number): void {
  const problem = !(Number.isInteger(x) && x >= 0)
    ? 'x must be an integer >= 0'
    : !(Number.isFinite(T) && T >= 0)
      ? 'T must be finite and >= 0'
      : !(tx >= 0 && tx <= T)
        ? 't_x must satisfy 0 <= t_x <= T'
        : x === 0 && tx !== 0
          ? 't_x must be 0 when x = 0'
          : null;
  if (problem !== null)
    throw new InvalidSummaryError(`Pareto/NBD row (x=${x}, t_x=${tx}, T=${T}): ${problem}`);
}

/**
 * The two parts of the individual likelihood, in logs (FH05, the likelihood in its A0 form):
 * L = exp(logCommon) * (exp(logAlive) + exp(logDied)), with
 *   logCommon = ln Γ(r+x) - ln Γ(r) + r ln alpha + s ln beta,
 *   logAlive  = -(r+x) ln(alpha+T) - s ln(beta+T)         (still alive at T),
 *   logDied   = ln s + ln I(t_x, T)                        (died in (t_x, T]; = ln(s/(r+s+x) A0)).
 */
function logParts(p: ParetoNbdParams, x: number, tx: number, T: number) {
  const logCommon = lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta);
  const logAlive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const logDied = Math.log(p.s) + logParetoNbdDeathIntegral(p.r, p.alpha, p.s, p.beta, x, tx, T);
  return { logCommon, logAlive, logDied };
}

/**
 * Log-likelihood of one customer's (x, t_x, T) (FH05 likelihood, computed in log space; see
 * pareto-nbd-integral.ts for the hypergeometric term).
 *
 * @example paretoNbdRowLogLikelihood({ r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }, 2, 30.43, 38.86)
 */
export function paretoNbdRowLogLikelihood(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  checkRow(x, tx, T);
  const { logCommon, logAlive, logDied } = logParts(params, x, tx, T);
  return logCommon + logAddExp(logAlive, logDied);
}

function checkRows(rows: RecencyFrequencyRows): number {
  const n = rows.x.length;
  if (
    rows.t_x.length !== n ||
    rows.T.length !== n ||
    (rows.weight !== undefined && rows.weight.length !== n)
  ) {
    throw new InvalidSummaryError('x, t_x, T (and weight) must have the same length');
  }
  for (let i = 0; i < n; i++) {
    checkRow(rows.x[i]!, rows.t_x[i]!, rows.T[i]!);
    const w = rows.weight === undefined ? 1 : rows.weight[i]!;
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new InvalidSummaryError(`weights must be finite and >= 0, got ${w}`);
    }
  }
  return n;
}

/** Distinct (x, t_x, T) rows with summed weights: identical customers are evaluated once. */
interface CompressedRows {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  readonly maxX: number;
}

function compress(rows: RecencyFrequencyRows): CompressedRows {
  const index = new Map<string, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const weight: number[] = [];
  let maxX = 0;
  for (let i = 0; i < rows.x.length; i++) {
    const w = rows.weight === undefined ? 1 : rows.weight[i]!;
    if (w === 0) continue;
    const key = `${rows.x[i]!},${rows.t_x[i]!},${rows.T[i]!}`;
    const j = index.get(key);
    if (j !== undefined) {
      weight[j]! += w;
      continue;
    }
    index.set(key, x.length);
    x.push(rows.x[i]!);
    tx.push(rows.t_x[i]!);
    T.push(rows.T[i]!);
    weight.push(w);
    if (rows.x[i]! > maxX) maxX = rows.x[i]!;
  }
  const f = (a: number[]) => Float64Array.from(a);
  return { x: f(x), t_x: f(tx), T: f(T), weight: f(weight), maxX };
}

/** Up to this x, ln Γ(r + x) is computed once per distinct x and evaluation. */
const LGAMMA_CACHE_MAX = 10_000;

/** Total log-likelihood without input checks: the optimiser's hot loop. -Infinity instead of NaN. */
function totalLogLikelihood(p: ParetoNbdParams, rows: CompressedRows): number {
  if (!validParams(p)) return -Infinity;
  const { r, alpha, s, beta } = p;
  const n = rows.x.length;
  const logS = Math.log(s);
  // ln Γ(r + x) for the (few) distinct x: the data hold integers, so a small array is a perfect cache.
  const cache = rows.maxX <= LGAMMA_CACHE_MAX ? new Float64Array(rows.maxX + 1).fill(NaN) : null;
  let total = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const w = rows.weight[i]!;
    const x = rows.x[i]!;
    const tx = rows.t_x[i]!;
    const T = rows.T[i]!;
    let lg: number;
    if (cache !== null) {
      lg = cache[x]!;
      if (Number.isNaN(lg)) lg = cache[x] = lgamma(r + x);
    } else {
      lg = lgamma(r + x);
    }
    const logAlive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
    const logDied = logS + logParetoNbdDeathIntegral(r, alpha, s, beta, x, tx, T);
    total += w * (lg + logAddExp(logAlive, logDied));
    weightSum += w;
  }
  // Terms that do not depend on the row, summed once: W * (-ln Γ(r) + r ln alpha + s ln beta).
  const ll = total + weightSum * (-lgamma(r) + r * Math.log(alpha) + s * Math.log(beta));
  return Number.isNaN(ll) ? -Infinity : ll;
}

/**
 * Total (weighted) log-likelihood of recency/frequency rows (the FH05 likelihood summed over customers).
 *
 * @example paretoNbdLogLikelihood(params, { x: [0, 2], t_x: [0, 30.43], T: [38.86, 38.86] })
 */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, rows: RecencyFrequencyRows): number {
  checkParams(params);
  checkRows(rows);
  return totalLogLikelihood(params, compress(rows));
}

function defaultStarts(rows: RecencyFrequencyRows): ParetoNbdParams[] {
  // alpha and beta are in the time unit of the data. Start the purchase process at the observed repeat rate
  // (r / alpha = sum x / sum T) and the lifetime scale beta at the mean observation length, so that the
  // same data in days or in weeks start equally well.
  let sw = 0;
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < rows.T.length; i++) {
    const w = rows.weight === undefined ? 1 : rows.weight[i]!;
    sw += w;
    sx += w * rows.x[i]!;
    sT += w * rows.T[i]!;
  }
  const meanT = sw > 0 && sT > 0 ? sT / sw : 1;
  const rate = sx > 0 && sT > 0 ? sx / sT : 1 / meanT;
  return [
    { r: 1, alpha: 1 / rate, s: 1, beta: meanT },
    { r: 0.5, alpha: 0.5 / rate, s: 0.5, beta: meanT / 4 },
  ];
}

/**
 * Maximum-likelihood fit of the Pareto/NBD model (FH05 likelihood) by the shared optimiser
 * (fit/maximum-likelihood.ts: log-parameter space, restarts, observed-information standard errors).
 * On the CDNOW 1/10 sample (2,357 customers, weeks) it gives r = 0.553, alpha = 10.58, s = 0.606,
 * beta = 11.67, LL = -9594.98 (as CLVTools and lifetimes).
 *
 * @example
 * const fit = fitParetoNbd({ x, t_x, T }); // columns of the customer summary
 * fit.params.r; fit.standardErrors.beta; fit.logLikelihood;
 */
export function fitParetoNbd(rows: RecencyFrequencyRows, options: ParetoNbdFitOptions = {}): ParetoNbdFit {
  checkRows(rows);
  const compressed = compress(rows);
  if (compressed.x.length === 0) {
    throw new InvalidSummaryError('cannot fit the Pareto/NBD model to no rows (or only zero weights)');
  }
  const starts = (options.starts ?? defaultStarts(rows)).map((p) => {
    checkParams(p);
    return [p.r, p.alpha, p.s, p.beta];
  });
  const fit = fitMaximumLikelihood({
    names: PARETO_NBD_PARAM_NAMES,
    logLikelihood: (v) => totalLogLikelihood({ r: v[0]!, alpha: v[1]!, s: v[2]!, beta: v[3]! }, compressed),
    starts,
    ...(options.penalty !== undefined ? { penalty: options.penalty } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
  });
  const pick = (rec: Readonly<Record<string, number>>): ParetoNbdParams => ({
    r: rec.r!,
    alpha: rec.alpha!,
    s: rec.s!,
    beta: rec.beta!,
  });
  return { ...fit, params: pick(fit.params), standardErrors: pick(fit.standardErrors) };
}

/**
 * P(alive at T | x, t_x, T) (FH05, P(alive)): the share of the likelihood that comes from "still alive at T",
 * computed as 1 / (1 + exp(logDied - logAlive)) so that it never overflows and lies in (0, 1].
 *
 * @example paretoNbdProbabilityAlive({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 26, 30.86, 31) // 0.9979
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  checkRow(x, tx, T);
  const { logAlive, logDied } = logParts(params, x, tx, T);
  return 1 / (1 + Math.exp(logDied - logAlive));
}

/**
 * [1 - (b / (b + t))^(s-1)] / (s - 1), written as L * expm1OverX(-(s-1) L) with L = ln(1 + t/b).
 * Pitfall: the FH05 expressions for E[X(t)] and E[Y(t) | x, t_x, T] divide by s - 1; at s = 1 they are 0/0 with the limit
 * ln(1 + t/b). This form is exact for every s, including s = 1 and s within 1e-12 of it.
 */
function lifetimeFactor(s: number, b: number, t: number): number {
  const L = Math.log1p(t / b);
  return L * expm1OverX(-(s - 1) * L);
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired (FH05, E[X(t)]),
 * r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s-1)], with the s -> 1 limit
 * (r beta / alpha) ln(1 + t / beta) handled exactly (see lifetimeFactor).
 *
 * @example paretoNbdExpectedTransactions({ r: 0.55, alpha: 10.56, s: 0.61, beta: 11.64 }, 1) // 0.05077821
 */
export function paretoNbdExpectedTransactions(params: ParetoNbdParams, t: number): number {
  checkParams(params);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be finite and >= 0, got ${t}`);
  return ((params.r * params.beta) / params.alpha) * lifetimeFactor(params.s, params.beta, t);
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T)
 * (FH05, conditional expectation): (r + x)(beta + T) / ((alpha + T)(s - 1)) [1 - ((beta + T)/(beta + T + t))^(s-1)]
 * * P(alive), with the s -> 1 limit handled exactly.
 *
 * @example paretoNbdConditionalExpected({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 52, 26, 30.86, 31) // 25.46
 */
export function paretoNbdConditionalExpected(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be finite and >= 0, got ${t}`);
  return expectedIfAlive(params, t, x, T) * paretoNbdProbabilityAlive(params, x, tx, T);
}

/** E[Y(t) | alive at T, x, T] = (r + x)(beta + T)/((alpha + T)(s - 1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]. */
function expectedIfAlive(params: ParetoNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, s, beta } = params;
  return (((r + x) * (beta + T)) / (alpha + T)) * lifetimeFactor(s, beta + T, t);
}

/**
 * P(X(t) = n): probability that a customer just acquired makes exactly n repeat purchases in (0, t].
 *
 * Method (the mixture argument of Fader & Hardie, note 012): with the lifetime omega ~ Lomax(s, beta)
 * (exponential mixed over the gamma-distributed mu) and NB(n; tau) = Γ(r+n)/(Γ(r) n!) (alpha/(alpha+tau))^r
 * (tau/(alpha+tau))^n the NBD count over an exposure tau,
 *   P(X(t) = n) = P(omega > t) NB(n; t) + integral_0^t f_omega(tau) NB(n; tau) dtau.
 * The integral is taken over v = F_omega(tau) in [0, F_omega(t)], where tau(v) = beta((1 - v)^(-1/s) - 1):
 * the integrand is then a bounded, smooth pmf value in [0, 1] and adaptive Gauss-Kronrod quadrature
 * (relative tolerance 1e-10) is robust for every parameter value. The closed form of the note instead
 * subtracts hypergeometric terms with a finite sum of n + 1 terms, which cancels badly for large n; it is
 * deliberately not used. Accuracy: sums over n match 1 and E[X(t)] to about 1e-10 (tested).
 *
 * @example paretoNbdProbabilityOfN({ r: 0.55, alpha: 10.56, s: 0.61, beta: 11.64 }, 0, 39) // 0.5959
 */
export function paretoNbdProbabilityOfN(params: ParetoNbdParams, n: number, t: number): number {
  checkParams(params);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be finite and >= 0, got ${t}`);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer >= 0, got ${n}`);
  if (t === 0) return n === 0 ? 1 : 0;
  const { r, alpha, s, beta } = params;
  const logNbConstant = lgamma(r + n) - lgamma(r) - lgamma(n + 1);
  // log NB(n; tau), with the tau = 0 limit (1 for n = 0, 0 otherwise).
  const logNb = (tau: number): number => {
    if (tau <= 0) return n === 0 ? 0 : -Infinity;
    const logDen = Math.log(alpha + tau);
    return logNbConstant + r * (Math.log(alpha) - logDen) + n * (Math.log(tau) - logDen);
  };
  const logSurvival = -s * Math.log1p(t / beta); // P(omega > t) = (beta / (beta + t))^s
  const cdfAtT = -Math.expm1(logSurvival);
  // tau(v) = beta * ((1 - v)^(-1/s) - 1) = beta * expm1(-log1p(-v) / s): exact for small v.
  const died = integrate((v) => Math.exp(logNb(beta * Math.expm1(-Math.log1p(-v) / s))), 0, cdfAtT, {
    relTol: 1e-10,
    maxPanels: 1000,
  }).value;
  return Math.exp(logSurvival + logNb(t)) + died;
}

/**
 * Predictions for every row of `rows` over a horizon t: P(alive) and E[Y(t) | x, t_x, T] (compressed rows:
 * expand with `rowOf` from compressRfm for customers).
 *
 * @example const pred = paretoNbdPredict(fit.params, compressRfm(x, t_x, T), 52); pred.probabilityAlive[0]
 */
export function paretoNbdPredict(
  params: ParetoNbdParams,
  rows: RecencyFrequencyRows,
  t: number,
): RowPredictions {
  checkRows(rows);
  const n = rows.x.length;
  const probabilityAlive = new Float64Array(n);
  const expectedTransactions = new Float64Array(n);
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`t must be finite and >= 0, got ${t}`);
  for (let i = 0; i < n; i++) {
    const alive = paretoNbdProbabilityAlive(params, rows.x[i]!, rows.t_x[i]!, rows.T[i]!);
    probabilityAlive[i] = alive;
    expectedTransactions[i] = expectedIfAlive(params, t, rows.x[i]!, rows.T[i]!) * alive;
  }
  return { probabilityAlive, expectedTransactions };
}
