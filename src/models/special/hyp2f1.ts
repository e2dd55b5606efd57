/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z <= 1, written for the
 * BG/NBD and Pareto/NBD predictions (conditional and unconditional expected transactions, Pareto/NBD
 * likelihood).
 *
 * Strategy (all identities from Abramowitz & Stegun ch. 15, "A&S" below):
 * 1. Special cases: z = 0 or a = 0 or b = 0 gives 1; a or b a non-positive integer gives a polynomial
 *    (summed exactly); c a non-positive integer without an earlier termination is a pole (NaN); z = 1 uses
 *    Gauss's summation theorem (A&S 15.1.20) when c - a - b > 0 and is +Infinity otherwise; z > 1 is on
 *    the branch cut and gives NaN.
 * 2. z < 0: Pfaff's transformation (A&S 15.3.4 / 15.3.5) maps z to w = z / (z - 1) in (0, 1); of the two
 *    forms, the one whose series has same-signed terms (then the smaller parameters) is used.
 * 3. 0 < z <= 0.9: the defining power series (A&S 15.1.1), stopped when the remaining tail is provably
 *    below 1e-16 of the sum.
 * 4. 0.9 < z < 1: the series converges like z^n, too slowly, so the 1 - z transformation (A&S 15.3.6) is
 *    used. Pitfall: when d = c - a - b is (close to) an integer the two halves of 15.3.6 have poles that
 *    cancel; the code then uses its own epsilon-expansion of 15.3.6 (for d = m + ε, |ε| <= 0.05), in which
 *    the cancelling pair is combined analytically as expm1(D_k)/ε with D_k built from log1p terms, so the
 *    result stays accurate for ε -> 0 and reduces to A&S 15.3.10/15.3.11 (digamma form) at ε = 0. A
 *    negative d is first turned positive with Euler's transformation (A&S 15.3.3).
 *    Pitfall: with large parameters the 1 - z series themselves have huge, cancelling terms, and the
 *    log-gamma prefactors are large numbers whose rounding is magnified by exp. The code estimates the
 *    resulting relative error and, above 1e-13, sums the direct series instead (up to a few million
 *    terms, when that can finish), which is slower but has same-signed terms in that regime.
 *
 * Accuracy against mpmath (test/models/special/hyp2f1.test.ts, plus a 2,000-case random sweep during
 * development): relative error below 1e-13 for parameters up to about 20, including z within 1e-12 of 1,
 * z down to -1e6 and d within 1e-13 of an integer; with parameters around 100 and z within 1e-3 of 1 it
 * degrades to about 1e-11 (the log-gamma prefactors are then numbers of size ~500). Values that are
 * themselves the result of cancellation (tiny results of alternating series) carry an absolute error.
 */
import { gammaSign, isNonPositiveInteger, lgamma, lgammaSlope, log1pRatio } from './gamma.js';

/** Relative size below which a series term ends the sum (with a geometric tail bound on top). */
const SERIES_EPS = 1e-17;
/** Above this z (0 < z < 1) the 1 - z transformation is used. */
const TRANSFORM_FROM = 0.9;
/** Half-width of the band around an integer d in which the epsilon-expansion is used. */
const NEAR_INTEGER = 0.05;
/** Terms allowed in the 1 - z series before they count as ill-conditioned. */
const TRANSFORM_MAX_TERMS = 2000;
/** Terms allowed in the fallback direct series. */
const DIRECT_MAX_TERMS = 5_000_000;
/** Estimated relative error accepted from the 1 - z transformation without trying the direct series. */
const ACCEPT_ERROR = 1e-13;

/** Unit roundoff of doubles. */
const U = 1.1102230246251565e-16;

interface GammaRatio {
  readonly log: number;
  readonly sign: number;
  /** Σ |ln Γ| of the factors: the absolute error of `log` is about U times this. */
  readonly magnitude: number;
}

/** log |Π Γ(num)| / |Π Γ(den)| with sign: sign 0 when a denominator sits on a pole (1/Γ = 0). */
function gammaRatio(num: readonly number[], den: readonly number[]): GammaRatio {
  let log = 0;
  let sign = 1;
  let magnitude = 0;
  for (const x of den) {
    const s = gammaSign(x);
    if (s === 0) return { log: -Infinity, sign: 0, magnitude: 0 };
    sign *= s;
    const l = lgamma(x);
    log -= l;
    magnitude += Math.abs(l);
  }
  for (const x of num) {
    const s = gammaSign(x);
    if (s === 0) return { log: Infinity, sign: NaN, magnitude: Infinity };
    sign *= s;
    const l = lgamma(x);
    log += l;
    magnitude += Math.abs(l);
  }
  return { log, sign, magnitude };
}

interface SeriesResult {
  readonly sum: number;
  /** Largest |term| seen, to measure cancellation. */
  readonly maxTerm: number;
  readonly converged: boolean;
  readonly terms: number;
}

/**
 * Σ_n (a)_n (b)_n / ((c)_n n!) z^n for |z| < 1 (or terminating). The tail after term n is bounded by
 * |t_n| · ρ / (1 - ρ) with ρ the larger of the current term ratio and |z| (the ratio tends to z from
 * either side), so the stop is safe even when the terms still grow slowly.
 */
function powerSeries(a: number, b: number, c: number, z: number, maxTerms: number): SeriesResult {
  let term = 1;
  let sum = 1;
  let maxTerm = 1;
  const az = Math.abs(z);
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    if (term === 0) return { sum, maxTerm, converged: true, terms: n }; // terminating (a or b = -n)
    sum += term;
    const at = Math.abs(term);
    if (at > maxTerm) maxTerm = at;
    if (!Number.isFinite(sum)) return { sum, maxTerm, converged: false, terms: n };
    const rho = Math.max(Math.abs(ratio), az);
    if (rho < 1 && at * (1 / (1 - rho)) <= SERIES_EPS * Math.abs(sum)) {
      return { sum, maxTerm, converged: true, terms: n };
    }
  }
  return { sum, maxTerm, converged: false, terms: maxTerms };
}

/** A polynomial case: a or b a non-positive integer (any finite z). */
function polynomial(a: number, b: number, c: number, z: number): number {
  const degree = -(isNonPositiveInteger(a) ? (isNonPositiveInteger(b) ? Math.max(a, b) : a) : b);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < degree; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
  }
  return sum;
}

interface TransformResult {
  readonly value: number;
  /**
   * Estimated relative error: Σ over the contributions of |contribution| times its own relative error
   * (roundoff of the series plus U times the magnitude of the log-gamma prefactor), over |value|.
   */
  readonly error: number;
}

/** Relative error estimate of a series: rounding grows about like the square root of the term count. */
function seriesError(r: SeriesResult): number {
  return U * (4 + Math.sqrt(r.terms)) * (r.maxTerm / Math.abs(r.sum));
}

/**
 * A&S 15.3.6 for d = c - a - b not near an integer: s = 1 - z (given exactly by the caller).
 * F = Γ(c)Γ(d)/(Γ(c-a)Γ(c-b)) F(a, b; 1-d; s) + s^d Γ(c)Γ(-d)/(Γ(a)Γ(b)) F(c-a, c-b; 1+d; s).
 */
function oneMinusZGeneral(a: number, b: number, c: number, s: number): TransformResult | null {
  const d = c - a - b;
  const g1 = gammaRatio([c, d], [c - a, c - b]);
  const g2 = gammaRatio([c, -d], [a, b]);
  const s1 = powerSeries(a, b, 1 - d, s, TRANSFORM_MAX_TERMS);
  const s2 = powerSeries(c - a, c - b, 1 + d, s, TRANSFORM_MAX_TERMS);
  if (!s1.converged || !s2.converged) return null;
  const logS = Math.log(s);
  const f1 = g1.sign === 0 ? 0 : g1.sign * Math.exp(g1.log);
  const f2 = g2.sign === 0 ? 0 : g2.sign * Math.exp(g2.log + d * logS);
  const value = f1 * s1.sum + f2 * s2.sum;
  const e1 = Math.abs(f1) * s1.maxTerm * (U * (4 + g1.magnitude) + seriesError(s1));
  const e2 = Math.abs(f2) * s2.maxTerm * (U * (4 + g2.magnitude + Math.abs(d * logS)) + seriesError(s2));
  return { value, error: (e1 + e2) / Math.abs(value) };
}

/**
 * A&S 15.3.6 rewritten for d = m + ε with integer m >= 0 and |ε| <= NEAR_INTEGER (own derivation; reduces
 * to A&S 15.3.11 at ε = 0). With s = 1 - z:
 *
 *   F = Γ(c)Γ(d)/(Γ(c-a)Γ(c-b)) Σ_{n<m} (a)_n (b)_n / ((1-d)_n n!) s^n
 *     + (-1)^m s^{m+ε} Γ(c) / (Γ(a)Γ(b)Γ(1+m+ε)) · (πε / sin πε) · Σ_k q_k s^k E_k
 *
 * where q_0 = 1, q_{k+1} = q_k (a+m+k+ε)(b+m+k+ε) / ((k+1)(1+m+k+ε)), E_k = expm1(ε D_k)/ε, and
 *   D_0 = -ln s - S(a+m, ε) - S(b+m, ε) + S(1+m, ε) + S(1, -ε),     S = lgammaSlope,
 *   D_{k+1} = D_k - L(a+m+k, ε) - L(b+m+k, ε) + L(1+m+k, ε) + L(1+k, -ε),   L(y, h) = log1p(h/y)/h.
 * The pair of terms of 15.3.6 whose poles in ε cancel is exactly Q_k · expm1(ε D_k) here, so nothing
 * cancels numerically. Returns null when an argument sits within ε of a pole of Γ (the log-ratio of a
 * pair of gammas would change sign); the caller then falls back to the direct series.
 */
function oneMinusZNearInteger(a: number, b: number, c: number, s: number): TransformResult | null {
  const d = c - a - b;
  const m = Math.round(d);
  const eps = d - m;
  const am = a + m;
  const bm = b + m;
  for (const x of [am, bm]) {
    // Γ(x) and Γ(x + ε) (and their shifts) must have the same sign: no pole within |ε| of x + k, x <= 0.
    if (x < 0.5 && Math.abs(x - Math.round(x)) <= Math.abs(eps) + 1e-12) return null;
  }
  const logS = Math.log(s);
  let absError = 0;
  let partA = 0;
  if (m >= 1) {
    const g1 = gammaRatio([c, d], [c - a, c - b]);
    if (g1.sign !== 0) {
      const f1 = g1.sign * Math.exp(g1.log);
      let term = 1;
      let sum = 1;
      let maxTerm = 1;
      for (let n = 0; n < m - 1; n++) {
        term *= (((a + n) * (b + n)) / ((1 - d + n) * (n + 1))) * s;
        sum += term;
        maxTerm = Math.max(maxTerm, Math.abs(term));
      }
      partA = f1 * sum;
      absError = Math.abs(f1) * maxTerm * U * (4 + m + g1.magnitude);
    }
  }
  const g2 = gammaRatio([c], [a, b, 1 + m + eps]);
  if (g2.sign === 0) return { value: partA, error: absError / Math.abs(partA) };
  const sinc = eps === 0 ? 1 : (Math.PI * eps) / Math.sin(Math.PI * eps);
  const pre = (m % 2 === 0 ? 1 : -1) * g2.sign * Math.exp(g2.log + (m + eps) * logS) * sinc;
  let dk =
    -logS - lgammaSlope(am, eps) - lgammaSlope(bm, eps) + lgammaSlope(1 + m, eps) + lgammaSlope(1, -eps);
  let q = 1; // q_k s^k
  let sum = 0;
  let maxTerm = 0;
  let converged = false;
  let terms = 0;
  for (let k = 0; k < TRANSFORM_MAX_TERMS; k++) {
    terms = k + 1;
    const e = eps === 0 ? dk : Math.expm1(eps * dk) / eps;
    const term = q * e;
    sum += term;
    const at = Math.abs(term);
    if (at > maxTerm) maxTerm = at;
    const ratio = (((am + k + eps) * (bm + k + eps)) / ((k + 1) * (1 + m + k + eps))) * s;
    // E_k grows only like ln k, so the geometric bound on q with a safety factor 2 is ample.
    const rho = Math.max(Math.abs(ratio), s);
    if (k > 0 && rho < 1 && 2 * at * (1 / (1 - rho)) <= SERIES_EPS * Math.abs(sum)) {
      converged = true;
      break;
    }
    if (!Number.isFinite(sum)) return null;
    dk +=
      -log1pRatio(am + k, eps) -
      log1pRatio(bm + k, eps) +
      log1pRatio(1 + m + k, eps) +
      log1pRatio(1 + k, -eps);
    q *= ratio;
  }
  if (!converged) return null;
  const partB = pre * sum;
  const value = partA + partB;
  const magnitude = g2.magnitude + Math.abs((m + eps) * logS) + Math.abs(dk);
  absError += Math.abs(pre) * maxTerm * U * (8 + magnitude + Math.sqrt(terms));
  return { value, error: absError / Math.abs(value) };
}

/** value = mantissa · exp(logScale): keeps huge Euler/Pfaff prefactors from overflowing separately. */
interface Scaled {
  readonly mantissa: number;
  readonly logScale: number;
}

/** 2F1 for 0 < z < 1, with s = 1 - z supplied exactly (the Pfaff path knows it as 1/(1 - z_original)). */
function hyp2f1Unit(a: number, b: number, c: number, z: number, s: number): Scaled {
  if (z <= TRANSFORM_FROM) {
    return { mantissa: powerSeries(a, b, c, z, DIRECT_MAX_TERMS).sum, logScale: 0 };
  }
  let logScale = 0;
  let aa = a;
  let bb = b;
  if (c - a - b < 0) {
    // Euler: F(a,b;c;z) = s^{c-a-b} F(c-a, c-b; c; z) turns d negative into -d positive.
    // Pitfall: s^{c-a-b} alone can overflow (s = 1e-6, c-a-b = -130) while the product is moderate.
    logScale = (c - a - b) * Math.log(s);
    aa = c - a;
    bb = c - b;
    if (isNonPositiveInteger(aa) || isNonPositiveInteger(bb)) {
      return { mantissa: polynomial(aa, bb, c, z), logScale };
    }
  }
  const d = c - aa - bb;
  const eps = d - Math.round(d);
  const candidates: TransformResult[] = [];
  const near = Math.abs(eps) <= NEAR_INTEGER ? oneMinusZNearInteger(aa, bb, c, s) : null;
  if (near !== null) candidates.push(near);
  // The general form when d is not near an integer, or when the epsilon form is unusable (a parameter
  // within ε of a pole of Γ): it then loses about a factor 1/|ε|, which its error estimate accounts for.
  if (near === null && eps !== 0) {
    const general = oneMinusZGeneral(aa, bb, c, s);
    if (general !== null) candidates.push(general);
  }
  let best: TransformResult | null = null;
  for (const t of candidates) {
    if (Number.isFinite(t.value) && (best === null || t.error < best.error)) best = t;
  }
  if (best !== null && best.error <= ACCEPT_ERROR) return { mantissa: best.value, logScale };
  // Ill-conditioned transformation (large parameters, whose 1 - z series have huge cancelling terms) or a
  // parameter next to a pole: the direct series has same-signed terms there; try it if it can finish.
  const termsNeeded = 40 / s + 2 * (Math.abs(a) + Math.abs(b) + Math.abs(c));
  if (best === null || termsNeeded <= DIRECT_MAX_TERMS) {
    const direct = powerSeries(a, b, c, z, DIRECT_MAX_TERMS);
    if (best === null || (direct.converged && seriesError(direct) < best.error)) {
      return { mantissa: direct.sum, logScale: 0 };
    }
  }
  return { mantissa: best.value, logScale };
}

function unscale(v: Scaled, extraLog: number): number {
  if (v.mantissa === 0) return 0;
  return v.mantissa * Math.exp(v.logScale + extraLog);
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) = Σ_n (a)_n (b)_n / ((c)_n n!) z^n, real arguments,
 * z <= 1 (NaN on the branch cut z > 1 and at poles c = 0, -1, ... unless the series terminates first).
 *
 * Reference: Abramowitz & Stegun (1964), Handbook of Mathematical Functions, 15.1.1, 15.1.20, 15.3.3–15.3.6,
 * 15.3.10–15.3.11. Used by BG/NBD (Fader, Hardie & Lee 2005, eq. 9 and 10) and Pareto/NBD.
 *
 * @example hyp2f1(1, 1, 2, -1) // ln 2 = 0.6931471805599453
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if ([a, b, c, z].some(Number.isNaN)) return NaN;
  const aTerm = isNonPositiveInteger(a);
  const bTerm = isNonPositiveInteger(b);
  if (isNonPositiveInteger(c)) {
    // A pole unless the series stops (a or b = -k with k < -c) before (c)_n hits zero.
    const stopsFirst = (aTerm && a > c) || (bTerm && b > c);
    if (!stopsFirst) return NaN;
  }
  if (z === 0 || a === 0 || b === 0) return 1;
  if (aTerm || bTerm) return polynomial(a, b, c, z);
  if (z > 1) return NaN;
  if (z === 1) {
    const d = c - a - b;
    if (d <= 0) return Infinity;
    const g = gammaRatio([c, d], [c - a, c - b]);
    return g.sign === 0 ? 0 : g.sign * Math.exp(g.log);
  }
  if (z < 0) {
    // Pfaff: F(a,b;c;z) = (1-z)^{-a} F(a, c-b; c; w) = (1-z)^{-b} F(c-a, b; c; w), w = z/(z-1) in (0,1).
    const oneMinusZ = 1 - z;
    const w = z / (z - 1);
    const s = 1 / oneMinusZ; // 1 - w, exactly as a quotient (1 - w would lose digits when w ~ 1)
    const logOneMinusZ = Math.log1p(-z);
    const cb = c - b;
    const ca = c - a;
    // Prefer the form whose series has same-signed terms: a negative upper parameter p flips the sign of
    // the first ~|p| terms, and those cancel (catastrophically for p ~ -100). Ties: smaller parameters.
    const negativePart = (p: number, q: number): number => Math.max(0, -p) + Math.max(0, -q);
    const negA = negativePart(a, cb);
    const negB = negativePart(ca, b);
    const useFirst = isNonPositiveInteger(cb)
      ? true
      : isNonPositiveInteger(ca)
        ? false
        : negA !== negB
          ? negA < negB
          : Math.abs(a) + Math.abs(cb) <= Math.abs(ca) + Math.abs(b);
    if (useFirst) {
      const inner = isNonPositiveInteger(cb)
        ? { mantissa: polynomial(a, cb, c, w), logScale: 0 }
        : hyp2f1Unit(a, cb, c, w, s);
      return unscale(inner, -a * logOneMinusZ);
    }
    const inner = isNonPositiveInteger(ca)
      ? { mantissa: polynomial(ca, b, c, w), logScale: 0 }
      : hyp2f1Unit(ca, b, c, w, s);
    return unscale(inner, -b * logOneMinusZ);
  }
  return unscale(hyp2f1Unit(a, b, c, z, 1 - z), 0);
}
