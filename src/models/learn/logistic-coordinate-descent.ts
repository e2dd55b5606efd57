/**
 * L1 and elastic-net logistic regression by proximal Newton: at each outer step the logistic loss is
 * replaced by its second-order (IRLS) approximation, a penalised weighted least-squares problem, which is
 * solved by cyclic coordinate descent with soft-thresholding; the resulting direction is then damped by a
 * line search on the true penalised objective.
 *
 * Soft-thresholding sets coefficients to exactly 0 (not merely small), which is the point of the L1
 * penalty: the zero coefficients are features the model does not use.
 *
 * Pitfalls guarded:
 * - the plain glmnet-style iteration (take the coordinate-descent solution as the next iterate) can cycle
 *   or diverge when the quadratic model is poor far from the optimum; the backtracking line search on F
 *   (Tseng & Yun's sufficient-decrease test for composite objectives) makes every step a descent step;
 * - rows whose fitted probability is 0 or 1 to machine precision get IRLS weight p(1-p) = 0; they simply
 *   drop out of the quadratic model (the gradient still sees them);
 * - with exactly collinear columns (full one-hot plus intercept) and a pure L1 penalty the optimum is not
 *   unique; coordinate descent still reaches a point of the optimal set (the fitted probabilities are
 *   unique because the loss is strictly convex in η), and convergence is judged by the KKT conditions,
 *   not by coefficient changes.
 *
 * References: Friedman, Hastie & Tibshirani (2010), "Regularization paths for generalized linear models
 * via coordinate descent", J. Stat. Softw. 33(1); Lee, Sun & Saunders (2014), "Proximal Newton-type
 * methods for minimizing composite functions", SIAM J. Optim. 24(3); Tseng & Yun (2009), Math. Program.
 * 117, eq. (9) (the sufficient-decrease test).
 */
import type { DesignMatrix } from './encoder.js';
import {
  kktViolation,
  linearPredictor,
  logistic,
  penaltyValue,
  smoothGradient,
  weightedLogLoss,
  type PenaltySpec,
} from './logistic-loss.js';
import { baseLogOdds, type LogisticSolution, type LogisticSolverOptions } from './logistic-newton.js';

const ARMIJO = 1e-4;
const MAX_SWEEPS = 10_000;

/** sign(z) · max(|z| - t, 0). @example softThreshold(-3, 1) // -2 */
export function softThreshold(z: number, t: number): number {
  if (z > t) return z - t;
  if (z < -t) return z + t;
  return 0;
}

/**
 * Minimise F(b0, b) = Σ w_i loss_i + λ [α ‖b‖₁ + (1 - α)/2 ‖b‖²] for any α in [0, 1].
 *
 * @example
 * const x = { rows: 4, cols: 2, data: Float64Array.of(-1, 0, 0, 1, 1, 0, 2, 1) };
 * fitProximalNewton(x, [0, 1, 0, 1], new Float64Array(4).fill(1), { lambda: 1, l1Ratio: 1 }).coefficients
 */
export function fitProximalNewton(
  x: DesignMatrix,
  labels: ArrayLike<number>,
  weights: Float64Array,
  penalty: PenaltySpec,
  options: LogisticSolverOptions = {},
): LogisticSolution {
  if (!(penalty.l1Ratio >= 0 && penalty.l1Ratio <= 1))
    throw new RangeError('fitProximalNewton: l1Ratio must be in [0, 1]');
  if (!(penalty.lambda > 0)) throw new RangeError('fitProximalNewton: lambda must be positive');
  const n = x.rows;
  const p = x.cols;
  const maxIterations = options.maxIterations ?? 200;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weights[i]!;
  const tol = (options.tolerance ?? 1e-10) * Math.max(1, totalWeight);
  const l1 = penalty.lambda * penalty.l1Ratio;
  const ridge = penalty.lambda * (1 - penalty.l1Ratio);

  // Column-major copy: coordinate descent walks one column at a time.
  const cols = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) cols[j * n + i] = x.data[i * p + j]!;

  let b0 = baseLogOdds(labels, weights);
  let b = new Float64Array(p);
  let eta = linearPredictor(x, b0, b);
  let f = weightedLogLoss(eta, labels, weights) + penaltyValue(b, penalty);
  const hw = new Float64Array(n); // IRLS weights w_i p_i (1 - p_i)
  const resid = new Float64Array(n); // working response minus the quadratic model's η
  const hjj = new Float64Array(p);
  let iterations = 0;
  for (;;) {
    const g = smoothGradient(x, labels, weights, eta, b, penalty);
    const kkt = kktViolation(g, b, penalty);
    if (kkt <= tol) return { intercept: b0, coefficients: b, objective: f, iterations, converged: true, kkt };
    if (iterations >= maxIterations) {
      return { intercept: b0, coefficients: b, objective: f, iterations, converged: false, kkt };
    }
    iterations++;

    // Quadratic model: ½ Σ hw_i (z_i - η'_i)² with working response z_i = η_i + (y_i - p_i) / (p_i (1 - p_i)),
    // so resid_i · hw_i = w_i (y_i - p_i) at the start of the sweep.
    let hw0 = 0;
    for (let i = 0; i < n; i++) {
      const pi = logistic(eta[i]!);
      hw[i] = weights[i]! * pi * (1 - pi);
      resid[i] = hw[i]! > 0 ? (weights[i]! * ((labels[i]! ? 1 : 0) - pi)) / hw[i]! : 0;
      hw0 += hw[i]!;
    }
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += hw[i]! * cols[j * n + i]! * cols[j * n + i]!;
      hjj[j] = s;
    }
    let c0 = b0;
    const c = Float64Array.from(b);
    // The inner problem is solved below the outer tolerance (and, far from the optimum, only as well as the
    // quadratic model deserves: an inexact proximal Newton step still converges superlinearly).
    const innerTol = Math.max(1e-3 * tol, 1e-3 * kkt);
    /** One cyclic pass (over the non-zero coefficients only, if activeOnly); returns the largest change. */
    const sweep = (activeOnly: boolean): number => {
      let maxChange = 0;
      if (hw0 > 0) {
        let s = 0;
        for (let i = 0; i < n; i++) s += hw[i]! * resid[i]!;
        const d0 = s / hw0;
        if (d0 !== 0) {
          c0 += d0;
          for (let i = 0; i < n; i++) resid[i]! -= d0;
          maxChange = Math.max(maxChange, Math.abs(d0) * hw0);
        }
      }
      for (let j = 0; j < p; j++) {
        if (activeOnly && c[j] === 0) continue;
        const h = hjj[j]!;
        if (h === 0 && ridge === 0) {
          // No curvature (the column is zero on every weighted row): only the L1 term acts and pins it at 0.
          if (c[j] !== 0) {
            const d = -c[j]!;
            for (let i = 0; i < n; i++) resid[i]! -= d * cols[j * n + i]!;
            c[j] = 0;
          }
          continue;
        }
        let s = 0;
        for (let i = 0; i < n; i++) s += hw[i]! * cols[j * n + i]! * resid[i]!;
        const old = c[j]!;
        const next = softThreshold(s + h * old, l1) / (h + ridge);
        const d = next - old;
        if (d === 0) continue;
        c[j] = next;
        for (let i = 0; i < n; i++) resid[i]! -= d * cols[j * n + i]!;
        // Change in the gradient units that the KKT test uses.
        maxChange = Math.max(maxChange, Math.abs(d) * (h + ridge));
      }
      return maxChange;
    };
    // Active-set strategy (glmnet): settle the non-zero coefficients first, then confirm with a full pass
    // that no zero coefficient wants to enter; most passes then skip most columns.
    for (let sweeps = 0; sweeps < MAX_SWEEPS;) {
      sweeps++;
      if (sweep(false) <= innerTol) break;
      while (sweeps < MAX_SWEEPS) {
        sweeps++;
        if (sweep(true) <= innerTol) break;
      }
    }

    // Tseng-Yun decrease measure Δ = ∇f_smoothᵀ d + λα (‖c‖₁ - ‖b‖₁), negative unless at the optimum.
    let delta = g[0]! * (c0 - b0);
    for (let j = 0; j < p; j++)
      delta += g[j + 1]! * (c[j]! - b[j]!) + l1 * (Math.abs(c[j]!) - Math.abs(b[j]!));
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      const nb0 = b0 + t * (c0 - b0);
      const nb = t === 1 ? c : b.map((v, j) => v + t * (c[j]! - v));
      const nEta = linearPredictor(x, nb0, nb);
      const nf = weightedLogLoss(nEta, labels, weights) + penaltyValue(nb, penalty);
      if (nf <= f + ARMIJO * t * Math.min(delta, 0) + 1e-15 * Math.abs(f)) {
        b0 = nb0;
        b = Float64Array.from(nb);
        eta = nEta;
        f = nf;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) return { intercept: b0, coefficients: b, objective: f, iterations, converged: false, kkt };
  }
}
