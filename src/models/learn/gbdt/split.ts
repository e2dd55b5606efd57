/**
 * Best split of one tree node from its gradient histogram (second-order boosting, Chen & Guestrin 2016,
 * "XGBoost", eq. 7): gain = G_L² / (H_L + λ) + G_R² / (H_R + λ) - G² / (H + λ), without the constant 1/2
 * (which does not change the ranking; scikit-learn and LightGBM drop it too).
 *
 * Numeric features: every cut between bins, once with the missing bin on the right and once on the left,
 * so the direction of missing values is learned per split (sparsity-aware split finding, ibid. Alg. 3).
 * When the node has no missing values the direction cannot be learned; they then follow the child with
 * more training rows (as scikit-learn does).
 *
 * Categorical features, natively (LightGBM's many-vs-many split): with at most `maxOneHot` categories
 * present each single category is tried against the rest; otherwise the categories with at least
 * `minCount` rows are ordered by G / (H + smoothing) and every prefix (from either end, at most
 * `maxThreshold` categories) is tried as the left set, a search that is exact for squared error
 * (Fisher 1958) and a good approximation here. Rare categories go right. The gain of such many-vs-many
 * splits uses the extra L2 term `l2` (LightGBM's cat_l2) so that high-cardinality features do not win by
 * overfitting. The missing bin is one more category, and so is any category unseen in training at scoring
 * time. Chosen over one-hot because one split can group several levels (e.g. two of four payment methods)
 * and a tree needs far fewer nodes for it.
 *
 * Every split is returned as the set of bins going left (a 256-bit set), the form prediction uses.
 */

/** Words of a bin set: 256 bins / 32. */
export const BITSET_WORDS = 8;

export interface CategoricalSplitOptions {
  /** Up to this many categories in the node: one category versus the rest. */
  readonly maxOneHot: number;
  /** Most categories in the left set of a many-vs-many split. */
  readonly maxThreshold: number;
  /** Added to the hessian when ordering categories by G / H (shrinks rare categories to 0). */
  readonly smoothing: number;
  /** Extra L2 term in the gain of many-vs-many splits. */
  readonly l2: number;
  /** Categories with fewer rows in the node are not ordered (they go right). */
  readonly minCount: number;
}

export interface SplitOptions {
  readonly l2: number;
  readonly minSamplesLeaf: number;
  readonly minHessian: number;
  readonly categorical: CategoricalSplitOptions;
}

/** Per feature: categorical or numeric, and the index of its missing bin (= non-missing bins). */
export interface FeatureShape {
  readonly categorical: Uint8Array;
  readonly missingBin: Int32Array;
  /** Cell offsets of the histogram layout. */
  readonly offsets: Int32Array;
}

export interface Split {
  readonly feature: number;
  readonly gain: number;
  /** Numeric: bins 0..threshold go left; -1 for categorical splits. */
  readonly threshold: number;
  readonly missingLeft: boolean;
  /** Bins going left (missing bin included when missing values go left). */
  readonly leftBins: Uint32Array;
  readonly leftG: number;
  readonly leftH: number;
  readonly leftCount: number;
}

/** Mutable best-so-far, to keep the scans allocation-free. */
interface Best {
  gain: number;
  feature: number;
  threshold: number;
  missingLeft: boolean;
  categories: number[] | null;
  leftG: number;
  leftH: number;
  leftCount: number;
}

/**
 * The best split of a node with totals (G, H, count) and histogram `hist`, or null when no split keeps
 * `minSamplesLeaf` rows and `minHessian` on both sides with a positive gain.
 *
 * @example findBestSplit(hist, shape, -12.5, 30.1, 400, options)
 */
export function findBestSplit(
  hist: Float64Array,
  shape: FeatureShape,
  sumG: number,
  sumH: number,
  count: number,
  options: SplitOptions,
): Split | null {
  const best: Best = {
    gain: 0,
    feature: -1,
    threshold: -1,
    missingLeft: false,
    categories: null,
    leftG: 0,
    leftH: 0,
    leftCount: 0,
  };
  if (count < 2 * options.minSamplesLeaf) return null;
  const parent = (sumG * sumG) / (sumH + options.l2);
  for (let f = 0; f < shape.missingBin.length; f++) {
    const base = 3 * shape.offsets[f]!;
    const nb = shape.missingBin[f]!;
    if (shape.categorical[f]) scanCategorical(hist, base, nb, f, sumG, sumH, count, options, best);
    else scanNumeric(hist, base, nb, f, sumG, sumH, count, parent, options, best);
  }
  if (best.feature < 0) return null;
  const f = best.feature;
  const nb = shape.missingBin[f]!;
  const leftBins = new Uint32Array(BITSET_WORDS);
  const missingCount = hist[3 * (shape.offsets[f]! + nb) + 2]!;
  let missingLeft = best.missingLeft;
  if (best.categories) {
    for (const c of best.categories) leftBins[c >>> 5]! |= 1 << (c & 31);
    missingLeft = (leftBins[nb >>> 5]! & (1 << (nb & 31))) !== 0;
  } else {
    for (let b = 0; b <= best.threshold; b++) leftBins[b >>> 5]! |= 1 << (b & 31);
  }
  if (missingCount === 0) {
    // Nothing to learn the direction from: follow the bigger child.
    missingLeft = best.leftCount > count - best.leftCount;
    if (missingLeft) leftBins[nb >>> 5]! |= 1 << (nb & 31);
    else leftBins[nb >>> 5]! &= ~(1 << (nb & 31));
  } else if (!best.categories && missingLeft) {
    leftBins[nb >>> 5]! |= 1 << (nb & 31);
  }
  return {
    feature: f,
    gain: best.gain,
    threshold: best.categories ? -1 : best.threshold,
    missingLeft,
    leftBins,
    leftG: best.leftG,
    leftH: best.leftH,
    leftCount: best.leftCount,
  };
}

function scanNumeric(
  hist: Float64Array,
  base: number,
  nb: number,
  f: number,
  sumG: number,
  sumH: number,
  count: number,
  parent: number,
  o: SplitOptions,
  best: Best,
): void {
  const m = base + 3 * nb;
  const missG = hist[m]!;
  const missH = hist[m + 1]!;
  const missC = hist[m + 2]!;
  const lambda = o.l2;
  // Pass 0: missing right; pass 1 (only with missing values): missing left. The cut after the last
  // non-missing bin (all values left, missing right) is a split only when there are missing values; its
  // mirror image (missing alone on the left) is the same partition, so pass 1 stops one bin earlier.
  const passes = missC > 0 ? 2 : 1;
  for (let pass = 0; pass < passes; pass++) {
    let gL = pass ? missG : 0;
    let hL = pass ? missH : 0;
    let cL = pass ? missC : 0;
    const lastCut = missC > 0 && pass === 0 ? nb - 1 : nb - 2;
    for (let b = 0; b <= lastCut; b++) {
      const k = base + 3 * b;
      gL += hist[k]!;
      hL += hist[k + 1]!;
      cL += hist[k + 2]!;
      if (cL < o.minSamplesLeaf || hL < o.minHessian) continue;
      const cR = count - cL;
      if (cR < o.minSamplesLeaf) break;
      const hR = sumH - hL;
      if (hR < o.minHessian) break;
      const gR = sumG - gL;
      const gain = (gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parent;
      if (gain > best.gain) {
        best.gain = gain;
        best.feature = f;
        best.threshold = b;
        best.missingLeft = pass === 1;
        best.categories = null;
        best.leftG = gL;
        best.leftH = hL;
        best.leftCount = cL;
      }
    }
  }
}

function scanCategorical(
  hist: Float64Array,
  base: number,
  nb: number,
  f: number,
  sumG: number,
  sumH: number,
  count: number,
  o: SplitOptions,
  best: Best,
): void {
  const present: number[] = [];
  for (let b = 0; b <= nb; b++) if (hist[base + 3 * b + 2]! > 0) present.push(b);
  if (present.length < 2) return;
  const c = o.categorical;
  const consider = (set: number[], gL: number, hL: number, cL: number, lambda: number): void => {
    const cR = count - cL;
    const hR = sumH - hL;
    if (cL < o.minSamplesLeaf || cR < o.minSamplesLeaf || hL < o.minHessian || hR < o.minHessian) return;
    const gR = sumG - gL;
    const gain = (gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - (sumG * sumG) / (sumH + lambda);
    if (gain > best.gain) {
      best.gain = gain;
      best.feature = f;
      best.threshold = -1;
      best.missingLeft = false;
      best.categories = set.slice();
      best.leftG = gL;
      best.leftH = hL;
      best.leftCount = cL;
    }
  };
  if (present.length <= c.maxOneHot) {
    for (const b of present) {
      const k = base + 3 * b;
      consider([b], hist[k]!, hist[k + 1]!, hist[k + 2]!, o.l2);
    }
    return;
  }
  const frequent = present.filter((b) => hist[base + 3 * b + 2]! >= c.minCount);
  if (frequent.length < 2) return;
  const ratio = (b: number): number => hist[base + 3 * b]! / (hist[base + 3 * b + 1]! + c.smoothing);
  // Tie on the ratio: bin order, so the result never depends on the sort's stability.
  frequent.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const limit = Math.min(c.maxThreshold, frequent.length - 1);
  const lambda = o.l2 + c.l2;
  for (const direction of [1, -1]) {
    const set: number[] = [];
    let gL = 0;
    let hL = 0;
    let cL = 0;
    for (let i = 0; i < limit; i++) {
      const b = frequent[direction === 1 ? i : frequent.length - 1 - i]!;
      const k = base + 3 * b;
      set.push(b);
      gL += hist[k]!;
      hL += hist[k + 1]!;
      cL += hist[k + 2]!;
      consider(set, gL, hL, cL, lambda);
    }
  }
}

/** True when bin b is in the set. */
export function inBinSet(set: Uint32Array, offset: number, b: number): boolean {
  return ((set[offset + (b >>> 5)]! >>> (b & 31)) & 1) === 1;
}
