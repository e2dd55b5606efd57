import { Random } from '../../src/models/random.js';

export interface Simulated {
  readonly x: Float64Array;
  readonly t_x: Float64Array;
  readonly T: Float64Array;
}

/**
 * Simulate n customers of a BG/NBD (dropAtStart = false) or MBG/NBD (dropAtStart = true) population,
 * each observed for a T drawn uniformly from [Tmin, Tmax]: λ ~ Gamma(r, rate α), p ~ Beta(a, b); Poisson
 * purchases at rate λ; after each purchase (and, for MBG/NBD, also at time 0) the customer drops out with
 * probability p.
 */
export function simulateBgFamily(
  params: { r: number; alpha: number; a: number; b: number },
  n: number,
  seed: number,
  dropAtStart: boolean,
  Tmin = 20,
  Tmax = 52,
): Simulated {
  const rng = new Random(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Ti = Tmin + (Tmax - Tmin) * rng.uniform();
    const lambda = rng.gamma(params.r, params.alpha);
    const p = rng.beta(params.a, params.b);
    let alive = !(dropAtStart && rng.uniform() < p);
    let t = 0;
    let xi = 0;
    let last = 0;
    while (alive) {
      t += rng.exponential(lambda);
      if (t > Ti) break;
      xi++;
      last = t;
      if (rng.uniform() < p) alive = false;
    }
    x[i] = xi;
    tx[i] = last;
    T[i] = Ti;
  }
  return { x, t_x: tx, T };
}

/**
 * Simulate Gamma-Gamma spend: ν ~ Gamma(q, rate γ) per customer, each of x transactions ~ Gamma(p, rate ν);
 * x uniform on 1..maxX. Returns x and the mean spend zbar.
 */
export function simulateGammaGamma(
  params: { p: number; q: number; v: number },
  n: number,
  seed: number,
  maxX = 8,
): { x: Float64Array; zbar: Float64Array } {
  const rng = new Random(seed);
  const x = new Float64Array(n);
  const zbar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const xi = 1 + Math.floor(rng.uniform() * maxX);
    const nu = rng.gamma(params.q, params.v);
    let s = 0;
    for (let k = 0; k < xi; k++) s += rng.gamma(params.p, nu);
    x[i] = xi;
    zbar[i] = s / xi;
  }
  return { x, zbar };
}
