/**
 * The pieces of the penalised logistic-regression objective shared by the solvers:
 *
 *   F(b0, b) = Σ_i w_i [log(1 + e^{η_i}) - y_i η_i] + λ [α ‖b‖₁ + (1 - α)/2 ‖b‖²],   η_i = b0 + x_iᵀ b,
 *
 * with λ = 1/C and the sum (not the mean) of the losses, as scikit-learn's LogisticRegression, so that
 * the same C gives the same coefficients. The intercept b0 is not penalised.
 */
import type { DesignMatrix } from './encoder.js';

/** The penalty of the objective: λ = 1/C, α = the L1 share (0 = ridge, 1 = lasso). */
export interface PenaltySpec {
  readonly lambda: number;
  readonly l1Ratio: number;
}

/**
 * Logistic function 1 / (1 + e^{-η}), evaluated on the side where the exponential cannot overflow.
 *
 * @example logistic(0) // 0.5
 */
export function logistic(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/**
 * log(1 + e^η) without overflow for large η or loss of precision for very negative η.
 *
 * @example softplus(800) // 800 (Math.log(1 + Math.exp(800)) would be Infinity)
 */
export function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/** η = b0 + X b for every row of a row-major design matrix. */
export function linearPredictor(x: DesignMatrix, intercept: number, coef: ArrayLike<number>): Float64Array {
  const eta = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = intercept;
    const base = i * x.cols;
    for (let j = 0; j < x.cols; j++) s += x.data[base + j]! * coef[j]!;
    eta[i] = s;
  }
  return eta;
}

/** The penalty term λ [α ‖b‖₁ + (1 - α)/2 ‖b‖²]. */
export function penaltyValue(coef: ArrayLike<number>, penalty: PenaltySpec): number {
  let l1 = 0;
  let l2 = 0;
  for (let j = 0; j < coef.length; j++) {
    l1 += Math.abs(coef[j]!);
    l2 += coef[j]! * coef[j]!;
  }
  return penalty.lambda * (penalty.l1Ratio * l1 + ((1 - penalty.l1Ratio) / 2) * l2);
}

/** Σ w_i [log(1 + e^{η_i}) - y_i η_i]: the weighted negative log-likelihood. */
export function weightedLogLoss(eta: Float64Array, labels: ArrayLike<number>, weights: Float64Array): number {
  let s = 0;
  for (let i = 0; i < eta.length; i++) s += weights[i]! * (softplus(eta[i]!) - (labels[i]! ? eta[i]! : 0));
  return s;
}

/**
 * Gradient of the weighted loss plus the ridge part of the penalty: entry 0 is ∂/∂b0, entry j+1 is
 * ∂/∂b_j. (The L1 part is not differentiable at 0 and is handled by each solver.)
 */
export function smoothGradient(
  x: DesignMatrix,
  labels: ArrayLike<number>,
  weights: Float64Array,
  eta: Float64Array,
  coef: ArrayLike<number>,
  penalty: PenaltySpec,
): Float64Array {
  const g = new Float64Array(x.cols + 1);
  for (let i = 0; i < x.rows; i++) {
    const r = weights[i]! * (logistic(eta[i]!) - labels[i]!);
    if (r === 0) continue;
    g[0]! += r;
    const base = i * x.cols;
    for (let j = 0; j < x.cols; j++) g[j + 1]! += r * x.data[base + j]!;
  }
  const ridge = penalty.lambda * (1 - penalty.l1Ratio);
  for (let j = 0; j < x.cols; j++) g[j + 1]! += ridge * coef[j]!;
  return g;
}

/**
 * Largest violation of the optimality (KKT) conditions: |∂F/∂b0|, |∂F/∂b_j| for b_j ≠ 0 (with the L1
 * subgradient λα·sign(b_j)), and how far |∂/∂b_j| exceeds λα for b_j = 0. Zero exactly at the optimum, so
 * it is a solver-independent convergence measure (in the units of F's gradient).
 */
export function kktViolation(gradient: Float64Array, coef: ArrayLike<number>, penalty: PenaltySpec): number {
  const l1 = penalty.lambda * penalty.l1Ratio;
  let v = Math.abs(gradient[0]!);
  for (let j = 0; j < coef.length; j++) {
    const g = gradient[j + 1]!;
    const b = coef[j]!;
    v = Math.max(v, b !== 0 ? Math.abs(g + l1 * Math.sign(b)) : Math.max(Math.abs(g) - l1, 0));
  }
  return v;
}
