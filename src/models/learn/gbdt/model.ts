/**
 * The fitted gradient-boosted tree model and its options (shared by fit, predict, SHAP and JSON).
 */
import type { FeatureBinning } from './binning.js';
import type { GbdtTree } from './tree.js';

/** Class weights: 'balanced' gives each class total weight n / 2 (w_c = n / (2 n_c)). */
export type ClassWeight = 'balanced' | { readonly negative: number; readonly positive: number };

export interface GbdtOptions {
  /** Shrinkage of every tree's output (default 0.1). */
  readonly learningRate?: number;
  /** Boosting iterations, one tree each (default 100). */
  readonly maxIterations?: number;
  /** Leaves per tree (default 31). */
  readonly maxLeafNodes?: number;
  /** Depth limit (root = 0; default none). */
  readonly maxDepth?: number;
  /** Fewest training rows in a leaf (default 20). */
  readonly minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values, leaf = -G / (H + λ) (default 0, as scikit-learn). */
  readonly l2Regularization?: number;
  /** Non-missing bins per numeric feature, at most 255 (default 255). */
  readonly maxBins?: number;
  /** Smallest hessian sum in a child (default 1e-3). */
  readonly minHessianToSplit?: number;
  /** Default: none (all rows weigh 1). */
  readonly classWeight?: ClassWeight;
  /** Hold out a stratified validation split and stop on its log loss (default true). */
  readonly earlyStopping?: boolean;
  /** Share of training rows held out for early stopping (default 0.1). */
  readonly validationFraction?: number;
  /** Stop after this many iterations without improvement (default 10). */
  readonly patience?: number;
  /** Improvement smaller than this does not count (default 1e-7). */
  readonly tolerance?: number;
  /** Rows sampled to find numeric bin edges (default 200,000). */
  readonly binSubsample?: number;
  /** Seed of the validation split and the binning subsample (default 0). */
  readonly seed?: number;
  /** Native categorical splits (defaults: maxOneHot 4, maxThreshold 32, smoothing 10, l2 10, minCount 10). */
  readonly categorical?: {
    readonly maxOneHot?: number;
    readonly maxThreshold?: number;
    readonly smoothing?: number;
    readonly l2?: number;
    readonly minCount?: number;
  };
}

/** Options with every default filled in. */
export interface ResolvedGbdtOptions {
  readonly learningRate: number;
  readonly maxIterations: number;
  readonly maxLeafNodes: number;
  /** null = no limit (JSON has no Infinity). */
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly l2Regularization: number;
  readonly maxBins: number;
  readonly minHessianToSplit: number;
  readonly classWeight: ClassWeight | null;
  readonly earlyStopping: boolean;
  readonly validationFraction: number;
  readonly patience: number;
  readonly tolerance: number;
  readonly binSubsample: number;
  readonly seed: number;
  readonly categorical: {
    readonly maxOneHot: number;
    readonly maxThreshold: number;
    readonly smoothing: number;
    readonly l2: number;
    readonly minCount: number;
  };
}

/** How the fit went. */
export interface GbdtFitInfo {
  /** Trees built before stopping (the model may keep fewer: see bestIteration). */
  readonly iterations: number;
  /** Trees kept: those up to the best validation loss (all of them without early stopping). */
  readonly treesKept: number;
  readonly stoppedEarly: boolean;
  /** Weighted mean log loss on the training rows after 0, 1, ... trees. */
  readonly trainLoss: readonly number[];
  /** The same on the validation rows (empty without early stopping). */
  readonly validationLoss: readonly number[];
  readonly trainRows: number;
  readonly validationRows: number;
}

export interface GbdtModel {
  /** Binning of each feature, in the training table's column order (features are matched by name). */
  readonly binning: readonly FeatureBinning[];
  /** Margin before any tree: the log-odds of the (weighted) training positive rate. */
  readonly baseline: number;
  readonly trees: readonly GbdtTree[];
  readonly options: ResolvedGbdtOptions;
  readonly info: GbdtFitInfo;
}
