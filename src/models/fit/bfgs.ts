/**
 * BFGS quasi-Newton minimisation (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithm 6.1) with
 * central-difference gradients and a backtracking Armijo line search.
 *
 * Numerical pitfalls guarded:
 * - non-finite objective values count as +Infinity, so the line search steps back from them;
 * - the first step is capped in length (a unit step along -g can be huge in log-parameter space and
 *   overflow exp);
 * - the inverse-Hessian update is skipped when the curvature yᵀs is not clearly positive (it would destroy
 *   positive definiteness); a non-descent direction resets it to a scaled identity;
 * - near the optimum the objective's rounding noise can defeat the Armijo test although the gradient still
 *   points the right way; a step that lowers the gradient norm without raising f beyond that noise is then
 *   accepted, and the search stops cleanly when neither works.
 */
import { centralGradient, type Gradient, type Objective } from './hessian.js';
import { dot, identity, matVec, maxAbs, type Matrix } from './matrix.js';

export interface BfgsOptions {
  readonly maxIterations?: number;
  /** Stop when max |∂f/∂x_i| falls below this. */
  readonly gradientTolerance?: number;
  /** Longest step (∞-norm) taken at once. */
  readonly maxStep?: number;
  /**
   * Also stop when the quasi-Newton decrement gᵀHg (H the current inverse-Hessian estimate, after at least
   * n updates) falls below this: the squared distance to the optimum in "standard error" units. Default 0.
   */
  readonly decrementTolerance?: number;
  /** Analytic gradient of f; default: central differences (2n evaluations of f). */
  readonly gradient?: Gradient;
}

export interface BfgsResult {
  readonly x: number[];
  readonly f: number;
  readonly gradient: number[];
  readonly iterations: number;
  /** Why it stopped. */
  readonly reason: 'gradient' | 'max-iterations' | 'no-progress' | 'non-finite';
}

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 50;

/**
 * Minimise f from x0.
 *
 * @example bfgs(([x, y]) => (x - 1) ** 2 + 10 * (y - x * x) ** 2, [0, 0]).x // ≈ [1, 1]
 */
export function bfgs(f: Objective, x0: readonly number[], options: BfgsOptions = {}): BfgsResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-6;
  const maxStep = options.maxStep ?? 2;
  const decrementTolerance = options.decrementTolerance ?? 0;
  const value = (x: readonly number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const gradientAt = options.gradient ?? ((x: readonly number[]) => centralGradient(value, x));

  let x = [...x0];
  let fx = value(x);
  if (!Number.isFinite(fx))
    return { x, f: fx, gradient: new Array<number>(n).fill(NaN), iterations: 0, reason: 'non-finite' };
  let g = gradientAt(x);
  if (!g.every(Number.isFinite)) return { x, f: fx, gradient: g, iterations: 0, reason: 'non-finite' };
  let hInv: Matrix = identity(n);
  let scaled = false;
  let updates = 0;
  let noiseSteps = 0;
  let stalls = 0;
  let iterations = 0;
  // Rounding noise of f: a few ulps of |f| times a safety factor.
  const noise = (v: number): number => 1e-12 * Math.max(1, Math.abs(v));

  while (iterations < maxIterations) {
    const gnorm = maxAbs(g);
    if (gnorm <= gtol) return { x, f: fx, gradient: g, iterations, reason: 'gradient' };
    let p = matVec(hInv, g).map((v) => -v);
    let slope = dot(g, p);
    if (updates >= n && -slope <= decrementTolerance) {
      return { x, f: fx, gradient: g, iterations, reason: 'gradient' };
    }
    iterations++;
    if (!(slope < 0)) {
      hInv = identity(n);
      scaled = false;
      updates = 0;
      p = g.map((v) => -v);
      slope = dot(g, p);
    }
    const plen = maxAbs(p);
    if (plen > maxStep) {
      p = p.map((v) => (v * maxStep) / plen);
      slope = dot(g, p);
    }
    // Backtracking line search (halving, with a quadratic-interpolation guess when it is sensible).
    let alpha = 1;
    let xNew: number[] = x;
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      xNew = x.map((xi, i) => xi + alpha * p[i]!);
      fNew = value(xNew);
      if (fNew <= fx + ARMIJO * alpha * slope) {
        accepted = true;
        break;
      }
      let next = alpha / 2;
      if (Number.isFinite(fNew)) {
        // Minimiser of the quadratic through f(0), f'(0) and f(alpha), kept within [alpha/10, alpha/2].
        const q = (-slope * alpha * alpha) / (2 * (fNew - fx - slope * alpha));
        if (Number.isFinite(q)) next = Math.min(alpha / 2, Math.max(alpha / 10, q));
      }
      alpha = next;
    }
    let gNew: number[] | null = null;
    if (accepted) noiseSteps = 0;
    else if (noiseSteps < 3) {
      // Noise fallback (at most three in a row): the full quasi-Newton step, if f does not rise beyond
      // rounding noise and the gradient gets smaller.
      noiseSteps++;
      const xFull = x.map((xi, i) => xi + p[i]!);
      const fFull = value(xFull);
      if (fFull <= fx + noise(fx)) {
        const gFull = gradientAt(xFull);
        if (gFull.every(Number.isFinite) && maxAbs(gFull) < gnorm) {
          xNew = xFull;
          fNew = fFull;
          gNew = gFull;
          alpha = 1;
          accepted = true;
        }
      }
    }
    if (!accepted) return { x, f: fx, gradient: g, iterations, reason: 'no-progress' };
    gNew ??= gradientAt(xNew);
    if (!gNew.every(Number.isFinite)) return { x, f: fx, gradient: g, iterations, reason: 'non-finite' };
    // Stall detection: a step that neither lowers f beyond rounding noise nor shrinks the gradient
    // (Armijo passes with equality when the predicted decrease is below one ulp of f) makes no progress;
    // three in a row end the search instead of spinning until the iteration limit.
    if (fx - fNew <= noise(fx) && maxAbs(gNew) >= 0.5 * gnorm) {
      stalls++;
      if (stalls >= 3) return { x: xNew, f: fNew, gradient: gNew, iterations, reason: 'no-progress' };
    } else stalls = 0;
    const s = p.map((v) => alpha * v);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        // Nocedal & Wright (6.20): scale the initial identity by yᵀs / yᵀy before the first update.
        hInv = identity(n, sy / dot(y, y));
        scaled = true;
      }
      // H ← (I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ, ρ = 1 / yᵀs.
      updates++;
      const rho = 1 / sy;
      const hy = matVec(hInv, y);
      const yhy = dot(y, hy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          hInv[i]![j] =
            hInv[i]![j]! - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!;
        }
      }
    }
    x = xNew;
    fx = fNew;
    g = gNew;
  }
  return { x, f: fx, gradient: g, iterations, reason: maxAbs(g) <= gtol ? 'gradient' : 'max-iterations' };
}
