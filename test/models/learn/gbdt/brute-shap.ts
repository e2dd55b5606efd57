/**
 * Shapley values by definition, for checking TreeSHAP: the value of a feature subset S is the tree's
 * path-dependent conditional expectation (follow the row at splits on features in S, average the
 * children by cover elsewhere), and φ_i = Σ_{S ⊆ M \ {i}} |S|! (M - |S| - 1)! / M! (v(S ∪ {i}) - v(S)),
 * summed over all 2^(M-1) subsets. Exponential, so only for a handful of features.
 */
import type { ShapTree } from '../../../../src/models/learn/tree-shap.js';

function conditional(tree: ShapTree, hot: Int32Array, subset: number, node: number): number {
  if (tree.left[node]! < 0) return tree.value[node]!;
  const f = tree.feature[node]!;
  if ((subset >>> f) & 1) return conditional(tree, hot, subset, hot[node]!);
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  return (
    (tree.cover[l]! * conditional(tree, hot, subset, l) +
      tree.cover[r]! * conditional(tree, hot, subset, r)) /
    tree.cover[node]!
  );
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/** φ for one tree and one row (hot[j] = the child the row takes at node j), over features 0..m-1. */
export function bruteForceShap(tree: ShapTree, hot: Int32Array, m: number): Float64Array {
  const phi = new Float64Array(m);
  const value = new Float64Array(1 << m);
  for (let s = 0; s < 1 << m; s++) value[s] = conditional(tree, hot, s, 0);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < 1 << m; s++) {
      if ((s >>> i) & 1) continue;
      let size = 0;
      for (let k = 0; k < m; k++) size += (s >>> k) & 1;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i]! += weight * (value[s | (1 << i)]! - value[s]!);
    }
  }
  return phi;
}
