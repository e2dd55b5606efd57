/**
 * Sufficient statistics for the buy-till-you-die models: per customer (x, t_x, T) — repeat transactions,
 * time of the last repeat transaction, age (all in the model's time unit, measured from the first
 * transaction) — and optionally the mean repeat spend. Likelihoods take the compressed form: each distinct
 * row once with a weight (the number of customers who share it), as in Fader, Hardie & Lee's spreadsheet
 * note ("Implementing the BG/NBD model in Excel", 2005) and BTYD's `compress.cbs`.
 */
import { UserError } from '../util/errors.js';
import {
  fitMaximumLikelihood,
  type MaximumLikelihoodFit,
  type MaximumLikelihoodProblem,
} from './fit/maximum-likelihood.js';
import { dot, matVec } from './fit/matrix.js';

/** Rows of sufficient statistics with weights (a compressed table, or raw rows with weight 1). */
export interface RfmRows {
  /** Number of repeat transactions. */
  readonly x: Float64Array;
  /** Time of the last repeat transaction (0 when x = 0). */
  readonly t_x: Float64Array;
  /** Time between the first transaction and the end of the calibration period. */
  readonly T: Float64Array;
  /** Number of customers the row stands for. */
  readonly weight: Float64Array;
  /** Mean repeat-transaction value, when given to compressRfm. */
  readonly monetary?: Float64Array;
}

export interface CompressedRfm extends RfmRows {
  /** For each input row (customer) i, the index of its compressed row. */
  readonly rowOf: Uint32Array;
  /** Number of input rows (customers), the sum of the weights. */
  readonly customers: number;
}

/** Input that does not satisfy 0 <= t_x <= T, x >= 0, all finite. */
export class InvalidSummaryError extends UserError {}

function check(i: number, x: number, tx: number, T: number, m: number | undefined): void {
  const problem = !(Number.isFinite(x) && Number.isFinite(tx) && Number.isFinite(T))
    ? 'non-finite value'
    : x < 0
      ? 'negative x'
      : tx < 0
        ? 'negative t_x'
        : tx > T
          ? 't_x greater than T'
          : T <= 0
            ? 'T not positive'
            : x === 0 && tx !== 0
              ? 't_x must be 0 when x = 0'
              : m !== undefined && !Number.isFinite(m)
                ? 'non-finite monetary value'
                : null;
  if (problem !== null) {
    throw new InvalidSummaryError(
      `customer summary row ${i}: ${problem} (x=${x}, t_x=${tx}, T=${T}${m === undefined ? '' : `, monetary=${m}`})`,
    );
  }
}

/**
 * Compress per-customer (x, t_x, T[, monetary]) into distinct rows with weights (first-appearance order).
 * Rows are identical when all given columns are identical (so with monetary values the compression is
 * weaker; Gamma-Gamma uses compressSpend instead). Throws InvalidSummaryError on impossible rows.
 *
 * @example
 * const c = compressRfm([0, 2, 0], [0, 30.43, 0], [38.86, 38.86, 38.86]);
 * // c.x = [0, 2], c.weight = [2, 1], c.rowOf = [0, 1, 0]
 */
export function compressRfm(
  x: ArrayLike<number>,
  t_x: ArrayLike<number>,
  T: ArrayLike<number>,
  monetary?: ArrayLike<number>,
): CompressedRfm {
  const n = x.length;
  if (t_x.length !== n || T.length !== n || (monetary !== undefined && monetary.length !== n)) {
    throw new InvalidSummaryError('customer summary columns have different lengths');
  }
  const table = new RowTable(monetary === undefined ? 3 : 4);
  const rowOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const txi = t_x[i]!;
    const Ti = T[i]!;
    const mi = monetary === undefined ? 0 : monetary[i]!;
    check(i, xi, txi, Ti, monetary === undefined ? undefined : mi);
    rowOf[i] = table.add(xi, txi, Ti, mi);
  }
  const [ox, otx, oT, om] = table.columns();
  return {
    x: ox!,
    t_x: otx!,
    T: oT!,
    weight: table.weights(),
    ...(monetary === undefined ? {} : { monetary: om! }),
    rowOf,
    customers: n,
  };
}

/** Distinct rows of one to four columns (see distinctRows). */
export interface DistinctRows {
  /** The distinct rows, one array per column, in first-appearance order. */
  readonly values: readonly Float64Array[];
  /** How many input rows each distinct row stands for. */
  readonly count: Float64Array;
  /** For each input row, the index of its distinct row. */
  readonly indexOf: Uint32Array;
}

/**
 * Distinct rows of one to four numeric columns (exact equality; +0 and -0 are one value), in
 * first-appearance order, with each input row's index into them. A hash table on the values' bits:
 * about ten times faster than a Map on string keys at a million rows.
 *
 * @example distinctRows([[2, 0, 2], [5, 1, 5]]) // values [[2, 0], [5, 1]], count [2, 1], indexOf [0, 1, 0]
 */
export function distinctRows(columns: readonly ArrayLike<number>[]): DistinctRows {
  const width = columns.length;
  if (width < 1 || width > 4) throw new RangeError(`distinctRows takes 1 to 4 columns, not ${width}`);
  const n = columns[0]!.length;
  if (columns.some((c) => c.length !== n)) throw new RangeError('distinctRows: columns of different lengths');
  const [a, b, c, d] = columns;
  const table = new RowTable(Math.max(2, width) as 2 | 3 | 4);
  const indexOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    indexOf[i] = table.add(
      a![i]!,
      b === undefined ? 0 : b[i]!,
      c === undefined ? 0 : c[i]!,
      d === undefined ? 0 : d[i]!,
    );
  }
  return { values: table.columns().slice(0, width), count: table.weights(), indexOf };
}

/** Scratch space to read a double's bits as two 32-bit words. */
const BITS = new Float64Array(1);
const WORDS = new Int32Array(BITS.buffer);

/** One MurmurHash3 block step: a 32-bit word mixed into h. */
function step(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Hash of a double's bits, chained onto h. */
function hashDouble(h: number, v: number): number {
  BITS[0] = v;
  return step(step(h, WORDS[0]!), WORDS[1]!);
}

/**
 * Distinct rows of up to four doubles, in first-appearance order, with a weight per row: an
 * open-addressing hash table (linear probing, load at most 1/2) on the values' bits; equality is exact,
 * +0 and -0 are one value. About ten times faster than a Map on string keys at a million rows. Values
 * must be finite. Unused trailing values are 0 (and cost a comparison, not a branch).
 */
class RowTable {
  private slots = new Int32Array(1024); // entry index + 1, 0 = empty
  private hashes = new Int32Array(512);
  private c0 = new Float64Array(512);
  private c1 = new Float64Array(512);
  private c2 = new Float64Array(512);
  private c3 = new Float64Array(512);
  private counts = new Float64Array(512);
  private size = 0;

  constructor(private readonly width: 2 | 3 | 4) {}

  /** The row's index (added with weight w, or its weight raised by w). */
  add(a: number, b: number, c: number, d: number, w = 1): number {
    // + 0 turns -0 into +0, so that equal values have equal bits.
    a += 0;
    b += 0;
    c += 0;
    d += 0;
    let h = hashDouble(hashDouble(0x2545f491, a), b);
    if (this.width > 2) h = hashDouble(h, c);
    if (this.width > 3) h = hashDouble(h, d);
    // MurmurHash3's finaliser: every input bit affects the low bits used as the slot.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[s]! - 1;
      if (e < 0) {
        const k = this.size++;
        if (k === this.counts.length) this.grow();
        this.c0[k] = a;
        this.c1[k] = b;
        this.c2[k] = c;
        this.c3[k] = d;
        this.counts[k] = w;
        this.hashes[k] = h;
        slots[s] = k + 1;
        if (2 * this.size > slots.length) this.rehash();
        return k;
      }
      if (
        this.hashes[e] === h &&
        this.c0[e] === a &&
        this.c1[e] === b &&
        this.c2[e] === c &&
        this.c3[e] === d
      ) {
        this.counts[e]! += w;
        return e;
      }
    }
  }

  /** The distinct rows, one array per value, trimmed to their number. */
  columns(): Float64Array[] {
    return [this.c0, this.c1, this.c2, this.c3].slice(0, this.width).map((v) => v.slice(0, this.size));
  }

  weights(): Float64Array {
    return this.counts.slice(0, this.size);
  }

  private grow(): void {
    const capacity = this.counts.length * 2;
    const bigger = (old: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.c0 = bigger(this.c0);
    this.c1 = bigger(this.c1);
    this.c2 = bigger(this.c2);
    this.c3 = bigger(this.c3);
    this.counts = bigger(this.counts);
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.size; k++) {
      let s = this.hashes[k]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }
}

/**
 * Raw rows with weight 1 (no compression), e.g. to check that compression does not change a fit.
 *
 * @example uncompressedRfm([0, 2], [0, 30.43], [38.86, 38.86]).weight // [1, 1]
 */
export function uncompressedRfm(x: ArrayLike<number>, t_x: ArrayLike<number>, T: ArrayLike<number>): RfmRows {
  const n = x.length;
  for (let i = 0; i < n; i++) check(i, x[i]!, t_x[i]!, T[i]!, undefined);
  return {
    x: Float64Array.from(x),
    t_x: Float64Array.from(t_x),
    T: Float64Array.from(T),
    weight: new Float64Array(n).fill(1),
  };
}

/** Repeat buyers' spend rows for Gamma-Gamma: distinct (x, mean spend) pairs with weights, x > 0 only. */
export interface SpendRows {
  /** Number of repeat transactions (> 0). */
  readonly x: Float64Array;
  /** Mean value of the repeat transactions (> 0). */
  readonly zbar: Float64Array;
  readonly weight: Float64Array;
}

/**
 * Keep customers with x > 0 and compress identical (x, zbar) pairs. Throws InvalidSummaryError for a
 * repeat buyer with a non-positive or non-finite mean spend (Gamma-Gamma needs zbar > 0).
 *
 * @example compressSpend([2, 0, 2], [22.35, 0, 22.35]) // x = [2], zbar = [22.35], weight = [2]
 */
export function compressSpend(x: ArrayLike<number>, zbar: ArrayLike<number>): SpendRows {
  if (x.length !== zbar.length) throw new InvalidSummaryError('spend columns have different lengths');
  const table = new RowTable(2);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const zi = zbar[i]!;
    if (!(xi > 0)) continue;
    if (!(zi > 0) || !Number.isFinite(zi) || !Number.isFinite(xi)) {
      throw new InvalidSummaryError(
        `spend row ${i}: mean spend must be positive for a repeat buyer (x=${xi}, zbar=${zi})`,
      );
    }
    table.add(xi, zi, 0, 0);
  }
  const [ox, oz] = table.columns();
  return { x: ox!, zbar: oz!, weight: table.weights() };
}

/** Rows per plainly summed block in the likelihoods' loops (the block sums are compensated). */
export const BLOCK = 256;

/**
 * A few Neumaier-compensated running sums (Neumaier 1974: the rounding error of each addition is
 * recovered exactly and accumulated apart), for adding the block sums of the likelihoods' loops.
 *
 * @example const s = new CompensatedSums(1); s.add(0, 1e16); s.add(0, 1); s.add(0, -1e16); s.total(0) // 1
 */
export class CompensatedSums {
  private readonly sums: Float64Array;
  private readonly errors: Float64Array;

  constructor(count: number) {
    this.sums = new Float64Array(count);
    this.errors = new Float64Array(count);
  }

  add(i: number, v: number): void {
    const s = this.sums[i]!;
    const t = s + v;
    this.errors[i]! += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    this.sums[i] = t;
  }

  total(i: number): number {
    return this.sums[i]! + this.errors[i]!;
  }
}

/**
 * A coarser copy of (compressed) rows for a quick first fit: t_x and T rounded to a grid of `bins` steps
 * over the largest T (T to at least one step, t_x to at most T), identical rows merged with their weights
 * summed. A million customers' ~3e5 distinct rows become a few thousand. See fitCoarseToFine.
 *
 * @example coarsenRfm(compressRfm(x, t_x, T), 32).x.length // a few thousand at most for day-level data
 */
export function coarsenRfm(data: RfmRows, bins = 32): RfmRows {
  const n = data.x.length;
  let maxT = 0;
  for (let i = 0; i < n; i++) maxT = Math.max(maxT, data.T[i]!);
  const h = maxT / bins;
  const table = new RowTable(3);
  for (let i = 0; i < n; i++) {
    const xi = data.x[i]!;
    const T = Math.max(1, Math.round(data.T[i]! / h)) * h;
    const tx = xi > 0 ? Math.min(Math.round(data.t_x[i]! / h) * h, T) : 0;
    table.add(xi, tx, T, 0, data.weight[i]!);
  }
  const [x, t_x, T] = table.columns();
  return { x: x!, t_x: t_x!, T: T!, weight: table.weights() };
}

/**
 * A coarser copy of spend rows for a quick first fit: mean spends rounded to a geometric grid of relative
 * step `step` (5 % by default), identical rows merged with their weights summed. See fitCoarseToFine.
 *
 * @example coarsenSpend(compressSpend(x, zbar)).x.length // a few thousand at most
 */
export function coarsenSpend(data: SpendRows, step = 0.05): SpendRows {
  const table = new RowTable(2);
  const lnStep = Math.log1p(step);
  for (let i = 0; i < data.x.length; i++) {
    const z = Math.exp(Math.round(Math.log(data.zbar[i]!) / lnStep) * lnStep);
    table.add(data.x[i]!, z, 0, 0, data.weight[i]!);
  }
  const [x, zbar] = table.columns();
  return { x: x!, zbar: zbar!, weight: table.weights() };
}

/** Rows above which the model fits go coarse-to-fine (fitCoarseToFine); CDNOW-sized data fit directly. */
export const COARSE_TO_FINE_ROWS = 20_000;

/**
 * Maximum likelihood on many rows, coarse to fine: (1) the full procedure of fitMaximumLikelihood,
 * restarts included, on a coarsened copy of the data (a few thousand rows: cheap); (2) Newton steps on the
 * full data from that optimum, with the full data's gradient and the coarse fit's curvature (its inverse
 * Hessian, recovered from its covariance), until the Newton decrement is negligible; (3)
 * fitMaximumLikelihood on the full data from there, which then only confirms the optimum and computes
 * the Hessian for the standard errors. The result is the full data's optimum, as from a direct fit (which
 * from a cold start needs ~60 likelihood and ~60 gradient evaluations per start on all rows, and more
 * when the likelihood's rounding noise stalls its line search near the optimum).
 *
 * If the coarse fit fails, or the Newton steps do not converge, the full fit starts from the coarse
 * optimum (or from the given starts), so the result never depends on the shortcut working.
 */
export function fitCoarseToFine(
  full: MaximumLikelihoodProblem,
  coarse: Pick<MaximumLikelihoodProblem, 'logLikelihood' | 'gradient'>,
): MaximumLikelihoodFit {
  const gradient = full.gradient;
  if (gradient === undefined) return fitMaximumLikelihood(full);
  let coarseFit: MaximumLikelihoodFit;
  try {
    coarseFit = fitMaximumLikelihood({ ...full, ...coarse });
  } catch {
    return fitMaximumLikelihood(full);
  }
  const start = newtonRefine(coarseFit, gradient, full.penalty ?? 0) ?? coarseFit.values;
  return fitMaximumLikelihood({ ...full, starts: [start] });
}

/** Newton decrement below which the refined start counts as the optimum (far below the fit's tolerances). */
const REFINE_DECREMENT = 1e-19;
const REFINE_STEPS = 12;

/**
 * Quasi-Newton iteration in log-parameter space on the penalised objective -LL + λ Σ (ln p)², with the
 * full data's gradient and, as the first inverse Hessian, the coarse fit's (cov(ln p_i, ln p_j) =
 * cov(p_i, p_j) / (p_i p_j)), improved by BFGS updates along the way. From the coarse optimum (a fraction
 * of a standard error away) it reaches a decrement of 1e-19 in about six gradients. Null when the
 * covariance is unusable or the iteration diverges or leaves finite values.
 */
function newtonRefine(
  coarse: MaximumLikelihoodFit,
  gradient: (params: readonly number[]) => readonly number[],
  penalty: number,
): number[] | null {
  const v = coarse.values;
  const hInv = coarse.covariance.map((row, i) => row.map((c, j) => c / (v[i]! * v[j]!)));
  if (!hInv.every((row) => row.every(Number.isFinite))) return null;
  const n = v.length;
  let x = v.map(Math.log);
  let previous = Infinity;
  let gOld: number[] | null = null;
  let sOld: number[] | null = null;
  for (let k = 0; k < REFINE_STEPS; k++) {
    const p = x.map(Math.exp);
    const gp = gradient(p);
    const g = x.map((xi, i) => -p[i]! * gp[i]! + 2 * penalty * xi);
    if (!g.every(Number.isFinite)) return null;
    if (gOld !== null && sOld !== null) {
      // BFGS update of the inverse Hessian with the step just taken: superlinear instead of linear.
      const y = g.map((gi, i) => gi - gOld![i]!);
      const sy = dot(sOld, y);
      if (sy > 1e-12 * Math.sqrt(dot(sOld, sOld) * dot(y, y))) {
        const rho = 1 / sy;
        const hy = matVec(hInv, y);
        const yhy = dot(y, hy);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            hInv[i]![j] =
              hInv[i]![j]! -
              rho * (hy[i]! * sOld[j]! + sOld[i]! * hy[j]!) +
              (rho * rho * yhy + rho) * sOld[i]! * sOld[j]!;
          }
        }
      }
    }
    const step = matVec(hInv, g);
    const decrement = dot(g, step);
    if (!(decrement >= 0) || decrement > 4 * previous) return null; // not a descent, or diverging
    if (decrement <= REFINE_DECREMENT) return p;
    previous = decrement;
    x = x.map((xi, i) => xi - step[i]!);
    gOld = g;
    sOld = step.map((d) => -d);
  }
  return x.map(Math.exp);
}
