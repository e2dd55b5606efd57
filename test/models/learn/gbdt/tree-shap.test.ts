import { describe, expect, it } from 'vitest';
import { Random } from '../../../../src/models/random.js';
import {
  TreeShapWorkspace,
  treeDepth,
  treeExpectedValue,
  treeShap,
  type ShapTree,
} from '../../../../src/models/learn/tree-shap.js';
import { fitGbdt } from '../../../../src/models/learn/gbdt/boost.js';
import { shapValues } from '../../../../src/models/learn/gbdt/explain.js';
import { predictMargin } from '../../../../src/models/learn/gbdt/predict.js';
import { binTable } from '../../../../src/models/learn/gbdt/binning.js';
import { goesLeft } from '../../../../src/models/learn/gbdt/tree.js';
import type { FeatureTable } from '../../../../src/models/learn/feature-table.js';
import { bruteForceShap } from './brute-shap.js';
import { LeafPathShap } from '../../../../src/models/learn/tree-shap-leaves.js';

/** A random binary tree over m features (repeats allowed), covers split at random, random row path. */
function randomTree(rng: Random, m: number, maxDepth: number): { tree: ShapTree; hot: Int32Array } {
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const value: number[] = [];
  const cover: number[] = [];
  const hot: number[] = [];
  const grow = (c: number, depth: number): number => {
    const j = left.length;
    left.push(-1);
    right.push(-1);
    feature.push(-1);
    value.push(rng.normal());
    cover.push(c);
    hot.push(-1);
    if (depth < maxDepth && (depth < 2 || rng.uniform() < 0.7)) {
      feature[j] = Math.floor(rng.uniform() * m);
      const share = 0.05 + 0.9 * rng.uniform();
      const l = grow(c * share, depth + 1);
      const r = grow(c - c * share, depth + 1);
      left[j] = l;
      right[j] = r;
      hot[j] = rng.uniform() < 0.5 ? l : r;
    }
    return j;
  };
  grow(100 * rng.uniform() + 1, 0);
  return {
    tree: {
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      feature: Int32Array.from(feature),
      value: Float64Array.from(value),
      cover: Float64Array.from(cover),
    },
    hot: Int32Array.from(hot),
  };
}

/** The leaf reached by following hot. */
function output(tree: ShapTree, hot: Int32Array): number {
  let j = 0;
  while (tree.left[j]! >= 0) j = hot[j]!;
  return tree.value[j]!;
}

describe('TreeSHAP (path-dependent, Algorithm 2)', () => {
  it('equals brute-force Shapley values on random trees with repeated features, to 1e-9', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 200; trial++) {
      const m = 1 + (trial % 6);
      const { tree, hot } = randomTree(rng, m, 1 + (trial % 7));
      const phi = new Float64Array(m);
      treeShap(tree, hot, phi, new TreeShapWorkspace(treeDepth(tree)));
      const brute = bruteForceShap(tree, hot, m);
      for (let i = 0; i < m; i++) expect(Math.abs(phi[i]! - brute[i]!)).toBeLessThan(1e-9);
      // Local accuracy: expected value plus contributions is the tree's output.
      const sum = phi.reduce((a, b) => a + b, 0);
      expect(Math.abs(treeExpectedValue(tree) + sum - output(tree, hot))).toBeLessThan(1e-9);
    }
  });

  it('the leaf-organised form (LeafPathShap, used for scoring) equals Algorithm 2 to 1e-12', () => {
    const rng = new Random(77);
    for (let trial = 0; trial < 300; trial++) {
      const m = 2 + (trial % 5);
      const { tree, hot } = randomTree(rng, m, 1 + (trial % 9));
      const expected = new Float64Array(m);
      treeShap(tree, hot, expected, new TreeShapWorkspace(treeDepth(tree)));
      const goes = Uint8Array.from(hot, (h, j) => (h >= 0 && h === tree.left[j] ? 1 : 0));
      const shap = new LeafPathShap(tree);
      // twice: the second time from the pattern cache
      for (const _ of [0, 1]) {
        const got = new Float64Array(m);
        shap.add(goes, got);
        for (let f = 0; f < m; f++) expect(Math.abs(got[f]! - expected[f]!)).toBeLessThan(1e-12);
      }
    }
  });

  it('gives nothing to a lone leaf and credits a stump fully to its feature', () => {
    const leaf: ShapTree = {
      left: Int32Array.of(-1),
      right: Int32Array.of(-1),
      feature: Int32Array.of(-1),
      value: Float64Array.of(2.5),
      cover: Float64Array.of(10),
    };
    const phi = new Float64Array(2);
    treeShap(leaf, Int32Array.of(-1), phi, new TreeShapWorkspace(0));
    expect(Array.from(phi)).toEqual([0, 0]);
    const stump: ShapTree = {
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      feature: Int32Array.of(1, -1, -1),
      value: Float64Array.of(0, 1, 3),
      cover: Float64Array.of(4, 1, 3),
    };
    treeShap(stump, Int32Array.of(1, -1, -1), phi, new TreeShapWorkspace(1));
    // E = (1·1 + 3·3) / 4 = 2.5; the row takes the left leaf (1): φ_1 = 1 - 2.5.
    expect(phi[0]).toBe(0);
    expect(phi[1]).toBeCloseTo(-1.5, 14);
  });

  it('matches brute force on a fitted boosted model (4 features, numeric and categorical)', () => {
    const rng = new Random(5);
    const n = 600;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Int32Array(n);
    const d = new Float64Array(n);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = rng.normal();
      b[i] = rng.uniform() < 0.1 ? NaN : rng.normal();
      c[i] = Math.floor(rng.uniform() * 5);
      d[i] = rng.normal();
      const z = a[i]! - (Number.isNaN(b[i]!) ? 1 : b[i]! * a[i]!) + (c[i]! % 2) - 0.3 * d[i]!;
      labels[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const features: FeatureTable = {
      rows: n,
      columns: [
        { kind: 'numeric', name: 'a', values: a },
        { kind: 'numeric', name: 'b', values: b },
        { kind: 'categorical', name: 'c', levels: ['p', 'q', 'r', 's', 't'], codes: c },
        { kind: 'numeric', name: 'd', values: d },
      ],
    };
    const model = fitGbdt(
      { features, labels },
      { maxIterations: 5, maxLeafNodes: 8, minSamplesLeaf: 5, earlyStopping: false },
    );
    const shap = shapValues(model, features);
    const margin = predictMargin(model, features);
    const binned = binTable(model.binning, features);
    for (let row = 0; row < 40; row++) {
      const brute = new Float64Array(4);
      for (const tree of model.trees) {
        const hot = Int32Array.from(tree.left, (l, j) =>
          l < 0 ? -1 : goesLeft(tree, j, binned.bins[tree.feature[j]!]![row]!) ? l : tree.right[j]!,
        );
        bruteForceShap(tree, hot, 4).forEach((v, f) => (brute[f]! += v));
      }
      let sum = shap.expectedValue;
      for (let f = 0; f < 4; f++) {
        expect(Math.abs(shap.values[row * 4 + f]! - brute[f]!)).toBeLessThan(1e-9);
        sum += shap.values[row * 4 + f]!;
      }
      expect(Math.abs(sum - margin[row]!)).toBeLessThan(1e-9);
    }
  });
});
