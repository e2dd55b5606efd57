/**
 * Nelder–Mead downhill simplex (Nelder & Mead 1965, with the standard coefficients: reflection 1,
 * expansion 2, contraction 1/2, shrink 1/2, as in Lagarias et al. 1998). Derivative-free and tolerant of
 * +Infinity (an infeasible or overflowing point simply ranks worst), so it is the first, robust stage of
 * the maximum-likelihood fit; BFGS then polishes.
 */
import type { Objective } from './hessian.js';

export interface NelderMeadOptions {
  /** Initial simplex: x0 plus `initialStep` along each axis. */
  readonly initialStep?: number;
  readonly maxEvaluations?: number;
  /** Stop when the spread of objective values over the simplex is below this (absolute). */
  readonly fTolerance?: number;
  /** ... and the simplex is smaller than this in every coordinate. */
  readonly xTolerance?: number;
}

export interface NelderMeadResult {
  readonly x: number[];
  readonly f: number;
  readonly evaluations: number;
  readonly iterations: number;
  /** True when the tolerances were met before the evaluation budget ran out. */
  readonly converged: boolean;
}

/**
 * Minimise f from x0. Non-finite objective values are treated as +Infinity.
 *
 * @example nelderMead(([x, y]) => (x - 1) ** 2 + (y + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function nelderMead(
  f: Objective,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = x0.length;
  const initialStep = options.initialStep ?? 0.5;
  const maxEvaluations = options.maxEvaluations ?? 200 * n;
  const fTolerance = options.fTolerance ?? 1e-8;
  const xTolerance = options.xTolerance ?? 1e-6;
  let evaluations = 0;
  const value = (x: readonly number[]): number => {
    evaluations++;
    const v = f(x);
    // Pitfall: NaN compares false with everything and would wreck the ordering; map it to +Infinity.
    return Number.isFinite(v) ? v : Infinity;
  };

  let simplex: number[][] = [[...x0]];
  for (let i = 0; i < n; i++) {
    const v = [...x0];
    v[i] = v[i]! + initialStep;
    simplex.push(v);
  }
  let fs = simplex.map(value);
  let iterations = 0;
  let converged = false;

  const combine = (a: readonly number[], b: readonly number[], t: number): number[] =>
    a.map((ai, i) => ai + t * (b[i]! - ai)); // a + t (b - a)

  while (evaluations < maxEvaluations) {
    // Order the vertices best first.
    const order = fs.map((_, i) => i).sort((i, j) => fs[i]! - fs[j]!);
    simplex = order.map((i) => simplex[i]!);
    fs = order.map((i) => fs[i]!);
    const best = fs[0]!;
    const worst = fs[n]!;
    let size = 0;
    for (let k = 1; k <= n; k++) {
      for (let i = 0; i < n; i++) size = Math.max(size, Math.abs(simplex[k]![i]! - simplex[0]![i]!));
    }
    if (Number.isFinite(worst) && worst - best <= fTolerance && size <= xTolerance) {
      converged = true;
      break;
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i]! += simplex[k]![i]! / n;
    const worstX = simplex[n]!;
    const reflected = combine(centroid, worstX, -1);
    const fr = value(reflected);
    if (fr < best) {
      const expanded = combine(centroid, worstX, -2);
      const fe = value(expanded);
      if (fe < fr) {
        simplex[n] = expanded;
        fs[n] = fe;
      } else {
        simplex[n] = reflected;
        fs[n] = fr;
      }
      continue;
    }
    if (fr < fs[n - 1]!) {
      simplex[n] = reflected;
      fs[n] = fr;
      continue;
    }
    // Contraction: outside if the reflection improved on the worst, inside otherwise.
    const outside = fr < worst;
    const contracted = combine(centroid, worstX, outside ? -0.5 : 0.5);
    const fc = value(contracted);
    if (fc < (outside ? fr : worst)) {
      simplex[n] = contracted;
      fs[n] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    for (let k = 1; k <= n; k++) {
      simplex[k] = combine(simplex[0]!, simplex[k]!, 0.5);
      fs[k] = value(simplex[k]!);
    }
  }
  let bi = 0;
  for (let k = 1; k <= n; k++) if (fs[k]! < fs[bi]!) bi = k;
  return { x: simplex[bi]!, f: fs[bi]!, evaluations, iterations, converged };
}
