/**
 * Gamma-function family for the probabilistic models: log-gamma (with sign), log-beta, digamma and a
 * cancellation-free difference quotient of log-gamma.
 *
 * Method (written for this project): for x >= 10 the Stirling series
 *   ln Γ(x) = (x - 1/2) ln x - x + ln(2π)/2 + Σ_{k=1..8} B_{2k} / (2k (2k-1) x^{2k-1}),
 * whose first omitted term is below 1e-18 for x >= 10; for 0 < x < 10 the recurrence
 * Γ(x) = Γ(x + N) / (x (x+1) ... (x+N-1)) shifts the argument up; for x < 0 the reflection formula
 * Γ(x) Γ(1 - x) = π / sin(πx), with sin(πx) evaluated after exact reduction of x modulo 2 so that it stays
 * accurate far from the origin.
 *
 * Accuracy (checked against mpmath at 50 digits in test/models/special/gamma.test.ts):
 * - x >= 10: relative error of ln Γ about 1e-15;
 * - 0 < x < 10: absolute error of ln Γ below about 3e-15 (so relative accuracy degrades only next to the
 *   zeros of ln Γ at x = 1 and x = 2, where ln Γ itself is tiny);
 * - x < 0: same absolute accuracy plus the conditioning of sin(πx) next to the poles.
 * That is far below what any likelihood here can resolve (differences of 1e-10 in a total log-likelihood).
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln(2π) / 2

/** B_{2k} / (2k (2k-1)), k = 1..8: Stirling-series coefficients for ln Γ. */
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
] as const;

/** B_{2k} / (2k), k = 1..8: asymptotic-series coefficients for ψ(x) = ln x - 1/(2x) - Σ c_k / x^{2k}. */
const DIGAMMA_ASYMPTOTIC = [
  1 / 12,
  -1 / 120,
  1 / 252,
  -1 / 240,
  1 / 132,
  -691 / 32760,
  1 / 12,
  -3617 / 8160,
] as const;

/** Below this the argument is shifted up by the recurrence before the asymptotic series is used. */
const ASYMPTOTIC_FROM = 10;

/** True for 0, -1, -2, ... (the poles of Γ). @example isNonPositiveInteger(-3) // true */
export function isNonPositiveInteger(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * sin(πx) without the rounding error of multiplying a large x by π: reduce x modulo 2 exactly first.
 * Exact zeros at integers (Math.sin(Math.PI * 3) is 3.7e-16, not 0).
 */
export function sinPi(x: number): number {
  let r = x % 2; // exact in floating point
  if (r < 0) r += 2;
  if (r === 0 || r === 1) return 0;
  if (r === 0.5) return 1;
  if (r === 1.5) return -1;
  // Map to [-1/2, 1/2] using sin(π(1 - r)) = sin(πr) and sin(π(r - 2)) = sin(πr).
  if (r > 1.5) r -= 2;
  else if (r > 0.5) r = 1 - r;
  return Math.sin(Math.PI * r);
}

/** cos(πx) with the same exact reduction. */
function cosPi(x: number): number {
  return sinPi(x + 0.5);
}

/** Stirling series for ln Γ(y), y >= 10. */
function lgammaStirling(y: number): number {
  const inv = 1 / y;
  const inv2 = inv * inv;
  let series = 0;
  let p = inv;
  for (const c of STIRLING) {
    series += c * p;
    p *= inv2;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + series;
}

/**
 * ln |Γ(x)| for real x; +Infinity at the poles 0, -1, -2, ...; NaN for NaN.
 *
 * Reference: Abramowitz & Stegun 6.1.40 (Stirling), 6.1.15 (recurrence), 6.1.17 (reflection).
 *
 * @example lgamma(5) // ln 24 = 3.1780538303479458
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x === -Infinity) return NaN;
  if (isNonPositiveInteger(x)) return Infinity;
  if (x >= ASYMPTOTIC_FROM) return lgammaStirling(x);
  if (x > 0) {
    // Pitfall: for tiny x, Γ(x) ~ 1/x; the product below stays representable (>= x * 9!), and its log is
    // exact to rounding, so ln Γ(1e-300) = 690.77... comes out right.
    let product = 1;
    let y = x;
    while (y < ASYMPTOTIC_FROM) {
      product *= y;
      y += 1;
    }
    return lgammaStirling(y) - Math.log(product);
  }
  // Reflection: |Γ(x)| = π / (|sin(πx)| Γ(1 - x)).
  return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
}

/**
 * Sign of Γ(x): +1 for x > 0; for x < 0 it alternates between consecutive poles (negative on (-1, 0),
 * positive on (-2, -1), ...); 0 at the poles (where 1/Γ vanishes); NaN for NaN.
 *
 * @example gammaSign(-0.5) // -1, since Γ(-1/2) = -2√π
 */
export function gammaSign(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return 1;
  if (isNonPositiveInteger(x)) return 0;
  // Between -n-1 and -n the sign is (-1)^(n+1).
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/**
 * Γ(x) as a number (overflows to ±Infinity beyond about x = 171.6; prefer lgamma inside formulas).
 *
 * @example gamma(0.5) // √π = 1.7724538509055159
 */
export function gamma(x: number): number {
  const s = gammaSign(x);
  if (s === 0) return NaN;
  if (Number.isInteger(x) && x > 0 && x <= 30) {
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return f;
  }
  return s * Math.exp(lgamma(x));
}

/**
 * ψ(x) = d/dx ln Γ(x) (digamma) for real x; NaN at the poles.
 *
 * Reference: Abramowitz & Stegun 6.3.18 (asymptotic), 6.3.5 (recurrence), 6.3.7 (reflection).
 *
 * @example digamma(1) // -0.5772156649015329 (minus the Euler–Mascheroni constant)
 */
export function digamma(x: number): number {
  if (Number.isNaN(x) || isNonPositiveInteger(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x < 0) {
    // ψ(x) = ψ(1 - x) - π cot(πx); cot from the exactly reduced sin/cos.
    return digamma(1 - x) - (Math.PI * cosPi(x)) / sinPi(x);
  }
  let shift = 0;
  let y = x;
  while (y < ASYMPTOTIC_FROM) {
    shift += 1 / y;
    y += 1;
  }
  const inv2 = 1 / (y * y);
  let series = 0;
  let p = inv2;
  for (const c of DIGAMMA_ASYMPTOTIC) {
    series += c * p;
    p *= inv2;
  }
  return Math.log(y) - 0.5 / y - series - shift;
}

/**
 * log1p(h / y) / h, and its limit 1 / y at h = 0: one step of ln Γ(x+h) - ln Γ(x) under the recurrence
 * (ln(y + h) - ln y = log1p(h/y), exact to rounding where the plain difference would cancel).
 *
 * @example log1pRatio(3, 1e-20) // 1/3
 */
export function log1pRatio(y: number, h: number): number {
  if (h === 0) return 1 / y;
  const u = h / y;
  // Pitfall: 1 + u <= 0 means the step crosses a pole; |.| keeps it real (the caller tracks the sign).
  return (u > -1 ? Math.log1p(u) : Math.log(Math.abs(1 + u))) / h;
}

/**
 * (ln |Γ(x + h)| - ln |Γ(x)|) / h, computed without cancellation for small h (it tends to ψ(x) as h -> 0,
 * and equals ψ(x) at h = 0 exactly). Needed where two log-gammas differ by a tiny argument shift, e.g. in
 * the near-integer branch of hyp2f1 and in lbeta for one large argument.
 *
 * Method: shift x up with the recurrence (each step contributes log1p(h / (x+j)) / h, which is exact to
 * rounding), then difference the Stirling series term by term: (y - 1/2) log1p(h/y) + h ln(y + h) - h +
 * Σ c_k y^{1-2k} expm1((1-2k) log1p(h/y)). For arguments on both sides of a pole (or both negative) it falls
 * back to reflection or a plain difference.
 *
 * @example lgammaSlope(3, 1e-12) // ≈ ψ(3) = 0.9227843350984671, to full precision
 */
export function lgammaSlope(x: number, h: number): number {
  if (h === 0) return digamma(x);
  const xh = x + h;
  if (x > 0 && xh > 0) {
    let shift = 0;
    let y = x;
    while (Math.min(y, y + h) < ASYMPTOTIC_FROM) {
      shift += log1pRatio(y, h);
      y += 1;
    }
    const l = Math.log1p(h / y);
    let series = 0;
    let p = 1 / y; // y^{1-2k}
    const inv2 = 1 / (y * y);
    for (let k = 1; k <= STIRLING.length; k++) {
      series += STIRLING[k - 1]! * p * Math.expm1((1 - 2 * k) * l);
      p *= inv2;
    }
    const diff = (y - 0.5) * l + h * Math.log(y + h) - h + series;
    return diff / h - shift;
  }
  if (x < 1 && xh < 1 && !isNonPositiveInteger(x) && !isNonPositiveInteger(xh)) {
    // ln|Γ(x)| = ln π - ln|sin πx| - ln Γ(1 - x). The sine ratio sin(π(x+h))/sin(πx) is
    // cos(πh) + cot(πx) sin(πh) = 1 - 2 sin²(πh/2) + cot(πx) sin(πh), taken through log1p.
    const cot = cosPi(x) / sinPi(x);
    const s2 = sinPi(h / 2);
    const u = -2 * s2 * s2 + cot * sinPi(h);
    const logSineRatio = u > -1 ? Math.log1p(u) : Math.log(Math.abs(1 + u));
    return -logSineRatio / h + lgammaSlope(1 - x, -h);
  }
  return (lgamma(xh) - lgamma(x)) / h;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b) for a, b > 0 (log-magnitude for other real arguments).
 *
 * Pitfall: with one large argument (b >> a) the three log-gammas are huge and nearly cancel; then
 * ln B = ln Γ(a) - a · lgammaSlope(b, a) keeps full relative accuracy.
 *
 * @example lbeta(2, 3) // ln(1/12) = -2.4849066497880004
 */
export function lbeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (small > 0 && large >= ASYMPTOTIC_FROM) {
    return lgamma(small) - small * lgammaSlope(large, small);
  }
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}
