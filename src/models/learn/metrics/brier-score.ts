import { checkProbabilities, checkScoresAndLabels } from './check-inputs.js';

/**
 * Brier score: the mean squared difference between the predicted probability and the 0/1 outcome
 * (Brier 1950, Monthly Weather Review 78(1)). Lower is better; predicting the base rate r for everyone
 * scores r (1 - r), the yardstick for "no skill". Agrees with scikit-learn's `brier_score_loss`.
 *
 * @example brierScore([0.9, 0.2], [1, 0]) // (0.01 + 0.04) / 2 = 0.025
 */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkScoresAndLabels('Brier score', probabilities, labels);
  checkProbabilities('Brier score', probabilities);
  let s = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const d = probabilities[i]! - labels[i]!;
    s += d * d;
  }
  return s / probabilities.length;
}
