/**
 * Explanations of a boosted tree model: per-row SHAP contributions (exact path-dependent TreeSHAP summed
 * over the trees; SHAP values are additive across an ensemble) and two global importances, total split
 * gain and mean |SHAP|. All on the margin (log-odds) scale, where the trees add up.
 */
import type { FeatureTable } from '../feature-table.js';
import { treeExpectedValue } from '../tree-shap.js';
import { LeafPathShap } from '../tree-shap-leaves.js';
import { binTable } from './binning.js';
import type { GbdtModel } from './model.js';
import { BITSET_WORDS } from './split.js';

export interface ShapValues {
  /** Feature names, in the model's order (the columns of `values`). */
  readonly features: readonly string[];
  readonly rows: number;
  /** Row-major rows × features contributions to the margin. */
  readonly values: Float64Array;
  /** Baseline plus every tree's cover-weighted mean output: margin = expectedValue + Σ_f values[row, f]. */
  readonly expectedValue: number;
}

/**
 * SHAP contributions of every feature for every row of a raw table.
 *
 * @example
 * const s = shapValues(model, table);
 * s.expectedValue + s.values.subarray(0, s.features.length).reduce((a, b) => a + b) // = predictMargin(...)[0]
 */
export function shapValues(model: GbdtModel, table: FeatureTable): ShapValues {
  const binned = binTable(model.binning, table);
  const m = model.binning.length;
  const values = new Float64Array(binned.rows * m);
  let expectedValue = model.baseline;
  for (const tree of model.trees) expectedValue += treeExpectedValue(tree);
  const goes = new Uint8Array(model.trees.reduce((n, t) => Math.max(n, t.left.length), 1));
  for (const tree of model.trees) {
    // exact TreeSHAP organised by leaf, each (leaf, pattern of the row's agreement with its path) once
    const shap = new LeafPathShap(tree);
    const internal: number[] = [];
    for (let j = 0; j < tree.left.length; j++) if (tree.left[j]! >= 0) internal.push(j);
    for (let row = 0; row < binned.rows; row++) {
      for (const j of internal) {
        const b = binned.bins[tree.feature[j]!]![row]!;
        goes[j] = (tree.leftBins[j * BITSET_WORDS + (b >>> 5)]! >>> (b & 31)) & 1;
      }
      shap.add(goes, values, row * m);
    }
  }
  return { features: model.binning.map((b) => b.name), rows: binned.rows, values, expectedValue };
}

/**
 * Mean |SHAP| per feature over the rows of a table (global importance on the margin scale).
 *
 * @example meanAbsShap(model, testTable) // Float64Array, one entry per model feature
 */
export function meanAbsShap(model: GbdtModel, table: FeatureTable): Float64Array {
  const s = shapValues(model, table);
  const m = s.features.length;
  const out = new Float64Array(m);
  for (let r = 0; r < s.rows; r++) for (let f = 0; f < m; f++) out[f]! += Math.abs(s.values[r * m + f]!);
  if (s.rows > 0) for (let f = 0; f < m; f++) out[f]! /= s.rows;
  return out;
}

/**
 * Share of the total split gain per feature (sums to 1 unless the model has no splits).
 *
 * @example gainImportance(model) // e.g. Contract 0.41, tenure 0.18, ...
 */
export function gainImportance(model: GbdtModel): Float64Array {
  const out = new Float64Array(model.binning.length);
  let total = 0;
  for (const tree of model.trees) {
    for (let j = 0; j < tree.left.length; j++) {
      if (tree.left[j]! < 0) continue;
      out[tree.feature[j]!]! += tree.gain[j]!;
      total += tree.gain[j]!;
    }
  }
  if (total > 0) for (let f = 0; f < out.length; f++) out[f]! /= total;
  return out;
}
