/**
 * Leaf-wise (best-first) growth of one tree on binned rows, as LightGBM does (Ke et al. 2017; Shi 2007,
 * "Best-first decision tree learning"): always split the leaf whose best split gains most, until
 * `maxLeafNodes` leaves, an optional depth limit, or no split with positive gain is left.
 *
 * Rows live in one index array; each node owns a contiguous slice, and a split partitions its slice in
 * place (stably, so indices stay increasing and the bin columns are read in memory order). Histograms
 * are built only for the smaller child; the larger one reuses the parent's buffer by subtraction.
 */
import type { BinnedTable } from './binning.js';
import { buildHistogram, newHistogram, subtractHistogram, type HistogramLayout } from './histogram.js';
import { BITSET_WORDS, findBestSplit, type FeatureShape, type Split, type SplitOptions } from './split.js';
import type { GbdtTree } from './tree.js';

export interface GrowOptions {
  readonly maxLeafNodes: number;
  /** Root has depth 0; Infinity for no limit. */
  readonly maxDepth: number;
  readonly learningRate: number;
  readonly split: SplitOptions;
}

/** Buffers reused from tree to tree (one fit allocates them once). */
export class GrowWorkspace {
  readonly rows: Uint32Array;
  private readonly scratch: Uint32Array;
  readonly ordered: Float64Array;
  private readonly pool: Float64Array[] = [];

  constructor(
    readonly table: BinnedTable,
    readonly shape: FeatureShape,
    readonly layout: HistogramLayout,
  ) {
    this.rows = new Uint32Array(table.rows);
    this.scratch = new Uint32Array(table.rows);
    this.ordered = new Float64Array(2 * table.rows);
  }

  takeHistogram(): Float64Array {
    return this.pool.pop() ?? newHistogram(this.layout);
  }

  releaseHistogram(h: Float64Array | null): void {
    if (h) this.pool.push(h);
  }

  /** Stable in-place partition of rows[start..end) by the split; returns the first right index. */
  partition(start: number, end: number, split: Split): number {
    const col = this.table.bins[split.feature]!;
    const set = split.leftBins;
    const rows = this.rows;
    let w = start;
    let k = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      const b = col[r]!;
      if (((set[b >>> 5]! >>> (b & 31)) & 1) === 1) rows[w++] = r;
      else this.scratch[k++] = r;
    }
    rows.set(this.scratch.subarray(0, k), w);
    return w;
  }
}

/** A leaf of the tree being grown: its row slice, totals, histogram and best split. */
interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  split: Split | null;
}

/** The grown tree and every leaf's slice of `workspace.rows` (to update training margins). */
export interface GrownTree {
  readonly tree: GbdtTree;
  readonly leaves: readonly { readonly node: number; readonly start: number; readonly end: number }[];
}

/**
 * Grow one tree for gradients `grad` and hessians `hess` (one per row of the workspace table).
 *
 * @example const { tree, leaves } = growTree(workspace, grad, hess, options)
 */
export function growTree(
  ws: GrowWorkspace,
  grad: Float64Array,
  hess: Float64Array,
  o: GrowOptions,
): GrownTree {
  const n = ws.table.rows;
  for (let i = 0; i < n; i++) ws.rows[i] = i;
  const s = o.split;
  const lambda = s.l2;

  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const missingLeft: number[] = [];
  const bits: Uint32Array[] = [];
  const value: number[] = [];
  const cover: number[] = [];
  const gain: number[] = [];
  const addNode = (g: number, h: number, count: number): number => {
    left.push(-1);
    right.push(-1);
    feature.push(-1);
    threshold.push(-1);
    missingLeft.push(0);
    bits.push(new Uint32Array(BITSET_WORDS));
    // Tiny guard: a pure node with λ = 0 can have H ≈ 0 (all probabilities saturated).
    value.push((-g / (h + lambda + 1e-15)) * o.learningRate);
    cover.push(count);
    gain.push(0);
    return left.length - 1;
  };

  let sumG = 0;
  let sumH = 0;
  for (let i = 0; i < n; i++) {
    sumG += grad[i]!;
    sumH += hess[i]!;
  }
  const canSplit = (count: number, depth: number): boolean =>
    count >= 2 * s.minSamplesLeaf && depth < o.maxDepth && o.maxLeafNodes > 1;
  const root: OpenLeaf = {
    node: addNode(sumG, sumH, n),
    start: 0,
    end: n,
    depth: 0,
    g: sumG,
    h: sumH,
    hist: null,
    split: null,
  };
  if (canSplit(n, 0)) {
    root.hist = ws.takeHistogram();
    buildHistogram(root.hist, ws.table, ws.layout, ws.rows, 0, n, true, grad, hess, ws.ordered);
    root.split = findBestSplit(root.hist, ws.shape, sumG, sumH, n, s);
  }
  const leaves: OpenLeaf[] = [root];

  while (leaves.length < o.maxLeafNodes) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const sp = leaves[i]!.split;
      if (sp && (pick < 0 || sp.gain > leaves[pick]!.split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const parent = leaves[pick]!;
    const sp = parent.split!;
    const mid = ws.partition(parent.start, parent.end, sp);
    const lc = mid - parent.start;
    const rc = parent.end - mid;
    const lg = sp.leftG;
    const lh = sp.leftH;
    const L: OpenLeaf = {
      node: addNode(lg, lh, lc),
      start: parent.start,
      end: mid,
      depth: parent.depth + 1,
      g: lg,
      h: lh,
      hist: null,
      split: null,
    };
    const R: OpenLeaf = {
      node: addNode(parent.g - lg, parent.h - lh, rc),
      start: mid,
      end: parent.end,
      depth: parent.depth + 1,
      g: parent.g - lg,
      h: parent.h - lh,
      hist: null,
      split: null,
    };
    const p = parent.node;
    left[p] = L.node;
    right[p] = R.node;
    feature[p] = sp.feature;
    threshold[p] = sp.threshold;
    missingLeft[p] = sp.missingLeft ? 1 : 0;
    bits[p] = sp.leftBins;
    gain[p] = sp.gain;
    leaves.splice(pick, 1, L, R);

    // Children histograms only if some child may still be split.
    const last = leaves.length >= o.maxLeafNodes;
    const splitL = !last && canSplit(lc, L.depth);
    const splitR = !last && canSplit(rc, R.depth);
    if (splitL || splitR) {
      const [small, large] = lc <= rc ? [L, R] : [R, L];
      small.hist = ws.takeHistogram();
      buildHistogram(
        small.hist,
        ws.table,
        ws.layout,
        ws.rows,
        small.start,
        small.end,
        false,
        grad,
        hess,
        ws.ordered,
      );
      large.hist = parent.hist!;
      subtractHistogram(large.hist, parent.hist!, small.hist);
      for (const child of [L, R]) {
        const ok = child === L ? splitL : splitR;
        if (ok)
          child.split = findBestSplit(child.hist!, ws.shape, child.g, child.h, child.end - child.start, s);
        if (!child.split) {
          ws.releaseHistogram(child.hist);
          child.hist = null;
        }
      }
    } else {
      ws.releaseHistogram(parent.hist);
    }
    parent.hist = null;
  }
  for (const leaf of leaves) ws.releaseHistogram(leaf.hist);

  const leftBins = new Uint32Array(bits.length * BITSET_WORDS);
  bits.forEach((b, i) => leftBins.set(b, i * BITSET_WORDS));
  return {
    tree: {
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      feature: Int32Array.from(feature),
      threshold: Int32Array.from(threshold),
      missingLeft: Uint8Array.from(missingLeft),
      leftBins,
      value: Float64Array.from(value),
      cover: Float64Array.from(cover),
      gain: Float64Array.from(gain),
    },
    leaves: leaves.map((l) => ({ node: l.node, start: l.start, end: l.end })),
  };
}
