/**
 * Maximum-likelihood fitting shared by every probabilistic model.
 *
 * Parameters are optimised in log space (all model parameters are positive); the objective is the negative
 * total log-likelihood over compressed sufficient statistics (each distinct row once, with a weight).
 *
 * Procedure, from every start (restarts; the lowest objective wins):
 * 1. Nelder–Mead on a small evaluation budget, to get into the basin robustly (it tolerates +Infinity);
 *    with an analytic gradient this is only the fallback when BFGS from the start fails;
 * 2. BFGS (central-difference gradients unless an analytic gradient is given) to converge;
 * 3. on the winner, up to a few Newton steps with the numerical Hessian to polish, until the Newton
 *    decrement gᵀH⁻¹g (the squared distance to the optimum in standard-error units) is negligible.
 * Standard errors come from the observed information: the central-difference Hessian of the (penalised)
 * objective in log space at the optimum, inverted through Cholesky, mapped to the natural scale with the
 * delta method: se(p) = p · se(ln p), cov(p_i, p_j) = p_i p_j cov(ln p_i, ln p_j).
 */
import { UserError } from '../../util/errors.js';
import { bfgs } from './bfgs.js';
import {
  centralGradient,
  centralHessian,
  hessianFromGradient,
  type Gradient,
  type Objective,
} from './hessian.js';
import { dot, inverseSpd, matVec, maxAbs } from './matrix.js';
import { nelderMead } from './nelder-mead.js';

export interface MaximumLikelihoodProblem {
  /** Parameter names in order, as in the literature (e.g. ['r', 'alpha', 'a', 'b']). */
  readonly names: readonly string[];
  /** Total log-likelihood at positive parameters `params` (same order as names). Must not throw. */
  readonly logLikelihood: (params: readonly number[]) => number;
  /** Starting points (positive params); more than one = restarts, the best optimum wins. */
  readonly starts: readonly (readonly number[])[];
  /**
   * Optional L2 penalty weight λ on log-parameters (0 = none): the objective becomes
   * -LL + λ Σ (ln p_i)², which shrinks parameters towards 1 and keeps flat likelihoods bounded.
   */
  readonly penalty?: number;
  /** BFGS iteration limit per start (default 500). */
  readonly maxIterations?: number;
  /**
   * Optional analytic gradient of the total log-likelihood with respect to the (natural-scale) params.
   * With it, BFGS runs first from each start (Nelder–Mead only as a fallback) and the Hessian for the
   * standard errors is differenced from it; without it, gradients are central differences of the
   * log-likelihood (2n evaluations each). Must not throw; non-finite entries count as failure.
   */
  readonly gradient?: (params: readonly number[]) => readonly number[];
}

export interface MaximumLikelihoodFit {
  readonly params: Readonly<Record<string, number>>;
  /** Unpenalised total log-likelihood at the optimum. */
  readonly logLikelihood: number;
  /**
   * From the observed information (numerical Hessian in log space, delta method back to params).
   * NaN when the Hessian is not positive definite (then `converged` is false and `message` says so).
   */
  readonly standardErrors: Readonly<Record<string, number>>;
  /** Covariance of the parameters (natural scale), for sampling-based intervals (NaN entries as above). */
  readonly covariance: readonly (readonly number[])[];
  readonly converged: boolean;
  /** Optimiser iterations (Nelder–Mead + BFGS + Newton) of the winning start. */
  readonly iterations: number;
  /** Parameters in `names` order. */
  readonly values: readonly number[];
  /** Largest |∂(objective)/∂ ln p| at the optimum. */
  readonly gradientNorm: number;
  /**
   * Why the fit is not trusted, when `converged` is false (iteration limit hit, Newton decrement not small,
   * Hessian not positive definite); empty otherwise.
   */
  readonly message: string;
}

/**
 * No start gave a finite likelihood: nothing can be fitted (typically data the model cannot describe,
 * e.g. no repeat purchases at all). A UserError, so the CLI prints the message.
 */
export class ModelFitError extends UserError {}

/** Newton decrement gᵀH⁻¹g below which the optimum counts as found (1e-3 SE off at most). */
const DECREMENT_CONVERGED = 1e-6;
/** Quasi-Newton decrement at which BFGS hands over to the Newton polish (1e-5 SE from the optimum). */
const DECREMENT_BFGS = 1e-10;
/** Newton decrement target for polishing (1e-9 SE: the optimum to about the precision of the gradient). */
const DECREMENT_TARGET = 1e-18;
const NEWTON_STEPS = 4;

interface Candidate {
  x: number[];
  f: number;
  iterations: number;
  bfgsMaxed: boolean;
}

/**
 * Fit by maximum likelihood (see the module comment for the procedure).
 *
 * @example
 * // Exponential rate λ from waiting times 1, 2, 3 (MLE 1/mean = 0.5):
 * const ts = [1, 2, 3];
 * fitMaximumLikelihood({
 *   names: ['lambda'],
 *   logLikelihood: ([l]) => ts.reduce((s, t) => s + Math.log(l!) - l! * t, 0),
 *   starts: [[1]],
 * }).params.lambda; // ≈ 0.5
 */
export function fitMaximumLikelihood(problem: MaximumLikelihoodProblem): MaximumLikelihoodFit {
  const n = problem.names.length;
  const penalty = problem.penalty ?? 0;
  const maxIterations = problem.maxIterations ?? 500;
  const natural = (x: readonly number[]): number[] => x.map(Math.exp);
  const objective: Objective = (x) => {
    let pen = 0;
    if (penalty > 0) for (const xi of x) pen += penalty * xi * xi;
    const ll = problem.logLikelihood(natural(x));
    // Pitfall: NaN or -Infinity from the model (overflow at extreme parameters) must read as "worst".
    const v = -ll + pen;
    return Number.isFinite(v) ? v : Infinity;
  };

  const llGradient = problem.gradient;
  const objectiveGradient: Gradient | undefined =
    llGradient === undefined
      ? undefined
      : (x) => {
          const p = natural(x);
          const gp = llGradient(p);
          // Chain rule for p = exp(x): ∂/∂x = p ∂/∂p; plus the penalty's 2λx.
          return x.map((xi, i) => {
            const v = -p[i]! * gp[i]! + 2 * penalty * xi;
            return Number.isFinite(v) ? v : NaN;
          });
        };
  const gradientOf: Gradient = objectiveGradient ?? ((x) => centralGradient(objective, x));
  const hessianOf = (x: readonly number[], fx: number): number[][] =>
    objectiveGradient === undefined
      ? centralHessian(objective, x, fx)
      : hessianFromGradient(objectiveGradient, x);

  const runBfgs = (from: readonly number[], f0: number) =>
    bfgs(objective, from, {
      maxIterations,
      // Tight: the Newton polish and the decrement test below decide convergence.
      gradientTolerance: 1e-9 * (1 + Math.abs(f0)),
      decrementTolerance: DECREMENT_BFGS,
      ...(objectiveGradient === undefined ? {} : { gradient: objectiveGradient }),
    });
  const runNelderMead = (from: readonly number[]) =>
    nelderMead(objective, from, {
      initialStep: 0.5,
      maxEvaluations: 50 * n,
      fTolerance: 1e-4,
      xTolerance: 1e-3,
    });

  let best: Candidate | null = null;
  const consider = (cand: Candidate): void => {
    if (Number.isFinite(cand.f) && (best === null || cand.f < best.f)) best = cand;
  };
  for (const start of problem.starts) {
    if (start.length !== n || !start.every((p) => p > 0 && Number.isFinite(p))) continue;
    const x0 = start.map(Math.log);
    const f0 = objective(x0);
    let done = false;
    if (objectiveGradient !== undefined && Number.isFinite(f0)) {
      const bf = runBfgs(x0, f0);
      consider({ x: bf.x, f: bf.f, iterations: bf.iterations, bfgsMaxed: bf.reason === 'max-iterations' });
      // Anything but a clean stop (stalled far out, overflowed, ran out of iterations) also gets the
      // derivative-free route from the same start; the better of the two counts.
      done = bf.reason === 'gradient' && Number.isFinite(bf.f);
    }
    if (done) continue;
    const nm = runNelderMead(x0);
    const fromX = Number.isFinite(nm.f) ? nm.x : x0;
    const f1 = objective(fromX);
    if (!Number.isFinite(f1)) continue;
    const bf = runBfgs(fromX, f1);
    consider({
      x: bf.x,
      f: bf.f,
      iterations: nm.iterations + bf.iterations,
      bfgsMaxed: bf.reason === 'max-iterations',
    });
  }
  const winner = best as Candidate | null;
  if (winner === null) {
    throw new ModelFitError(
      `could not fit ${problem.names.join(', ')}: the likelihood is not finite at any starting point`,
    );
  }

  // Newton polish with the numerical Hessian.
  let { x, f } = winner;
  let iterations = winner.iterations;
  let g = gradientOf(x);
  let hess = hessianOf(x, f);
  let hInv = inverseSpd(hess);
  for (let k = 0; k < NEWTON_STEPS && hInv !== null; k++) {
    const step = matVec(hInv, g);
    const decrement = dot(g, step);
    if (!(decrement > DECREMENT_TARGET)) break;
    const xNew = x.map((xi, i) => xi - step[i]!);
    const fNew = objective(xNew);
    // Accept only a step that does not make things worse beyond rounding noise.
    if (!(fNew <= f + 1e-12 * Math.max(1, Math.abs(f)))) break;
    const gNew = gradientOf(xNew);
    if (!gNew.every(Number.isFinite) || (!(maxAbs(gNew) <= maxAbs(g)) && !(fNew < f))) break;
    x = xNew;
    f = fNew;
    g = gNew;
    iterations++;
    hess = hessianOf(x, f);
    hInv = inverseSpd(hess);
  }

  const values = natural(x);
  const params: Record<string, number> = {};
  const standardErrors: Record<string, number> = {};
  problem.names.forEach((name, i) => {
    params[name] = values[i]!;
  });
  let covariance: number[][];
  const messages: string[] = [];
  if (hInv === null) {
    covariance = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
    messages.push(
      'the Hessian of the log-likelihood is not positive definite at the optimum (a flat direction or a ' +
        'parameter drifting to 0 or infinity): the parameters are not identified by these data',
    );
  } else {
    // Newton decrement gᵀH⁻¹g: squared distance to the optimum in standard-error units.
    const decrement = dot(g, matVec(hInv, g));
    if (winner.bfgsMaxed) {
      messages.push(`the optimiser hit its iteration limit (${maxIterations})`);
    } else if (!(decrement <= DECREMENT_CONVERGED)) {
      messages.push(
        `the optimiser stopped short of the optimum (Newton decrement ${decrement.toPrecision(3)})`,
      );
    }
    covariance = hInv.map((row, i) => row.map((c, j) => c * values[i]! * values[j]!));
  }
  problem.names.forEach((name, i) => {
    standardErrors[name] = Math.sqrt(covariance[i]![i]!);
  });
  const logLikelihood = problem.logLikelihood(values);
  return {
    params,
    logLikelihood,
    standardErrors,
    covariance,
    converged: messages.length === 0,
    iterations,
    values,
    gradientNorm: maxAbs(g),
    message: messages.join('; '),
  };
}
