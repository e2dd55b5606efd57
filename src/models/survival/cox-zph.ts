/**
 * Test of the proportional-hazards assumption of a Cox fit, equal to R's `cox.zph(fit)` in survival 3.x
 * (transform "km", terms = TRUE, global = TRUE).
 *
 * For each covariate the model is extended by a term β*_j g(t) x_j, g a transform of time centred over the
 * event times; the test is the score test of β* = 0 with β held at the fit (all original coefficients stay
 * in the information matrix, with zero score). This is Grambsch & Therneau's test computed exactly, not the
 * older regression of scaled Schoenfeld residuals on g(t) of survival 2.x (which approximated the
 * information by its average and gives somewhat different numbers).
 *
 *   u_j   = Σ_events g(t) (x_ij - x̄_j(t)),        I = [[A, B], [B, C]],  A = Σ V(t), B = Σ g V(t), C = Σ g² V(t)
 *
 * with x̄(t) and V(t) the risk-weighted mean and covariance at each event time (Efron or Breslow as in the
 * fit). A term (a set of columns, e.g. the dummies of one categorical variable) is tested on as many degrees
 * of freedom as it has columns; GLOBAL tests all of them.
 * g for "km" is 1 - S(t-), S the Kaplan-Meier estimate on all subjects read just before t.
 *
 * Reference: Grambsch & Therneau (1994); Therneau & Grambsch (2000), section 6.2.
 *
 * @example coxZph(tenure, churned, design, fit).global.chisq // 191.13 on the Telco data (R: 191.1266)
 */

import { inverseSpd, dot, matVec } from '../fit/matrix.js';
import { chiSquareSurvival } from '../special/distributions.js';
import { linearPredictor, prepareCoxData } from './cox-likelihood.js';
import type { CoxFit } from './cox.js';
import type { DesignMatrix } from './design.js';
import { SurvivalInputError } from './errors.js';
import { kaplanMeier } from './kaplan-meier.js';

export type ZphTransform = 'km' | 'identity' | 'log' | 'rank';

export interface ZphRow {
  readonly term: string;
  readonly chisq: number;
  readonly df: number;
  readonly p: number;
}

export interface ZphResult {
  readonly transform: ZphTransform;
  readonly terms: readonly ZphRow[];
  readonly global: ZphRow;
}

/** g(t) per input row for the chosen transform. */
function timeTransform(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  transform: ZphTransform,
): Float64Array {
  const n = times.length;
  const g = new Float64Array(n);
  if (transform === 'identity') {
    for (let i = 0; i < n; i++) g[i] = times[i]!;
  } else if (transform === 'log') {
    for (let i = 0; i < n; i++) g[i] = Math.log(times[i]!);
  } else if (transform === 'rank') {
    // Average ranks (R's rank with ties.method "average").
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]! - times[b]!);
    for (let a = 0; a < n;) {
      let b = a;
      while (b < n && times[order[b]!] === times[order[a]!]) b++;
      for (let k = a; k < b; k++) g[order[k]!] = (a + 1 + b) / 2;
      a = b;
    }
  } else {
    const km = kaplanMeier(times, events);
    for (let i = 0; i < n; i++) {
      // Last curve time strictly before t_i: S(t-), left-continuous.
      let lo = 0;
      let hi = km.time.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (km.time[mid]! < times[i]!) lo = mid + 1;
        else hi = mid;
      }
      g[i] = 1 - (lo === 0 ? 1 : km.survival[lo - 1]!);
    }
  }
  return g;
}

/**
 * Proportional-hazards test of a fitted Cox model; pass the same data the model was fitted on.
 */
export function coxZph(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  design: DesignMatrix,
  fit: CoxFit,
  transform: ZphTransform = 'km',
): ZphResult {
  if (!['km', 'identity', 'log', 'rank'].includes(transform)) {
    throw new RangeError(`transform must be km, identity, log or rank, got ${String(transform)}`);
  }
  const data = prepareCoxData(times, events, design.columns);
  const { n, p, x, status, tieStart, order } = data;
  if (fit.coefficients.length !== p)
    throw new SurvivalInputError('the fit and the design matrix differ in columns');
  const gRow = timeTransform(times, events, transform);
  let gMean = 0;
  for (let k = 0; k < n; k++) if (status[k] === 1) gMean += gRow[order[k]!]!;
  gMean /= data.nEvents;

  const eta = linearPredictor(data, fit.coefficients);
  let shift = -Infinity;
  for (let k = 0; k < n; k++) shift = Math.max(shift, eta[k]!);
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const d1 = new Float64Array(p);
  const d2 = new Float64Array(p * p);
  const mean = new Float64Array(p);
  const u = new Float64Array(2 * p);
  const q = 2 * p;
  const imat = new Float64Array(q * q);
  let s0 = 0;
  for (let grp = 0; grp < tieStart.length - 1; grp++) {
    const a = tieStart[grp]!;
    const b = tieStart[grp + 1]!;
    let d = 0;
    let d0 = 0;
    d1.fill(0);
    d2.fill(0);
    const g = gRow[order[a]!]! - gMean; // the same for every subject at this time
    for (let k = a; k < b; k++) {
      const r = Math.exp(eta[k]! - shift);
      const row = k * p;
      s0 += r;
      for (let j = 0; j < p; j++) {
        const rx = r * x[row + j]!;
        s1[j]! += rx;
        for (let l = 0; l <= j; l++) s2[j * p + l]! += rx * x[row + l]!;
        if (status[k] === 1) {
          d1[j]! += rx;
          for (let l = 0; l <= j; l++) d2[j * p + l]! += rx * x[row + l]!;
        }
      }
      if (status[k] === 1) {
        d++;
        d0 += r;
        for (let j = 0; j < p; j++) {
          u[j]! += x[row + j]!;
          u[p + j]! += g * x[row + j]!;
        }
      }
    }
    if (d === 0) continue;
    const terms = fit.ties === 'efron' ? d : 1;
    const weight = fit.ties === 'efron' ? 1 : d;
    for (let t = 0; t < terms; t++) {
      const f = fit.ties === 'efron' ? t / d : 0;
      const denom = s0 - f * d0;
      for (let j = 0; j < p; j++) {
        mean[j] = (s1[j]! - f * d1[j]!) / denom;
        u[j]! -= weight * mean[j]!;
        u[p + j]! -= weight * g * mean[j]!;
      }
      for (let j = 0; j < p; j++) {
        for (let l = 0; l <= j; l++) {
          const c = weight * ((s2[j * p + l]! - f * d2[j * p + l]!) / denom - mean[j]! * mean[l]!);
          imat[j * q + l]! += c;
          imat[(p + j) * q + l]! += g * c;
          imat[(p + j) * q + (p + l)]! += g * g * c;
          if (l !== j) imat[(p + l) * q + j]! += g * c;
        }
      }
    }
  }
  // Fill the symmetric matrix from its lower triangle.
  const full = Array.from({ length: q }, (_, i) =>
    Array.from({ length: q }, (_, j) => (j <= i ? imat[i * q + j]! : imat[j * q + i]!)),
  );
  const scoreTest = (cols: readonly number[], label: string): ZphRow => {
    const kk = [...Array.from({ length: p }, (_, j) => j), ...cols.map((c) => p + c)];
    const sub = kk.map((i) => kk.map((j) => full[i]![j]!));
    const uu = kk.map((i, idx) => (idx < p ? 0 : u[i]!));
    const inv = inverseSpd(sub);
    const chisq = inv === null ? NaN : dot(uu, matVec(inv, uu));
    return { term: label, chisq, df: cols.length, p: chiSquareSurvival(chisq, cols.length) };
  };
  const termRows = design.terms.filter((t) => t.columns.length > 0).map((t) => scoreTest(t.columns, t.name));
  return {
    transform,
    terms: termRows,
    global: scoreTest(
      Array.from({ length: p }, (_, j) => j),
      'GLOBAL',
    ),
  };
}
