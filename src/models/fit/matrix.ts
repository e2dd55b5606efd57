/**
 * Small dense symmetric-matrix helpers for the maximum-likelihood fit (a handful of parameters, so plain
 * arrays of rows and O(n³) algorithms are the right tool).
 */

export type Matrix = number[][];

/** n × n identity, optionally scaled. */
export function identity(n: number, scale = 1): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? scale : 0)));
}

/** Matrix-vector product A v. */
export function matVec(a: readonly (readonly number[])[], v: readonly number[]): number[] {
  return a.map((row) => row.reduce((s, aij, j) => s + aij * v[j]!, 0));
}

/** Dot product. */
export function dot(u: readonly number[], v: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  return s;
}

/** Largest absolute entry (the ∞-norm of a vector). */
export function maxAbs(v: readonly number[]): number {
  let m = 0;
  for (const x of v) m = Math.max(m, Math.abs(x));
  return m;
}

/**
 * Cholesky factor L (lower triangular, A = L Lᵀ) of a symmetric matrix, or null when A is not positive
 * definite (a pivot <= 0 or non-finite). Only the lower triangle of A is read.
 *
 * @example cholesky([[4, 2], [2, 3]]) // [[2, 0], [1, 1.4142135623730951]]
 */
export function cholesky(a: readonly (readonly number[])[]): Matrix | null {
  const n = a.length;
  const l: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! * l[j]![k]!;
    // Pitfall: a non-positive or NaN pivot means the matrix is not (numerically) positive definite.
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / ljj;
    }
  }
  return l;
}

/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor (A⁻¹ = L⁻ᵀ L⁻¹), or null
 * when A is not positive definite. The result is exactly symmetric.
 *
 * @example inverseSpd([[4, 2], [2, 3]]) // [[0.375, -0.25], [-0.25, 0.5]]
 */
export function inverseSpd(a: readonly (readonly number[])[]): Matrix | null {
  const l = cholesky(a);
  if (l === null) return null;
  const n = a.length;
  // Invert the lower-triangular L by forward substitution, column by column.
  const li: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    li[j]![j] = 1 / l[j]![j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i]![k]! * li[k]![j]!;
      li[i]![j] = s / l[i]![i]!;
    }
  }
  // A⁻¹ = (L⁻¹)ᵀ L⁻¹.
  const inv: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += li[k]![i]! * li[k]![j]!;
      inv[i]![j] = s;
      inv[j]![i] = s;
    }
  }
  return inv;
}
