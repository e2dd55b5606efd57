/**
 * Scoring raw tables with a fitted boosted tree model: the table is re-binned with the model's stored
 * bin edges and levels (so training and scoring see the same bins), then every tree adds its leaf value.
 */
import type { FeatureTable } from '../feature-table.js';
import { binTable } from './binning.js';
import { marginOfBinned } from './boost.js';
import type { GbdtModel } from './model.js';

/**
 * Raw margin (log-odds of the positive class) per row.
 *
 * @example predictMargin(model, table)[0] // e.g. -1.73
 */
export function predictMargin(model: GbdtModel, table: FeatureTable): Float64Array {
  return marginOfBinned(model, binTable(model.binning, table));
}

/**
 * P(label = 1) per row: the logistic function of the margin.
 *
 * @example predictProbability(model, table)[0] // e.g. 0.15
 */
export function predictProbability(model: GbdtModel, table: FeatureTable): Float64Array {
  const m = predictMargin(model, table);
  for (let i = 0; i < m.length; i++) {
    const f = m[i]!;
    m[i] = f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
  }
  return m;
}
