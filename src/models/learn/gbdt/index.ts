/**
 * Histogram gradient-boosted trees for binary churn labels: fit, predict, explain (TreeSHAP), persist.
 *
 * @example
 * const model = fitGbdt({ features, labels });
 * const p = predictProbability(model, features);
 * const text = JSON.stringify(gbdtToJson(model));
 */
export { fitGbdt, resolveGbdtOptions } from './boost.js';
export { predictMargin, predictProbability } from './predict.js';
export { gainImportance, meanAbsShap, shapValues, type ShapValues } from './explain.js';
export { gbdtFromJson, gbdtToJson, GBDT_FORMAT, GBDT_VERSION, type GbdtJson } from './json.js';
export { binTable, fitBinning, type BinnedTable, type FeatureBinning } from './binning.js';
export type { ClassWeight, GbdtFitInfo, GbdtModel, GbdtOptions, ResolvedGbdtOptions } from './model.js';
export type { GbdtTree } from './tree.js';
