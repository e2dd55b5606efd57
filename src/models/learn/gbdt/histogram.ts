/**
 * Gradient histograms: for every feature and bin, the sums of gradient, hessian and row count over the
 * rows of a tree node. They are all split finding needs (Ke et al. 2017, "LightGBM", section 2.1).
 *
 * Layout: one Float64Array per node, cell c of feature f at offsets[f] + c, three numbers per cell
 * (gradient, hessian, count) side by side, so one cache line serves one row update.
 *
 * The subtraction trick: a parent's histogram is the sum of its children's, so only the child with fewer
 * rows is built from data and the other is parent - smaller, cell by cell. Every row is then touched
 * about log2(leaves) / 2 times per tree rather than once per level.
 */
import type { BinnedTable } from './binning.js';

/** Where each feature's cells start in a histogram (offsets[f], in cells; offsets[features] = total). */
export interface HistogramLayout {
  readonly offsets: Int32Array;
}

/** Layout for features with the given numbers of cells (non-missing bins + 1 missing bin). */
export function histogramLayout(cells: readonly number[]): HistogramLayout {
  const offsets = new Int32Array(cells.length + 1);
  for (let f = 0; f < cells.length; f++) offsets[f + 1] = offsets[f]! + cells[f]!;
  return { offsets };
}

/** A zeroed histogram for the layout. */
export function newHistogram(layout: HistogramLayout): Float64Array {
  return new Float64Array(3 * layout.offsets[layout.offsets.length - 1]!);
}

/**
 * Fill `hist` with the sums over rows[start..end) (indices into the binned table and into grad / hess).
 * With `allRows` the node is the whole table in order and the row indirection is skipped (the root).
 *
 * `ordered` is scratch of length >= 2 (end - start): gradients and hessians are first gathered into node
 * order, so the per-feature loops read them sequentially (as scikit-learn's ordered gradients do).
 */
export function buildHistogram(
  hist: Float64Array,
  table: BinnedTable,
  layout: HistogramLayout,
  rows: Uint32Array,
  start: number,
  end: number,
  allRows: boolean,
  grad: Float64Array,
  hess: Float64Array,
  ordered: Float64Array,
): void {
  hist.fill(0);
  const n = end - start;
  const bins = table.bins;
  const offsets = layout.offsets;
  if (allRows) {
    // The root: rows 0..n-1 in order, read the gradients directly.
    for (let i = 0; i < n; i++) {
      ordered[2 * i] = grad[i]!;
      ordered[2 * i + 1] = hess[i]!;
    }
  } else {
    // Interleave (g, h) in node order: one sequential stream in the hot loops.
    for (let i = 0; i < n; i++) {
      const r = rows[start + i]!;
      ordered[2 * i] = grad[r]!;
      ordered[2 * i + 1] = hess[r]!;
    }
  }
  const rowsOf = allRows ? null : rows.subarray(start, end);
  // Four features per pass over the rows: the row index and its (g, h) are loaded once for four
  // histogram updates (1.7x faster than one feature per pass in V8).
  let f = 0;
  for (; f + 4 <= bins.length; f += 4) {
    const b = [3 * offsets[f]!, 3 * offsets[f + 1]!, 3 * offsets[f + 2]!, 3 * offsets[f + 3]!] as const;
    const c = [bins[f]!, bins[f + 1]!, bins[f + 2]!, bins[f + 3]!] as const;
    if (rowsOf) accumulate4(hist, b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], rowsOf, n, ordered);
    else accumulate4All(hist, b[0], b[1], b[2], b[3], c[0], c[1], c[2], c[3], n, ordered);
  }
  for (; f < bins.length; f++) {
    if (rowsOf) accumulate1(hist, 3 * offsets[f]!, bins[f]!, rowsOf, n, ordered);
    else accumulate1All(hist, 3 * offsets[f]!, bins[f]!, n, ordered);
  }
}

function accumulate4(
  hist: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  rows: Uint32Array,
  n: number,
  ordered: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const g = ordered[2 * i]!;
    const h = ordered[2 * i + 1]!;
    let k = b0 + 3 * c0[r]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
    k = b1 + 3 * c1[r]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
    k = b2 + 3 * c2[r]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
    k = b3 + 3 * c3[r]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
  }
}

/** accumulate4 for the root (row i is row i): a separate function keeps both loops monomorphic. */
function accumulate4All(
  hist: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  n: number,
  ordered: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const g = ordered[2 * i]!;
    const h = ordered[2 * i + 1]!;
    let k = b0 + 3 * c0[i]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
    k = b1 + 3 * c1[i]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
    k = b2 + 3 * c2[i]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
    k = b3 + 3 * c3[i]!;
    hist[k]! += g;
    hist[k + 1]! += h;
    hist[k + 2]!++;
  }
}

function accumulate1(
  hist: Float64Array,
  base: number,
  col: Uint8Array,
  rows: Uint32Array,
  n: number,
  ordered: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const k = base + 3 * col[rows[i]!]!;
    hist[k]! += ordered[2 * i]!;
    hist[k + 1]! += ordered[2 * i + 1]!;
    hist[k + 2]!++;
  }
}

function accumulate1All(
  hist: Float64Array,
  base: number,
  col: Uint8Array,
  n: number,
  ordered: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const k = base + 3 * col[i]!;
    hist[k]! += ordered[2 * i]!;
    hist[k + 1]! += ordered[2 * i + 1]!;
    hist[k + 2]!++;
  }
}

/** target := parent - smaller, cell by cell (target may be the parent's own buffer). */
export function subtractHistogram(target: Float64Array, parent: Float64Array, smaller: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] = parent[i]! - smaller[i]!;
}
