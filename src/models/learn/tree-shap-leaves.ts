/**
 * Exact path-dependent TreeSHAP (the same values as `treeShap`) organised by leaf, for scoring many rows.
 *
 * Algorithm 2 of Lundberg, Erion & Lee (2018) walks both branches of every node for every row; at a leaf
 * it adds, for each feature on the leaf's path, v · W_i · (o_i - z_i), where z_i (the share of training
 * cover that follows the path at that feature's splits) depends on the tree alone and o_i (1 when the
 * row itself follows the path at every split on that feature, else 0) is the only thing the row brings.
 * The weights W_i are symmetric in the path's elements, so a leaf's contribution is a function of the
 * bit pattern (o_i) alone. Leaves have a handful of features and rows share patterns massively, so each
 * (leaf, pattern) is computed once and reused: O(L·D) per row and tree instead of O(L·D²), and in
 * practice tens of times faster on a million customers.
 *
 * Reference: S. M. Lundberg, G. G. Erion, S.-I. Lee (2018), "Consistent individualized feature
 * attribution for tree ensembles", arXiv:1802.03888; the per-leaf reorganisation follows the idea of
 * J. Yang (2021), "Fast TreeSHAP", arXiv:2109.09847, computed lazily per observed pattern.
 */
import type { ShapTree } from './tree-shap.js';

interface LeafPath {
  readonly value: number;
  /** Unique features on the path and their cover fractions z. */
  readonly features: Int32Array;
  readonly zero: Float64Array;
  /** Path nodes, the side the path takes there (1 = left), and the feature element they belong to. */
  readonly nodes: Int32Array;
  readonly wentLeft: Uint8Array;
  readonly element: Int32Array;
  /** Contributions by pattern: an array indexed by the mask for short paths, else a map. */
  readonly table: (Float64Array | undefined)[] | null;
  readonly cache: Map<number, Float64Array>;
}

/** Paths with up to this many features keep their patterns in an array (2^k slots). */
const ARRAY_CACHE_FEATURES = 10;

/** Patterns are cached per leaf up to this many path features (int masks); beyond, computed each time. */
const MAX_CACHED_FEATURES = 30;

export class LeafPathShap {
  private readonly leaves: LeafPath[] = [];
  private readonly weights: Float64Array;

  constructor(tree: ShapTree) {
    let longest = 0;
    const walk = (node: number, path: { node: number; left: boolean }[]) => {
      if (tree.left[node]! < 0) {
        if (path.length === 0) return; // a single-leaf tree attributes nothing
        const order: number[] = [];
        const zero = new Map<number, number>();
        for (const step of path) {
          const f = tree.feature[step.node]!;
          const child = step.left ? tree.left[step.node]! : tree.right[step.node]!;
          const ratio = tree.cover[child]! / tree.cover[step.node]!;
          if (!zero.has(f)) order.push(f);
          zero.set(f, (zero.get(f) ?? 1) * ratio);
        }
        longest = Math.max(longest, order.length);
        this.leaves.push({
          value: tree.value[node]!,
          features: Int32Array.from(order),
          zero: Float64Array.from(order, (f) => zero.get(f)!),
          nodes: Int32Array.from(path, (s) => s.node),
          wentLeft: Uint8Array.from(path, (s) => (s.left ? 1 : 0)),
          element: Int32Array.from(path, (s) => order.indexOf(tree.feature[s.node]!)),
          table:
            order.length <= ARRAY_CACHE_FEATURES
              ? new Array<Float64Array | undefined>(1 << order.length)
              : null,
          cache: new Map(),
        });
        return;
      }
      walk(tree.left[node]!, [...path, { node, left: true }]);
      walk(tree.right[node]!, [...path, { node, left: false }]);
    };
    walk(0, []);
    this.weights = new Float64Array(longest + 2);
  }

  /**
   * Add the tree's SHAP values of one row to `phi[offset + feature]`. `goesLeft[j]` is 1 when the row
   * goes left at the internal node j (other entries are ignored).
   */
  add(goesLeft: Uint8Array, phi: Float64Array, offset = 0): void {
    for (const leaf of this.leaves) {
      const k = leaf.features.length;
      let c: Float64Array | undefined;
      if (k > MAX_CACHED_FEATURES) {
        const o = new Uint8Array(k).fill(1);
        for (let s = 0; s < leaf.nodes.length; s++)
          if (goesLeft[leaf.nodes[s]!] !== leaf.wentLeft[s]) o[leaf.element[s]!] = 0;
        c = this.contributions(leaf, (e) => o[e]!);
      } else {
        let mask = (1 << k) - 1;
        for (let s = 0; s < leaf.nodes.length; s++)
          if (goesLeft[leaf.nodes[s]!] !== leaf.wentLeft[s]) mask &= ~(1 << leaf.element[s]!);
        c = leaf.table ? leaf.table[mask] : leaf.cache.get(mask);
        if (c === undefined) {
          const bits = mask;
          c = this.contributions(leaf, (e) => (bits >>> e) & 1);
          if (leaf.table) leaf.table[mask] = c;
          else leaf.cache.set(mask, c);
        }
      }
      for (let e = 0; e < k; e++) phi[offset + leaf.features[e]!]! += c[e]!;
    }
  }

  /** v · W_i · (o_i - z_i) for every feature element of a leaf, given its one-fractions. */
  private contributions(leaf: LeafPath, one: (i: number) => number): Float64Array {
    const k = leaf.features.length;
    const w = this.weights;
    // the root's dummy element (z = o = 1), then every feature element: EXTEND
    w[0] = 1;
    for (let l = 1; l <= k; l++) {
      const pz = leaf.zero[l - 1]!;
      const po = one(l - 1);
      w[l] = 0;
      for (let i = l - 1; i >= 0; i--) {
        w[i + 1]! += (po * w[i]! * (i + 1)) / (l + 1);
        w[i] = (pz * w[i]! * (l - i)) / (l + 1);
      }
    }
    const out = new Float64Array(k);
    for (let e = 0; e < k; e++) {
      const pz = leaf.zero[e]!;
      const po = one(e);
      // UNWOUND SUM of element e over the path of k + 1 elements (last index k)
      let next = w[k]!;
      let total = 0;
      for (let i = k - 1; i >= 0; i--) {
        if (po !== 0) {
          const t = (next * (k + 1)) / ((i + 1) * po);
          total += t;
          next = w[i]! - (t * pz * (k - i)) / (k + 1);
        } else {
          total += (w[i]! * (k + 1)) / (pz * (k - i));
        }
      }
      out[e] = total * (po - pz) * leaf.value;
    }
    return out;
  }
}
