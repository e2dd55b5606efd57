/**
 * Gradient boosting of binary log loss with histogram trees (Friedman 2001, "Greedy function
 * approximation"; second-order leaf values as in Chen & Guestrin 2016): the margin F starts at the
 * log-odds of the training positive rate and each iteration adds one tree fitted to the gradient
 * g = w (p - y) and hessian h = w p (1 - p) of the log loss at p = sigmoid(F).
 *
 * Early stopping (on by default, unlike scikit-learn's 'auto' which is off below 10,000 rows): a seeded,
 * stratified share of the training rows is held out; training stops once the weighted validation log
 * loss has not improved by `tolerance` for `patience` iterations, and the model keeps the trees up to the
 * best iteration (LightGBM's best_iteration, rather than scikit-learn's keep-everything).
 */
import type { LabelledTable } from '../feature-table.js';
import { Random } from '../../random.js';
import { binTable, fitBinning, missingBin, type BinnedTable } from './binning.js';
import { GrowWorkspace, growTree } from './grow.js';
import { histogramLayout } from './histogram.js';
import type { GbdtModel, GbdtOptions, ResolvedGbdtOptions } from './model.js';
import { addTreeOutput, type GbdtTree } from './tree.js';

/** Defaults as scikit-learn's HistGradientBoostingClassifier where it has the option. */
export function resolveGbdtOptions(o: GbdtOptions = {}): ResolvedGbdtOptions {
  const r: ResolvedGbdtOptions = {
    learningRate: o.learningRate ?? 0.1,
    maxIterations: o.maxIterations ?? 100,
    maxLeafNodes: o.maxLeafNodes ?? 31,
    maxDepth: o.maxDepth ?? null,
    minSamplesLeaf: o.minSamplesLeaf ?? 20,
    l2Regularization: o.l2Regularization ?? 0,
    maxBins: o.maxBins ?? 255,
    minHessianToSplit: o.minHessianToSplit ?? 1e-3,
    classWeight: o.classWeight ?? null,
    earlyStopping: o.earlyStopping ?? true,
    validationFraction: o.validationFraction ?? 0.1,
    patience: o.patience ?? 10,
    tolerance: o.tolerance ?? 1e-7,
    binSubsample: o.binSubsample ?? 200_000,
    seed: o.seed ?? 0,
    categorical: {
      maxOneHot: o.categorical?.maxOneHot ?? 4,
      maxThreshold: o.categorical?.maxThreshold ?? 32,
      smoothing: o.categorical?.smoothing ?? 10,
      l2: o.categorical?.l2 ?? 10,
      minCount: o.categorical?.minCount ?? 10,
    },
  };
  validateOptions(r);
  return r;
}

function validateOptions(r: ResolvedGbdtOptions): void {
  const positiveInt = (v: number, name: string, min = 1): void => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  };
  const nonNegative = (v: number, name: string): void => {
    if (!(v >= 0 && Number.isFinite(v)))
      throw new RangeError(`${name} must be a finite number >= 0, got ${v}`);
  };
  if (!(r.learningRate > 0 && Number.isFinite(r.learningRate)))
    throw new RangeError(`learningRate must be > 0, got ${r.learningRate}`);
  positiveInt(r.maxIterations, 'maxIterations', 0);
  positiveInt(r.maxLeafNodes, 'maxLeafNodes', 2);
  if (r.maxDepth !== null) positiveInt(r.maxDepth, 'maxDepth');
  positiveInt(r.minSamplesLeaf, 'minSamplesLeaf');
  nonNegative(r.l2Regularization, 'l2Regularization');
  positiveInt(r.maxBins, 'maxBins', 2);
  if (r.maxBins > 255) throw new RangeError(`maxBins must be at most 255, got ${r.maxBins}`);
  nonNegative(r.minHessianToSplit, 'minHessianToSplit');
  if (!(r.validationFraction > 0 && r.validationFraction < 1))
    throw new RangeError(`validationFraction must be in (0, 1), got ${r.validationFraction}`);
  positiveInt(r.patience, 'patience');
  nonNegative(r.tolerance, 'tolerance');
  positiveInt(r.binSubsample, 'binSubsample');
  if (!Number.isInteger(r.seed)) throw new RangeError(`seed must be an integer, got ${r.seed}`);
  const cw = r.classWeight;
  if (cw !== null && cw !== 'balanced') {
    if (!(cw.negative > 0 && cw.positive > 0 && Number.isFinite(cw.negative + cw.positive)))
      throw new RangeError('classWeight needs finite positive weights for both classes');
  }
  positiveInt(r.categorical.maxOneHot, 'categorical.maxOneHot', 0);
  positiveInt(r.categorical.maxThreshold, 'categorical.maxThreshold');
  nonNegative(r.categorical.smoothing, 'categorical.smoothing');
  nonNegative(r.categorical.l2, 'categorical.l2');
  positiveInt(r.categorical.minCount, 'categorical.minCount');
}

/**
 * Split rows into training and validation, stratified by label: within each class a seeded shuffle, the
 * first round(fraction * n_class) rows (at least one when the class has two or more) go to validation.
 */
function stratifiedHoldout(labels: Uint8Array, fraction: number, seed: number): [Uint32Array, Uint32Array] {
  const rng = new Random(seed);
  const train: number[] = [];
  const valid: number[] = [];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === cls) idx.push(i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    const k = idx.length >= 2 ? Math.max(1, Math.round(fraction * idx.length)) : 0;
    // loops, not push(...): a spread of a million arguments overflows the call stack
    for (let j = 0; j < idx.length; j++) (j < k ? valid : train).push(idx[j]!);
  }
  // Increasing order keeps the binned columns read sequentially.
  return [Uint32Array.from(train).sort(), Uint32Array.from(valid).sort()];
}

/** Weighted mean log loss of margins against labels, computed stably from the margin. */
function logLoss(margin: Float64Array, labels: Uint8Array, weights: Float64Array): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < margin.length; i++) {
    const f = margin[i]!;
    // -log p = log(1 + e^-f) = softplus(-f); -log(1 - p) = softplus(f).
    const z = labels[i] ? -f : f;
    const softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    loss += weights[i]! * softplus;
    total += weights[i]!;
  }
  return loss / total;
}

/**
 * Fit a boosted tree model for P(label = 1) on a labelled table.
 *
 * @example
 * const model = fitGbdt({ features, labels }, { seed: 7 });
 * predictProbability(model, newFeatures) // Float64Array of churn probabilities
 */
export function fitGbdt(data: LabelledTable, options: GbdtOptions = {}): GbdtModel {
  const o = resolveGbdtOptions(options);
  const { features, labels } = data;
  const n = features.rows;
  if (labels.length !== n) throw new RangeError(`labels has ${labels.length} rows, the table ${n}`);
  if (features.columns.length === 0) throw new RangeError('the table has no feature columns');
  const names = new Set<string>();
  for (const c of features.columns) {
    if (names.has(c.name)) throw new RangeError(`duplicate column name '${c.name}'`);
    names.add(c.name);
  }
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new RangeError(`label at row ${i} is ${labels[i]}, not 0 or 1`);
    positives += labels[i]!;
  }
  if (positives === 0 || positives === n) throw new RangeError('fitting needs rows of both classes');

  const classWeights: [number, number] =
    o.classWeight === null
      ? [1, 1]
      : o.classWeight === 'balanced'
        ? [n / (2 * (n - positives)), n / (2 * positives)]
        : [o.classWeight.negative, o.classWeight.positive];

  const [trainRows, validRows] = o.earlyStopping
    ? stratifiedHoldout(labels, o.validationFraction, o.seed)
    : [Uint32Array.from({ length: n }, (_, i) => i), new Uint32Array(0)];
  const binning = fitBinning(features, trainRows, {
    maxBins: o.maxBins,
    subsample: o.binSubsample,
    seed: o.seed,
  });
  const train = binTable(binning, features, trainRows);
  const valid = binTable(binning, features, validRows);
  const pick = (rows: Uint32Array): [Uint8Array, Float64Array] => {
    const y = new Uint8Array(rows.length);
    const w = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      y[i] = labels[rows[i]!]!;
      w[i] = classWeights[y[i]!]!;
    }
    return [y, w];
  };
  const [yTrain, wTrain] = pick(trainRows);
  const [yValid, wValid] = pick(validRows);

  let wPos = 0;
  let wAll = 0;
  for (let i = 0; i < yTrain.length; i++) {
    wAll += wTrain[i]!;
    if (yTrain[i]) wPos += wTrain[i]!;
  }
  if (wPos === 0 || wPos === wAll) throw new RangeError('the training split lost one of the classes');
  const baseline = Math.log(wPos / (wAll - wPos));

  const shape = {
    categorical: Uint8Array.from(binning, (b) => (b.kind === 'categorical' ? 1 : 0)),
    missingBin: Int32Array.from(binning, missingBin),
    offsets: histogramLayout(binning.map((b) => missingBin(b) + 1)).offsets,
  };
  const workspace = new GrowWorkspace(train, shape, { offsets: shape.offsets });
  const growOptions = {
    maxLeafNodes: o.maxLeafNodes,
    maxDepth: o.maxDepth ?? Infinity,
    learningRate: o.learningRate,
    split: {
      l2: o.l2Regularization,
      minSamplesLeaf: o.minSamplesLeaf,
      minHessian: o.minHessianToSplit,
      categorical: o.categorical,
    },
  };

  const marginTrain = new Float64Array(train.rows).fill(baseline);
  const marginValid = new Float64Array(valid.rows).fill(baseline);
  const grad = new Float64Array(train.rows);
  const hess = new Float64Array(train.rows);
  const trees: GbdtTree[] = [];
  const trainLoss: number[] = [];
  let wTrainTotal = 0;
  for (let i = 0; i < train.rows; i++) wTrainTotal += wTrain[i]!;
  const validationLoss = o.earlyStopping ? [logLoss(marginValid, yValid, wValid)] : [];
  let best = 0; // trees at the best validation loss so far
  let stoppedEarly = false;

  for (let it = 0; it < o.maxIterations; it++) {
    // Gradients, and on the way the training loss of the current margins (one exp per row for both).
    let loss = 0;
    for (let i = 0; i < train.rows; i++) {
      const f = marginTrain[i]!;
      const e = Math.exp(-Math.abs(f));
      const p = f >= 0 ? 1 / (1 + e) : e / (1 + e);
      const y = yTrain[i]!;
      const w = wTrain[i]!;
      grad[i] = w * (p - y);
      hess[i] = w * p * (1 - p);
      // -log of the probability of the observed label: softplus(±f) = max(±f, 0) + log1p(e).
      loss += w * (Math.max(y ? -f : f, 0) + Math.log1p(e));
    }
    trainLoss.push(loss / wTrainTotal);
    const { tree, leaves } = growTree(workspace, grad, hess, growOptions);
    trees.push(tree);
    // Training margins from the leaf slices: no traversal needed.
    for (const leaf of leaves) {
      const v = tree.value[leaf.node]!;
      for (let i = leaf.start; i < leaf.end; i++) marginTrain[workspace.rows[i]!]! += v;
    }
    if (o.earlyStopping) {
      addTreeOutput(tree, valid, marginValid);
      const loss = logLoss(marginValid, yValid, wValid);
      validationLoss.push(loss);
      if (loss < validationLoss[best]! - o.tolerance) best = trees.length;
      else if (trees.length - best >= o.patience) {
        stoppedEarly = true;
        break;
      }
    }
    // A lone leaf means no split had positive gain; the next trees would be lone leaves too.
    if (tree.left.length === 1) break;
  }
  trainLoss.push(logLoss(marginTrain, yTrain, wTrain));
  const iterations = trees.length;
  const kept = o.earlyStopping ? trees.slice(0, best) : trees;
  return {
    binning,
    baseline,
    trees: kept,
    options: o,
    info: {
      iterations,
      treesKept: kept.length,
      stoppedEarly,
      trainLoss,
      validationLoss,
      trainRows: train.rows,
      validationRows: valid.rows,
    },
  };
}

/** Internal: margins of a binned table (used by predict and by tests on binned data). */
export function marginOfBinned(model: GbdtModel, table: BinnedTable): Float64Array {
  const out = new Float64Array(table.rows).fill(model.baseline);
  for (const tree of model.trees) addTreeOutput(tree, table, out);
  return out;
}
