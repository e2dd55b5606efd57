/**
 * Exact SHAP values of one decision tree for one row in polynomial time: path-dependent TreeSHAP
 * (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for tree ensembles",
 * Algorithm 2), O(leaves · depth²) per row instead of the exponential sum over feature subsets.
 *
 * The value of a feature subset S is the tree's path-dependent conditional expectation: at a split on a
 * feature in S the row's own branch is followed; at any other split both branches are averaged, weighted
 * by the training rows (cover) through each. The Shapley values of that game plus the expected value
 * (the cover-weighted mean leaf) add up exactly to the tree's output for the row.
 *
 * Method: walking root to leaf, the algorithm keeps for the unique features on the path the fraction of
 * "zero" paths (feature not in S: cover share) and "one" paths (feature in S: 1 if the row goes that way,
 * else 0) together with permutation weights for every subset size; EXTEND adds a feature, UNWIND removes
 * one (needed when a feature repeats on the path), and at each leaf the weights with one feature unwound
 * give that feature's share. Works on any binary tree given as child arrays and the branch the row takes.
 */

/** A binary tree: node 0 the root, left[j] = -1 at leaves, cover[parent] = cover[left] + cover[right]. */
export interface ShapTree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Split feature of internal nodes (>= 0). */
  readonly feature: Int32Array;
  /** Leaf outputs (internal values are ignored). */
  readonly value: Float64Array;
  /** Training weight through each node. */
  readonly cover: Float64Array;
}

/** Depth of the deepest leaf (root alone = 0). */
export function treeDepth(tree: ShapTree): number {
  const depth = new Int32Array(tree.left.length);
  let max = 0;
  // Children come after parents in every tree here, but do not rely on it: explicit stack.
  const stack = [0];
  while (stack.length > 0) {
    const j = stack.pop()!;
    if (tree.left[j]! < 0) {
      max = Math.max(max, depth[j]!);
      continue;
    }
    depth[tree.left[j]!] = depth[tree.right[j]!] = depth[j]! + 1;
    stack.push(tree.left[j]!, tree.right[j]!);
  }
  return max;
}

/** The tree's expected output: leaf values weighted by cover. @example treeExpectedValue(tree) */
export function treeExpectedValue(tree: ShapTree): number {
  let sum = 0;
  for (let j = 0; j < tree.left.length; j++) if (tree.left[j]! < 0) sum += tree.value[j]! * tree.cover[j]!;
  return sum / tree.cover[0]!;
}

/** Scratch for one tree depth: a path segment per recursion level. Reuse across rows. */
export class TreeShapWorkspace {
  readonly stride: number;
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;

  constructor(maxDepth: number) {
    // A path holds the root's dummy element plus at most one element per level.
    this.stride = maxDepth + 2;
    const size = this.stride * (maxDepth + 2);
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

/**
 * Add one tree's SHAP values for one row to `phi` (indexed by feature). `hot[j]` is the child the row
 * takes at internal node j. The workspace must be built for at least the tree's depth.
 *
 * @example
 * const phi = new Float64Array(features);
 * treeShap(tree, hot, phi, new TreeShapWorkspace(treeDepth(tree)));
 * // treeExpectedValue(tree) + sum(phi) === output of the tree for the row (to rounding)
 */
export function treeShap(tree: ShapTree, hot: Int32Array, phi: Float64Array, ws: TreeShapWorkspace): void {
  recurse(tree, hot, phi, ws, 0, 0, 0, 1, 1, -1);
}

function recurse(
  tree: ShapTree,
  hot: Int32Array,
  phi: Float64Array,
  ws: TreeShapWorkspace,
  node: number,
  seg: number,
  l: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  extend(ws, seg, l, zeroFraction, oneFraction, feature);
  if (tree.left[node]! < 0) {
    const v = tree.value[node]!;
    for (let i = 1; i <= l; i++) {
      const w = unwoundSum(ws, seg, l, i);
      phi[ws.feature[seg + i]!]! += w * (ws.one[seg + i]! - ws.zero[seg + i]!) * v;
    }
    return;
  }
  const split = tree.feature[node]!;
  const h = hot[node]!;
  const c = h === tree.left[node]! ? tree.right[node]! : tree.left[node]!;
  const cover = tree.cover[node]!;
  let incomingZero = 1;
  let incomingOne = 1;
  let last = l;
  // A feature met again on the path: undo its earlier element so that it appears once, carrying the
  // product of both fractions.
  for (let k = 1; k <= l; k++) {
    if (ws.feature[seg + k] === split) {
      incomingZero = ws.zero[seg + k]!;
      incomingOne = ws.one[seg + k]!;
      unwind(ws, seg, l, k);
      last = l - 1;
      break;
    }
  }
  const next = seg + ws.stride;
  copySegment(ws, seg, next, last + 1);
  recurse(tree, hot, phi, ws, h, next, last + 1, (tree.cover[h]! / cover) * incomingZero, incomingOne, split);
  copySegment(ws, seg, next, last + 1);
  recurse(tree, hot, phi, ws, c, next, last + 1, (tree.cover[c]! / cover) * incomingZero, 0, split);
}

function copySegment(ws: TreeShapWorkspace, from: number, to: number, n: number): void {
  ws.feature.copyWithin(to, from, from + n);
  ws.zero.copyWithin(to, from, from + n);
  ws.one.copyWithin(to, from, from + n);
  ws.weight.copyWithin(to, from, from + n);
}

/** EXTEND: append element l (elements 0..l-1 exist) and update the subset-size weights. */
function extend(
  ws: TreeShapWorkspace,
  seg: number,
  l: number,
  pz: number,
  po: number,
  feature: number,
): void {
  const w = ws.weight;
  ws.feature[seg + l] = feature;
  ws.zero[seg + l] = pz;
  ws.one[seg + l] = po;
  w[seg + l] = l === 0 ? 1 : 0;
  for (let i = l - 1; i >= 0; i--) {
    w[seg + i + 1]! += (po * w[seg + i]! * (i + 1)) / (l + 1);
    w[seg + i] = (pz * w[seg + i]! * (l - i)) / (l + 1);
  }
}

/**
 * UNWIND: remove element k from the path of elements 0..l, inverting EXTEND. The weights are indexed by
 * subset size, not by element, so only the element fields shift.
 */
function unwind(ws: TreeShapWorkspace, seg: number, l: number, k: number): void {
  const w = ws.weight;
  const po = ws.one[seg + k]!;
  const pz = ws.zero[seg + k]!;
  let next = w[seg + l]!;
  for (let i = l - 1; i >= 0; i--) {
    if (po !== 0) {
      const t = w[seg + i]!;
      w[seg + i] = (next * (l + 1)) / ((i + 1) * po);
      next = t - (w[seg + i]! * pz * (l - i)) / (l + 1);
    } else {
      w[seg + i] = (w[seg + i]! * (l + 1)) / (pz * (l - i));
    }
  }
  for (let i = k; i < l; i++) {
    ws.feature[seg + i] = ws.feature[seg + i + 1]!;
    ws.zero[seg + i] = ws.zero[seg + i + 1]!;
    ws.one[seg + i] = ws.one[seg + i + 1]!;
  }
}

/** Total weight of the path with element k unwound, without modifying the path. */
function unwoundSum(ws: TreeShapWorkspace, seg: number, l: number, k: number): number {
  const w = ws.weight;
  const po = ws.one[seg + k]!;
  const pz = ws.zero[seg + k]!;
  let next = w[seg + l]!;
  let total = 0;
  for (let i = l - 1; i >= 0; i--) {
    if (po !== 0) {
      const t = (next * (l + 1)) / ((i + 1) * po);
      total += t;
      next = w[seg + i]! - (t * pz * (l - i)) / (l + 1);
    } else {
      total += (w[seg + i]! * (l + 1)) / (pz * (l - i));
    }
  }
  return total;
}
