/**
 * Numerical derivatives of a scalar objective by central differences, used for the BFGS gradient and for
 * the observed-information matrix (standard errors) at a maximum-likelihood optimum.
 */

/** Objective on an unconstrained vector (here: log-parameters). */
export type Objective = (x: readonly number[]) => number;

/** Gradient of an Objective. */
export type Gradient = (x: readonly number[]) => number[];

/**
 * Relative step for first derivatives: about the cube root of machine epsilon, which balances the O(h²)
 * truncation error of central differences against the O(ε f / h) rounding error.
 */
const GRADIENT_STEP = 6e-6;

/** Relative step for second derivatives: about ε^(1/4), the balance for O(h²) truncation vs ε f / h². */
const HESSIAN_STEP = 1e-4;

function step(rel: number, xi: number): number {
  // Pitfall: the step must be an exactly representable difference, or (x+h) - x != h adds error.
  const h = rel * Math.max(1, Math.abs(xi));
  const xh = xi + h;
  return xh - xi;
}

/**
 * Central-difference gradient (f(x + h e_i) - f(x - h e_i)) / 2h, 2n evaluations.
 *
 * @example centralGradient(([x, y]) => x * x + 3 * y, [1, 2]) // ≈ [2, 3]
 */
export function centralGradient(f: Objective, x: readonly number[]): number[] {
  const xs = [...x];
  return x.map((xi, i) => {
    const h = step(GRADIENT_STEP, xi);
    xs[i] = xi + h;
    const up = f(xs);
    xs[i] = xi - h;
    const down = f(xs);
    xs[i] = xi;
    return (up - down) / (2 * h);
  });
}

/**
 * Central-difference Hessian: diagonal from (f(x+h) - 2 f(x) + f(x-h)) / h², off-diagonal from the
 * four-point formula (f(++) - f(+-) - f(-+) + f(--)) / (4 h_i h_j); 1 + 2n + 2n(n-1) evaluations.
 * The result is exactly symmetric. Non-finite values propagate (the caller checks positive definiteness).
 *
 * @example centralHessian(([x, y]) => x * x * y, [1, 2]) // ≈ [[4, 2], [2, 0]]
 */
export function centralHessian(f: Objective, x: readonly number[], fx = f(x)): number[][] {
  const n = x.length;
  const h = x.map((xi) => step(HESSIAN_STEP, xi));
  const xs = [...x];
  const at = (i: number, si: number, j: number, sj: number): number => {
    xs[i] = x[i]! + si * h[i]!;
    xs[j] = x[j]! + sj * h[j]!;
    const v = f(xs);
    xs[i] = x[i]!;
    xs[j] = x[j]!;
    return v;
  };
  const hess: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    xs[i] = x[i]! + h[i]!;
    const up = f(xs);
    xs[i] = x[i]! - h[i]!;
    const down = f(xs);
    xs[i] = x[i]!;
    hess[i]![i] = (up - 2 * fx + down) / (h[i]! * h[i]!);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i]! * h[j]!);
      hess[i]![j] = v;
      hess[j]![i] = v;
    }
  }
  return hess;
}

/**
 * Hessian from an analytic gradient by central differences of the gradient (2n gradient evaluations),
 * symmetrised as (J + Jᵀ)/2. More accurate than second differences of f: the error is O(h²) with the
 * first-derivative step instead of ε^(1/2)-limited.
 *
 * @example hessianFromGradient(([x, y]) => [2 * x * y, x * x], [1, 2]) // ≈ [[4, 2], [2, 0]]
 */
export function hessianFromGradient(grad: Gradient, x: readonly number[]): number[][] {
  const n = x.length;
  const xs = [...x];
  const jac: number[][] = [];
  for (let i = 0; i < n; i++) {
    const h = step(GRADIENT_STEP, x[i]!);
    xs[i] = x[i]! + h;
    const up = grad(xs);
    xs[i] = x[i]! - h;
    const down = grad(xs);
    xs[i] = x[i]!;
    jac.push(up.map((u, j) => (u - down[j]!) / (2 * h)));
  }
  return jac.map((row, i) => row.map((v, j) => (v + jac[j]![i]!) / 2));
}
