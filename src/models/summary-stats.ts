/**
 * Sufficient statistics for the buy-till-you-die models: per customer (x, t_x, T) — repeat transactions,
 * time of the last repeat transaction, age (all in the model's time unit, measured from the first
 * transaction) — and optionally the mean repeat spend. Likelihoods take the compressed form: each distinct
 * row once with a weight (the number of customers who share it), as in Fader, Hardie & Lee's spreadsheet
 * note ("Implementing the BG/NBD model in Excel", 2005) and BTYD's `compress.cbs`.
 */
import { UserError } from '../util/errors.js';

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

/**
 * Distinct rows of up to four doubles, in first-appearance order, with a count per row: an
 * open-addressing hash table on the values' bits (equality is exact, +0 and -0 are one value). About
 * fifteen times faster than a Map on string keys at a million rows. Values must be finite.
 */
class RowTable {
  private slots = new Int32Array(1024); // entry index + 1, 0 = empty
  private hashes = new Int32Array(512);
  private values: Float64Array[];
  private counts = new Float64Array(512);
  private size = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(private readonly width: 2 | 3 | 4) {
    this.values = Array.from({ length: width }, () => new Float64Array(512));
  }

  /** The row's index (added with count 1, or its count raised by one). Unused trailing values: 0. */
  add(a: number, b: number, c: number, d: number): number {
    // + 0 turns -0 into +0, so that equal values have equal bits.
    a += 0;
    b += 0;
    c += 0;
    d += 0;
    const h = this.hash(a, b, c, d);
    const mask = this.slots.length - 1;
    const [va, vb, vc, vd] = this.values as [Float64Array, Float64Array, Float64Array?, Float64Array?];
    const width = this.width;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) {
        const k = this.size++;
        if (k === this.counts.length) this.grow();
        this.values[0]![k] = a;
        this.values[1]![k] = b;
        if (width > 2) this.values[2]![k] = c;
        if (width > 3) this.values[3]![k] = d;
        this.counts[k] = 1;
        this.hashes[k] = h;
        this.slots[s] = k + 1;
        if (2 * this.size > this.slots.length) this.rehash();
        return k;
      }
      if (
        this.hashes[e] === h &&
        va[e] === a &&
        vb[e] === b &&
        (width < 3 || vc![e] === c) &&
        (width < 4 || vd![e] === d)
      ) {
        this.counts[e]!++;
        return e;
      }
    }
  }

  /** The distinct rows, one array per value, trimmed to their number. */
  columns(): Float64Array[] {
    return this.values.map((v) => v.slice(0, this.size));
  }

  weights(): Float64Array {
    return this.counts.slice(0, this.size);
  }

  private hash(a: number, b: number, c: number, d: number): number {
    let h = 0x2545f491;
    const bits = this.bits;
    const words = this.words;
    bits[0] = a;
    h = mix(h, words[0]!);
    h = mix(h, words[1]!);
    bits[0] = b;
    h = mix(h, words[0]!);
    h = mix(h, words[1]!);
    if (this.width > 2) {
      bits[0] = c;
      h = mix(h, words[0]!);
      h = mix(h, words[1]!);
    }
    if (this.width > 3) {
      bits[0] = d;
      h = mix(h, words[0]!);
      h = mix(h, words[1]!);
    }
    // MurmurHash3's finaliser: every input bit affects the low bits used as the slot.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  private grow(): void {
    const capacity = this.counts.length * 2;
    const bigger = (old: Float64Array): Float64Array<ArrayBuffer> => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    this.values = this.values.map(bigger);
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

/** One MurmurHash3 block step. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
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
