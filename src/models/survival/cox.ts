/**
 * Cox proportional-hazards regression, fitted like R's `coxph` (survival 3.x): Efron ties by default
 * (Breslow as an option), covariates centred for stability, Newton-Raphson from β = 0 with step halving
 * whenever the partial log-likelihood decreases, convergence when |1 - ℓ_old/ℓ_new| <= 1e-9 (R's eps), at
 * most 20 iterations (R's iter.max). Standard errors from the inverse information at the solution.
 *
 * Reported as R's summary(coxph) does: coefficients, SE, z, Wald p, hazard ratios with confidence limits,
 * ℓ(0) and ℓ(β̂), the likelihood-ratio, Wald and score (log-rank) tests, and Harrell's concordance.
 *
 * Separation (a covariate that perfectly orders the events) drives a coefficient to ±∞: the log-likelihood
 * still converges while the coefficient keeps growing. As R does, a coefficient is flagged `infinite` when
 * one more Newton step would still move it by more than √eps relative to its size; `ok` is false, `warnings`
 * says which, and the numbers stay finite (they are the last iterate, not an estimate).
 *
 * Reference: Cox (1972); Therneau & Grambsch (2000), chapter 3.
 *
 * @example
 * const fit = coxFit(tenure, churned, designMatrix(table, ['MonthlyCharges', 'SeniorCitizen', 'Contract']));
 * fit.coefficients // [0.000134, 0.0228, -2.187, -4.217] on the Telco data
 */

import { cholesky, dot, inverseSpd, matVec } from '../fit/matrix.js';
import { chiSquareSurvival, normalSurvival } from '../special/distributions.js';
import { confidenceZ } from './confidence.js';
import { concordance, type Concordance } from './concordance.js';
import {
  coxEvaluate,
  linearPredictor,
  prepareCoxData,
  type CoxData,
  type CoxTies,
} from './cox-likelihood.js';
import type { DesignMatrix } from './design.js';
import { SurvivalInputError } from './errors.js';

export interface CoxOptions {
  readonly ties?: CoxTies;
  readonly maxIterations?: number;
  /** Relative log-likelihood change that counts as converged (R: eps = 1e-9). */
  readonly tolerance?: number;
  /** Level of the hazard-ratio intervals; default 0.95. */
  readonly confLevel?: number;
}

export interface ChiSquareTest {
  readonly statistic: number;
  readonly df: number;
  readonly p: number;
}

export interface CoxFit {
  readonly names: readonly string[];
  readonly terms: DesignMatrix['terms'];
  readonly ties: CoxTies;
  readonly n: number;
  readonly nEvents: number;
  readonly coefficients: number[];
  readonly stdErrors: number[];
  readonly z: number[];
  readonly p: number[];
  readonly hazardRatios: number[];
  readonly hazardRatioLower: number[];
  readonly hazardRatioUpper: number[];
  readonly confLevel: number;
  /** Inverse information at the solution (R: vcov(fit)). */
  readonly variance: number[][];
  readonly logLikNull: number;
  readonly logLik: number;
  readonly likelihoodRatioTest: ChiSquareTest;
  readonly waldTest: ChiSquareTest;
  /** Score (log-rank) test at β = 0. */
  readonly scoreTest: ChiSquareTest;
  readonly concordance: Concordance;
  /** Means R reports (fit$means): column means, except 0 for 0/1 columns. */
  readonly means: number[];
  /** (x - means) β per input row, as R's fit$linear.predictors. */
  readonly linearPredictors: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  readonly infinite: boolean[];
  /** converged and no infinite coefficient. */
  readonly ok: boolean;
  readonly warnings: string[];
}

/** β + step, given as a new array. */
function add(beta: readonly number[], step: readonly number[], scale = 1): number[] {
  return beta.map((b, j) => b + scale * step[j]!);
}

/** Solve A s = u for symmetric positive-definite A, or null. */
function solveSpd(a: number[][], u: ArrayLike<number>): number[] | null {
  const l = cholesky(a);
  if (l === null) return null;
  const n = a.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = u[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const s = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let v = y[i]!;
    for (let k = i + 1; k < n; k++) v -= l[k]![i]! * s[k]!;
    s[i] = v / l[i]![i]!;
  }
  return s;
}

/** The fit itself on prepared data: Newton-Raphson with step halving. */
export function coxNewtonRaphson(
  data: CoxData,
  ties: CoxTies,
  maxIterations: number,
  tolerance: number,
): {
  beta: number[];
  logLikNull: number;
  logLik: number;
  scoreNull: Float64Array;
  informationNull: number[][];
  score: Float64Array;
  information: number[][];
  iterations: number;
  converged: boolean;
  singular: boolean;
} {
  let beta = new Array<number>(data.p).fill(0);
  let current = coxEvaluate(data, beta, ties);
  const initial = current;
  let iterations = 0;
  let converged = false;
  let singular = false;
  while (iterations < maxIterations) {
    iterations++;
    const step = solveSpd(current.information, current.score);
    if (step === null || !step.every(Number.isFinite)) {
      singular = true;
      break;
    }
    let candidate = add(beta, step);
    let next = coxEvaluate(data, candidate, ties);
    // Step halving: a Newton step can overshoot when far from the optimum (or overflow exp(xβ)).
    let halvings = 0;
    while (!(next.logLik >= current.logLik) && halvings < 40) {
      halvings++;
      candidate = add(beta, step, 0.5 ** halvings);
      next = coxEvaluate(data, candidate, ties);
    }
    if (!(next.logLik >= current.logLik)) break; // no ascent direction left: stop where we are
    const done = Math.abs(1 - current.logLik / next.logLik) <= tolerance;
    beta = candidate;
    current = next;
    if (done) {
      converged = true;
      break;
    }
  }
  return {
    beta,
    logLikNull: initial.logLik,
    logLik: current.logLik,
    scoreNull: initial.score,
    informationNull: initial.information,
    score: current.score,
    information: current.information,
    iterations,
    converged,
    singular,
  };
}

/**
 * Fit a Cox model of (times, events) on the design matrix.
 *
 * @example coxFit([5, 8, 2, 7], [1, 0, 1, 1], { rows: 4, names: ['x'], columns: [Float64Array.of(1, 0, 1, 0)], terms: [{ name: 'x', columns: [0] }] })
 */
export function coxFit(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  design: DesignMatrix,
  options: CoxOptions = {},
): CoxFit {
  const ties = options.ties ?? 'efron';
  if (ties !== 'efron' && ties !== 'breslow')
    throw new RangeError(`ties must be 'efron' or 'breslow', got ${String(ties)}`);
  const maxIterations = options.maxIterations ?? 20;
  const tolerance = options.tolerance ?? 1e-9;
  const confLevel = options.confLevel ?? 0.95;
  const zCrit = confidenceZ(confLevel);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new RangeError(`maxIterations must be an integer >= 1, got ${maxIterations}`);
  }
  if (design.columns.length === 0) throw new SurvivalInputError('the Cox model needs at least one covariate');
  const data = prepareCoxData(times, events, design.columns);
  if (data.nEvents === 0) throw new SurvivalInputError('the Cox model needs at least one event');
  const p = data.p;
  const nr = coxNewtonRaphson(data, ties, maxIterations, tolerance);
  const warnings: string[] = [];
  const beta = nr.beta;
  let variance = inverseSpd(nr.information);
  if (variance === null) {
    warnings.push(
      'the information matrix is singular at the solution (collinear covariates, or a coefficient heading to infinity): standard errors are reported as Infinity',
    );
    variance = Array.from({ length: p }, (_, j) =>
      Array.from({ length: p }, (_, l) => (j === l ? Infinity : 0)),
    );
  }
  if (nr.singular) warnings.push('Newton-Raphson stopped: the information matrix is not positive definite');
  if (!nr.converged && !nr.singular) warnings.push(`did not converge in ${maxIterations} iterations`);
  // R's check for infinite coefficients: the Newton step that is still left, relative to the coefficient.
  const remaining = variance.map((row) => Math.abs(dot(row, Array.from(nr.score))));
  const infinite = remaining.map(
    (r, j) => Number.isFinite(r) && r > tolerance && r > Math.sqrt(tolerance) * Math.abs(beta[j]!),
  );
  infinite.forEach((inf, j) => {
    if (inf) {
      warnings.push(
        `the log-likelihood converged before coefficient "${design.names[j]}" did: it may be infinite (separation: this covariate perfectly orders the events)`,
      );
    }
  });
  const stdErrors = variance.map((row, j) => Math.sqrt(row[j]!));
  const z = beta.map((b, j) => b / stdErrors[j]!);
  const pValues = z.map((v) => 2 * normalSurvival(Math.abs(v)));
  const lrt = 2 * (nr.logLik - nr.logLikNull);
  const wald = dot(beta, matVec(nr.information, beta));
  const scoreStep = solveSpd(nr.informationNull, nr.scoreNull);
  const score = scoreStep === null ? NaN : dot(Array.from(nr.scoreNull), scoreStep);
  const test = (statistic: number): ChiSquareTest => ({
    statistic,
    df: p,
    p: chiSquareSurvival(statistic, p),
  });

  // R's reported means: 0 for 0/1 columns, so that their linear predictor keeps the natural reference.
  const means = design.columns.map((col, j) => {
    let binary = true;
    for (let i = 0; i < col.length && binary; i++) binary = col[i] === 0 || col[i] === 1;
    return binary ? 0 : data.center[j]!;
  });
  const etaSorted = linearPredictor(data, beta);
  const offset = beta.reduce((s, b, j) => s + b * (data.center[j]! - means[j]!), 0);
  const linearPredictors = new Float64Array(data.n);
  for (let k = 0; k < data.n; k++) linearPredictors[data.order[k]!] = etaSorted[k]! + offset;

  return {
    names: design.names,
    terms: design.terms,
    ties,
    n: data.n,
    nEvents: data.nEvents,
    coefficients: beta,
    stdErrors,
    z,
    p: pValues,
    hazardRatios: beta.map(Math.exp),
    hazardRatioLower: beta.map((b, j) => Math.exp(b - zCrit * stdErrors[j]!)),
    hazardRatioUpper: beta.map((b, j) => Math.exp(b + zCrit * stdErrors[j]!)),
    confLevel,
    variance,
    logLikNull: nr.logLikNull,
    logLik: nr.logLik,
    likelihoodRatioTest: test(lrt),
    waldTest: test(wald),
    scoreTest: test(score),
    concordance: concordance(times, events, linearPredictors),
    means,
    linearPredictors,
    iterations: nr.iterations,
    converged: nr.converged,
    infinite,
    ok: nr.converged && !nr.singular && !infinite.some(Boolean),
    warnings,
  };
}
