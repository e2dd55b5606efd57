import { checkProbabilities, checkScoresAndLabels } from './check-inputs.js';

/**
 * Mean log loss (cross-entropy) of predicted probabilities: -mean(y ln p + (1 - y) ln(1 - p)).
 *
 * Probabilities are clipped to [ε, 1 - ε] first (default ε = 2^-52, machine epsilon, as scikit-learn 1.2's
 * `log_loss` with eps='auto'), because a single confident mistake (p = 0 for a churner) would otherwise make
 * the loss infinite and the comparison of models meaningless.
 *
 * @example logLoss([0.9, 0.2], [1, 0]) // (-ln 0.9 - ln 0.8) / 2 = 0.164252033486018
 */
export function logLoss(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { readonly epsilon?: number } = {},
): number {
  checkScoresAndLabels('log loss', probabilities, labels);
  checkProbabilities('log loss', probabilities);
  const eps = options.epsilon ?? Number.EPSILON;
  if (!(eps >= 0 && eps < 0.5)) throw new RangeError('log loss: epsilon must be in [0, 0.5)');
  let s = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]!));
    // log1p(-p) keeps precision for small p where 1 - p rounds.
    s -= labels[i] ? Math.log(p) : Math.log1p(-p);
  }
  return s / probabilities.length;
}
