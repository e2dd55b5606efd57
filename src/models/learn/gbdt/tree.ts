/**
 * One regression tree of the boosted ensemble, stored as flat typed arrays (node 0 is the root, children
 * always have larger indices than their parent), and its traversal on binned rows.
 *
 * Every split, numeric or categorical, is kept as the set of bins going left (BITSET_WORDS words per
 * node), so a decision is one bit test whatever the feature kind; missing values and unseen categories
 * sit in the feature's missing bin and so follow the learned direction.
 */
import type { BinnedTable } from './binning.js';
import { BITSET_WORDS, inBinSet } from './split.js';

export interface GbdtTree {
  /** Child indices, -1 at leaves. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Split feature, -1 at leaves. */
  readonly feature: Int32Array;
  /** Numeric splits: bins 0..threshold go left (missing per missingLeft); -1 otherwise. */
  readonly threshold: Int32Array;
  readonly missingLeft: Uint8Array;
  /** BITSET_WORDS words per node: the bins that go left. */
  readonly leftBins: Uint32Array;
  /** Leaf output on the margin scale, learning rate applied (internal nodes: the same formula). */
  readonly value: Float64Array;
  /** Training rows through the node (TreeSHAP weighs the two children by it). */
  readonly cover: Float64Array;
  /** Split gain (0 at leaves). */
  readonly gain: Float64Array;
}

/** Number of nodes. @example nodeCount(tree) // 61 for a full 31-leaf tree */
export function nodeCount(tree: GbdtTree): number {
  return tree.left.length;
}

/** Does a row with bin b of the node's feature go left? */
export function goesLeft(tree: GbdtTree, node: number, b: number): boolean {
  return inBinSet(tree.leftBins, node * BITSET_WORDS, b);
}

/** The leaf a binned row reaches. @example leafOf(tree, binned, 0) */
export function leafOf(tree: GbdtTree, table: BinnedTable, row: number): number {
  let node = 0;
  const { left, right, feature, leftBins } = tree;
  while (left[node]! >= 0) {
    const b = table.bins[feature[node]!]![row]!;
    node = ((leftBins[node * BITSET_WORDS + (b >>> 5)]! >>> (b & 31)) & 1) === 1 ? left[node]! : right[node]!;
  }
  return node;
}

/**
 * Add the tree's output to `out` for every row of a binned table (tree-major order keeps one tree's
 * arrays in cache while the rows stream past).
 */
export function addTreeOutput(tree: GbdtTree, table: BinnedTable, out: Float64Array): void {
  const { left, right, feature, leftBins, value } = tree;
  const bins = table.bins;
  for (let row = 0; row < table.rows; row++) {
    let node = 0;
    while (left[node]! >= 0) {
      const b = bins[feature[node]!]![row]!;
      node =
        ((leftBins[node * BITSET_WORDS + (b >>> 5)]! >>> (b & 31)) & 1) === 1 ? left[node]! : right[node]!;
    }
    out[row]! += value[node]!;
  }
}
