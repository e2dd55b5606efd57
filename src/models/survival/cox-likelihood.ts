/**
 * Cox partial log-likelihood with its gradient (score) and information matrix, for Efron's or Breslow's
 * handling of tied event times. Subjects are processed from the latest time to the earliest, so every risk
 * set is a running sum: one pass, O(n p²) per evaluation.
 *
 * With risk r_i = exp(x_i β), at an event time with d events (set D) and risk set R:
 *   Breslow: ℓ += Σ_D x_i β - d log S0,                     S0 = Σ_R r_i
 *   Efron:   ℓ += Σ_D x_i β - Σ_{k=0}^{d-1} log(S0 - (k/d) Σ_D r_i)
 * and the score and information follow with the weighted means S1/S0 and S2/S0 (Efron: the same k/d
 * down-weighting of the tied events in S1 and S2).
 *
 * Pitfall: exp(x β) overflows for large linear predictors; every risk is scaled by exp(-max xβ), which
 * cancels in every ratio and adds a known constant to log S0.
 *
 * Reference: Efron (1977); Breslow (1974); Therneau & Grambsch (2000), section 3.3.
 */

import { checkTime, eventFlag } from './counts.js';
import { SurvivalInputError } from './errors.js';

export type CoxTies = 'efron' | 'breslow';

/** Subjects sorted by decreasing time, covariates row-major and centred. */
export interface CoxData {
  readonly n: number;
  readonly p: number;
  /** order[k] = input row of the k-th subject in decreasing time. */
  readonly order: Uint32Array;
  readonly time: Float64Array;
  readonly status: Uint8Array;
  /** n × p, row-major, in sorted order, minus the column means. */
  readonly x: Float64Array;
  /** Column means subtracted from x. */
  readonly center: Float64Array;
  /** Start of each group of equal times (in sorted order), plus n at the end. */
  readonly tieStart: Uint32Array;
  readonly nEvents: number;
}

/** Validates and sorts the data; columns are the covariates, column-major. */
export function prepareCoxData(
  times: ArrayLike<number>,
  events: ArrayLike<number | boolean>,
  columns: readonly ArrayLike<number>[],
): CoxData {
  const n = times.length;
  const p = columns.length;
  if (events.length !== n)
    throw new SurvivalInputError(`times and events differ in length (${n} and ${events.length})`);
  const status0 = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    checkTime(times[i]!, i);
    status0[i] = eventFlag(events[i]!, i);
  }
  columns.forEach((c, j) => {
    if (c.length !== n) throw new SurvivalInputError(`covariate ${j} has ${c.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]!))
        throw new SurvivalInputError(`covariate ${j} row ${i} is not finite: ${c[i]}`);
    }
  });
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => times[b]! - times[a]!);
  const time = new Float64Array(n);
  const status = new Uint8Array(n);
  const center = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += columns[j]![i]!;
    center[j] = s / n;
  }
  const x = new Float64Array(n * p);
  let nEvents = 0;
  const starts: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    time[k] = times[i]!;
    status[k] = status0[i]!;
    nEvents += status[k]!;
    if (k === 0 || time[k] !== time[k - 1]) starts.push(k);
    for (let j = 0; j < p; j++) x[k * p + j] = columns[j]![i]! - center[j]!;
  }
  starts.push(n);
  return { n, p, order, time, status, x, center, tieStart: Uint32Array.from(starts), nEvents };
}

export interface CoxEvaluation {
  readonly logLik: number;
  readonly score: Float64Array;
  /** p × p observed information (minus the Hessian). */
  readonly information: number[][];
}

/** Linear predictors x β (centred x) in sorted order. */
export function linearPredictor(data: CoxData, beta: ArrayLike<number>): Float64Array {
  const { n, p, x } = data;
  const eta = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += x[k * p + j]! * beta[j]!;
    eta[k] = s;
  }
  return eta;
}

/**
 * Partial log-likelihood, score and information at β.
 *
 * @example coxEvaluate(prepareCoxData([1, 2], [1, 1], [[0, 1]]), [0], 'efron').logLik // -log 2
 */
export function coxEvaluate(data: CoxData, beta: ArrayLike<number>, ties: CoxTies): CoxEvaluation {
  const { n, p, x, status, tieStart } = data;
  const eta = linearPredictor(data, beta);
  let shift = -Infinity;
  for (let k = 0; k < n; k++) if (eta[k]! > shift) shift = eta[k]!;
  if (!Number.isFinite(shift)) shift = 0;
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const d1 = new Float64Array(p);
  const d2 = new Float64Array(p * p);
  const mean = new Float64Array(p);
  const score = new Float64Array(p);
  const info = new Float64Array(p * p);
  let s0 = 0;
  let logLik = 0;
  for (let g = 0; g < tieStart.length - 1; g++) {
    const a = tieStart[g]!;
    const b = tieStart[g + 1]!;
    let d = 0;
    let d0 = 0;
    d1.fill(0);
    d2.fill(0);
    for (let k = a; k < b; k++) {
      const r = Math.exp(eta[k]! - shift);
      const row = k * p;
      s0 += r;
      for (let j = 0; j < p; j++) {
        const rx = r * x[row + j]!;
        s1[j]! += rx;
        for (let l = 0; l <= j; l++) s2[j * p + l]! += rx * x[row + l]!;
      }
      if (status[k] === 1) {
        d++;
        d0 += r;
        logLik += eta[k]!;
        for (let j = 0; j < p; j++) {
          const rx = r * x[row + j]!;
          score[j]! += x[row + j]!;
          d1[j]! += rx;
          for (let l = 0; l <= j; l++) d2[j * p + l]! += rx * x[row + l]!;
        }
      }
    }
    if (d === 0) continue;
    // Breslow uses the full risk set d times; Efron removes k/d of the tied events in the k-th term.
    const terms = ties === 'efron' ? d : 1;
    const weight = ties === 'efron' ? 1 : d;
    for (let t = 0; t < terms; t++) {
      const f = ties === 'efron' ? t / d : 0;
      const denom = s0 - f * d0;
      logLik -= weight * (Math.log(denom) + shift);
      for (let j = 0; j < p; j++) {
        mean[j] = (s1[j]! - f * d1[j]!) / denom;
        score[j]! -= weight * mean[j]!;
      }
      for (let j = 0; j < p; j++) {
        for (let l = 0; l <= j; l++) {
          const c = (s2[j * p + l]! - f * d2[j * p + l]!) / denom - mean[j]! * mean[l]!;
          info[j * p + l]! += weight * c;
        }
      }
    }
  }
  const information = Array.from({ length: p }, (_, j) =>
    Array.from({ length: p }, (_, l) => (l <= j ? info[j * p + l]! : info[l * p + j]!)),
  );
  return { logLik, score, information };
}
