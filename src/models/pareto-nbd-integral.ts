/**
 * The hard part of the Pareto/NBD likelihood: the log of
 *
 *   I(t_x, T) = integral from t_x to T of (alpha + tau)^-(r + x) * (beta + tau)^-(s + 1) dtau,
 *
 * the "died between the last purchase and the end of the observation window" term. In the notation of
 * Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions" (the likelihood),
 * (s / (r + s + x)) * A0 = s * I, where A0 is the difference of two Gaussian hypergeometric terms:
 *
 *   alpha >= beta: A0 = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t_x)) / (alpha+t_x)^(r+s+x)
 *                     - 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+T))   / (alpha+T)^(r+s+x)
 *   alpha <  beta: the same with alpha <-> beta and s+1 -> r+x.
 *
 * The integral form follows from the individual likelihood: mu * lambda^x * integral e^-(lambda+mu)tau dtau
 * over the death time tau in (t_x, T], mixed over the gamma distributions of lambda and mu.
 *
 * Numerical pitfalls handled here (each checked in test/models/pareto-nbd.test.ts):
 * 1. Cancellation: when t_x is close to T, A0 is the difference of two nearly equal numbers, and computing
 *    the two 2F1 terms and subtracting loses every digit (t_x = T - 1e-9 leaves noise). Instead the two
 *    hypergeometric series are subtracted term by term: term n of both sides shares the factor
 *    h_n(t_x), and h_n(t_x) - h_n(T) = h_n(t_x) * -expm1(-(log h_n(t_x) - log h_n(T))), where the log ratio
 *    is built from log1p((T - t_x) / (alpha + t_x)). Every term of the difference is then positive: no
 *    cancellation at all, whatever T - t_x is (t_x = T gives exactly I = 0, log I = -Infinity).
 * 2. Large r + s + x: in the form of the note, 2F1(a, r+x; a+1; z) (alpha < beta) has coefficients that grow
 *    like n^(r+x-1) before decaying, so thousands of terms are needed for large x. Euler's transformation
 *    2F1(a, b; a+1; z) = (1 - z)^(1-b) 2F1(1, a+1-b; a+1; z) turns the coefficients into (s+1)_n / (a+1)_n,
 *    which shrink at once when a is large. For alpha >= beta the transformed series has coefficients
 *    (r+x)_n / (a+1)_n <= 1. Both keep every term of the difference positive (term-wise monotone in tau);
 *    the one exception, alpha < beta with r + x < 1, uses the untransformed series, whose coefficients are
 *    then decreasing anyway.
 * 3. |z| close to 1: the series converge like z^n with z = |alpha - beta| / (max(alpha, beta) + t_x), slowly
 *    when min(alpha, beta) + t_x is tiny compared with max(alpha, beta). Above z = 0.95 (more than ~700
 *    terms) the integral itself is computed by adaptive Gauss-Kronrod quadrature after the substitution
 *    tau = t_x + (m + t_x)(e^u - 1), m = min(alpha, beta), which flattens the near-singularity at tau = t_x.
 * 4. alpha = beta: z = 0 and the series is its first term, the exact closed form; no division by
 *    alpha - beta anywhere.
 * 5. Under/overflow: everything is carried as logarithms; the series sums O(1) numbers (the prefactor
 *    h_0(t_x) is factored out in log space).
 */
import { integrate } from './special/clv-numerics.js';

/** Above this |z| the hypergeometric series is replaced by quadrature (0.95^700 ~ 2e-16). */
const SERIES_Z_LIMIT = 0.95;
const MAX_TERMS = 5000;

/**
 * log sum_{n>=0} c_n z^n e_n with c_0 = 1, c_{n+1} = c_n * (c1 + n)/(c2 + n) * (c3 + n)/(c4 + n) (a ratio
 * <= 1 in every use) and e_n = -expm1(-(u0 + n * du)), u0 > 0, du >= 0 (the positive term-wise difference
 * factor). The tail after term n is bounded using c_m <= c_n and e_m / e_n <= u_m / u_n (e is concave in u
 * with e(0) = 0): tail <= term_n * sum_{j>=1} z^j (1 + j du / u_n).
 * Speed (this is the inner loop of every Pareto/NBD fit): e_n needs expm1 only while u_n is small; from
 * u_n >= 0.7 on, e_n = 1 - exp(-u_n) is accurate (e_n >= 0.5) and exp(-u_n) follows by one multiplication.
 */
function logPositiveSeries(
  z: number,
  c1: number,
  c2: number,
  c3: number,
  c4: number,
  u0: number,
  du: number,
): number {
  const k1 = z / (1 - z);
  const k2 = k1 / (1 - z);
  const decay = Math.exp(-du);
  let coefficient = 1;
  let sum = 0;
  let expNegU = -1; // exp(-u_n) once u_n >= 0.7; -1 = not yet
  for (let n = 0; n < MAX_TERMS; n++) {
    const u = u0 + n * du;
    let e: number;
    if (expNegU >= 0) {
      expNegU *= decay;
      e = 1 - expNegU;
    } else if (u >= 0.7) {
      expNegU = Math.exp(-u);
      e = 1 - expNegU;
    } else {
      e = -Math.expm1(-u);
    }
    const term = coefficient * e;
    sum += term;
    if (z === 0 || term === 0) break;
    // Tail bound: sum_{j>=1} z^j = z/(1-z), sum_{j>=1} j z^j = z/(1-z)^2.
    if (term * (k1 + (du / u) * k2) <= 1e-16 * sum) break;
    coefficient *= ((c1 + n) / (c2 + n)) * ((c3 + n) / (c4 + n)) * z;
  }
  return Math.log(sum);
}

/**
 * log of I = integral_{t_x}^{T} (alpha + tau)^-(r + x) (beta + tau)^-(s + 1) dtau; -Infinity when t_x >= T.
 * Parameters must be positive and 0 <= t_x <= T finite (not checked here: hot loop).
 */
export function logParetoNbdDeathIntegral(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (!(T > tx)) return -Infinity;
  const p = r + x; // exponent of (alpha + tau)
  const q = s + 1; // exponent of (beta + tau)
  const a = p + s; // r + s + x, the first 2F1 parameter of the note
  const alphaTx = alpha + tx;
  const betaTx = beta + tx;
  // log((alpha + T) / (alpha + t_x)) and log((beta + T) / (beta + t_x)), exact for T - t_x tiny.
  const lAlpha = Math.log1p((T - tx) / alphaTx);
  const lBeta = Math.log1p((T - tx) / betaTx);

  if (alpha >= beta) {
    const z = (alpha - beta) / alphaTx;
    if (z <= SERIES_Z_LIMIT) {
      // Euler-transformed series: I = (1/a) sum_n (p)_n/(a+1)_n (alpha-beta)^n [h_n(t_x) - h_n(T)],
      // h_n(tau) = (alpha+tau)^-(p+n) (beta+tau)^-s.
      const logSum = logPositiveSeries(z, p, a + 1, 1, 1, p * lAlpha + s * lBeta, lAlpha);
      return -Math.log(a) - p * Math.log(alphaTx) - s * Math.log(betaTx) + logSum;
    }
  } else {
    const z = (beta - alpha) / betaTx;
    if (z <= SERIES_Z_LIMIT) {
      if (p >= 1) {
        // Euler-transformed series: coefficients (s+1)_n/(a+1)_n, h_n(tau) = (beta+tau)^-(q+n) (alpha+tau)^(1-p),
        // decreasing in tau because p >= 1.
        const logSum = logPositiveSeries(z, q, a + 1, 1, 1, q * lBeta + (p - 1) * lAlpha, lBeta);
        return -Math.log(a) - q * Math.log(betaTx) - (p - 1) * Math.log(alphaTx) + logSum;
      }
      // r + x < 1: untransformed series, I = sum_n (p)_n/n! / (a+n) (beta-alpha)^n [w1^(a+n) - w2^(a+n)],
      // w = 1/(beta + tau); coefficients (normalised to c_0 = 1) c_n = (p)_n/n! * a/(a+n), decreasing.
      const logSum = logPositiveSeries(z, p, 1, a, a + 1, a * lBeta, lBeta);
      return -Math.log(a) - a * Math.log(betaTx) + logSum;
    }
  }
  return logDeathIntegralByQuadrature(p, alpha, q, beta, tx, T);
}

/**
 * Quadrature fallback for |z| > SERIES_Z_LIMIT. With m = min(alpha, beta) and
 * tau = t_x + (m + t_x)(e^u - 1), u in [0, log((m + T)/(m + t_x))], dtau = (m + tau) du, and the integrand
 * scaled by its value at u = 0 so that it starts at 1 (no underflow for huge exponents).
 */
function logDeathIntegralByQuadrature(
  p: number,
  alpha: number,
  q: number,
  beta: number,
  tx: number,
  T: number,
): number {
  const m = Math.min(alpha, beta);
  const mTx = m + tx;
  // Pitfall: with r + x ~ 1e5 the exponent -p ln(alpha + tau) carries an absolute rounding error of
  // p * 1e-16 * |ln(alpha + tau)| ~ 1e-10, which is noise in the integrand far above the quadrature
  // tolerance (the adaptive rule then never converges). The integrand is therefore written relative to its
  // value at tau = t_x: (alpha + tau)/(alpha + t_x) = 1 + cA (e^u - 1), cA = (m + t_x)/(alpha + t_x), and
  // ln of that is log1p(cA expm1(u)), exact to rounding relative to itself.
  const cA = mTx / (alpha + tx);
  const cB = mTx / (beta + tx);
  const g = (u: number): number => {
    const e = Math.expm1(u);
    return u - p * Math.log1p(cA * e) - q * Math.log1p(cB * e);
  };
  const log0 = -p * Math.log(alpha + tx) - q * Math.log(beta + tx) + Math.log(mTx);
  let upper = Math.log1p((T - tx) / mTx);
  // g is concave in u (each -k log1p(c expm1(u)) has a non-positive second derivative for 0 < c <= 1;
  // u is linear), so g(u) <= g'(0) u. With a steep start (huge r + x) the mass sits in the first
  // 60 / |g'(0)| of the range; beyond it the integrand is below e^-60 of its start. Cutting the range there
  // saves the adaptive rule dozens of bisections towards u = 0.
  const slope0 = 1 - p * cA - q * cB;
  if (slope0 < 0) upper = Math.min(upper, 60 / -slope0);
  const result = integrate((u) => Math.exp(g(u)), 0, upper, { relTol: 1e-12, maxPanels: 2000 });
  return log0 + Math.log(result.value);
}
