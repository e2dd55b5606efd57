/**
 * Regularised logistic regression: the interpretable baseline churn model. Each feature's weight is a
 * change in log-odds of churning per standard deviation (numeric columns) or for having a level
 * (one-hot columns), which is what makes the per-customer explanations in logistic-explain.ts possible.
 *
 * The penalty is parameterised as in scikit-learn's LogisticRegression, so the same C gives the same
 * model: minimise Σ_i w_i loss_i + (1/C) · penalty(b), with the sum (not the mean) of the row losses, the
 * intercept unpenalised, and penalty ½‖b‖² (L2), ‖b‖₁ (L1) or α‖b‖₁ + (1-α)/2 ‖b‖² (elastic net, α =
 * l1Ratio). Pitfall: because the losses are summed, the effective amount of shrinkage falls as the
 * training set grows; a C tuned on a sample is not right for the full data.
 *
 * Solvers: exact Newton for L2 (logistic-newton.ts), proximal Newton with coordinate descent for L1 and
 * elastic net (logistic-coordinate-descent.ts); both stop on the KKT conditions, so results agree with
 * any other exact solver to about the tolerance, not to a solver-specific stopping rule.
 *
 * Reference: Hastie, Tibshirani & Friedman, The Elements of Statistical Learning, 2nd ed., §4.4.
 */
import { rowWeights, type ClassWeight } from './class-weights.js';
import { encodeTable, encodedFeatures, fitEncoder, type Encoder } from './encoder.js';
import type { FeatureTable, LabelledTable } from './feature-table.js';
import { fitProximalNewton } from './logistic-coordinate-descent.js';
import { linearPredictor, logistic, type PenaltySpec } from './logistic-loss.js';
import { fitRidgeNewton } from './logistic-newton.js';

export type Penalty = 'l2' | 'l1' | 'elasticnet';

export interface LogisticRegressionOptions {
  /** Default 'l2'. */
  readonly penalty?: Penalty;
  /** Inverse penalty strength (λ = 1/C), as scikit-learn; default 1. */
  readonly C?: number;
  /** L1 share α of the elastic-net penalty, in [0, 1]; required for 'elasticnet', ignored otherwise. */
  readonly l1Ratio?: number;
  /** Default null (unweighted). */
  readonly classWeight?: ClassWeight;
  /** Optional per-row weights (multiplied with the class weights). */
  readonly sampleWeights?: ArrayLike<number>;
  /** One-hot encoding without the first level of each categorical column; default false. */
  readonly dropFirst?: boolean;
  /** KKT tolerance relative to the total row weight; default 1e-10. */
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

/** A fitted model: plain data, JSON.stringify-able as is (see logistic-json.ts for loading). */
export interface LogisticModel {
  readonly format: 'retain.logistic-regression';
  readonly version: 1;
  readonly encoder: Encoder;
  readonly intercept: number;
  /** One per encoded feature, in encodedFeatures(encoder) order. */
  readonly coefficients: readonly number[];
  readonly penalty: Penalty;
  readonly C: number;
  readonly l1Ratio: number;
  readonly classWeight: ClassWeight;
  /** How the fit ended: the solver's iterations, whether the KKT tolerance was met, and the objective. */
  readonly fit: { readonly iterations: number; readonly converged: boolean; readonly objective: number };
}

/** The λ and α of the objective for the given options (validated). */
export function penaltySpec(penalty: Penalty, C: number, l1Ratio: number | undefined): PenaltySpec {
  if (!(C > 0 && Number.isFinite(C)))
    throw new RangeError(`logistic regression: C must be positive and finite, got ${C}`);
  if (penalty === 'l2') return { lambda: 1 / C, l1Ratio: 0 };
  if (penalty === 'l1') return { lambda: 1 / C, l1Ratio: 1 };
  if (penalty === 'elasticnet') {
    if (l1Ratio === undefined || !(l1Ratio >= 0 && l1Ratio <= 1)) {
      throw new RangeError(`logistic regression: elastic net needs l1Ratio in [0, 1], got ${l1Ratio}`);
    }
    return { lambda: 1 / C, l1Ratio };
  }
  throw new RangeError(`logistic regression: unknown penalty "${String(penalty)}"`);
}

/**
 * Fit the encoder and the model on labelled training rows.
 *
 * @example
 * const model = fitLogisticRegression(train); // L2, C = 1: scikit-learn's defaults
 * const p = predictLogistic(model, test.features); // churn probabilities
 */
export function fitLogisticRegression(
  table: LabelledTable,
  options: LogisticRegressionOptions = {},
): LogisticModel {
  const n = table.features.rows;
  if (table.labels.length !== n)
    throw new RangeError('fitLogisticRegression: labels and rows differ in length');
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = table.labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`fitLogisticRegression: label ${i + 1} is ${y}, not 0 or 1`);
    positives += y;
  }
  if (positives === 0 || positives === n) throw new RangeError('fitLogisticRegression: needs both classes');
  const penalty = options.penalty ?? 'l2';
  const C = options.C ?? 1;
  const spec = penaltySpec(penalty, C, options.l1Ratio);
  const classWeight = options.classWeight ?? null;
  const weights = rowWeights(table.labels, classWeight, options.sampleWeights);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    if (table.labels[i]) pos += weights[i]!;
    else neg += weights[i]!;
  }
  if (!(pos > 0 && neg > 0))
    throw new RangeError('fitLogisticRegression: both classes need positive total weight');

  const encoder = fitEncoder(table.features, { dropFirst: options.dropFirst ?? false });
  const x = encodeTable(encoder, table.features);
  const solverOptions = {
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
  };
  const solution =
    spec.l1Ratio === 0
      ? fitRidgeNewton(x, table.labels, weights, spec, solverOptions)
      : fitProximalNewton(x, table.labels, weights, spec, solverOptions);
  return {
    format: 'retain.logistic-regression',
    version: 1,
    encoder,
    intercept: solution.intercept,
    coefficients: Array.from(solution.coefficients),
    penalty,
    C,
    l1Ratio: spec.l1Ratio,
    classWeight,
    fit: { iterations: solution.iterations, converged: solution.converged, objective: solution.objective },
  };
}

/**
 * Linear predictor (log-odds of churn) per row.
 *
 * @example logitLogistic(model, table)[0] // b0 + Σ_j b_j z_0j
 */
export function logitLogistic(model: LogisticModel, features: FeatureTable): Float64Array {
  const x = encodeTable(model.encoder, features);
  if (x.cols !== model.coefficients.length) {
    throw new RangeError('logistic regression: the encoder and the coefficients disagree in length');
  }
  return linearPredictor(x, model.intercept, model.coefficients);
}

/**
 * Churn probability per row.
 *
 * @example predictLogistic(model, test.features) // Float64Array of probabilities in (0, 1)
 */
export function predictLogistic(model: LogisticModel, features: FeatureTable): Float64Array {
  return logitLogistic(model, features).map(logistic);
}

/** Names of the model's coefficients: 'column' for a numeric value, 'column=<missing>', 'column=level'. */
export function coefficientNames(model: LogisticModel): string[] {
  return encodedFeatures(model.encoder).map((f) =>
    f.kind === 'value' ? f.column : f.kind === 'missing' ? `${f.column}=<missing>` : `${f.column}=${f.level}`,
  );
}
