import { checkScoresAndLabels, orderByScoreDescending } from './check-inputs.js';

/** Counts and rates of a yes/no decision against the outcome (positive = churner, flagged = contacted). */
export interface ConfusionMatrix {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  /** Share of flagged rows that are positive; 0 when nothing is flagged (scikit-learn's zero_division=0). */
  readonly precision: number;
  /** Share of positives flagged; 0 when there are no positives. */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  readonly f1: number;
  readonly accuracy: number;
  /** Number of rows flagged. */
  readonly flagged: number;
}

function fromFlags(flags: Uint8Array, labels: ArrayLike<number>): ConfusionMatrix {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) {
      if (labels[i]) tp++;
      else fp++;
    } else if (labels[i]) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    precision,
    recall,
    f1,
    accuracy: (tp + tn) / flags.length,
    flagged: tp + fp,
  };
}

/**
 * Confusion matrix when every row scoring at or above the threshold is flagged.
 *
 * @example confusionAtThreshold([0.9, 0.4, 0.6], [1, 0, 0], 0.5) // tp 1, fp 1, tn 1, fn 0
 */
export function confusionAtThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): ConfusionMatrix {
  checkScoresAndLabels('confusion matrix', scores, labels);
  if (Number.isNaN(threshold)) throw new RangeError('confusion matrix: threshold is NaN');
  const flags = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) flags[i] = scores[i]! >= threshold ? 1 : 0;
  return fromFlags(flags, labels);
}

/**
 * Confusion matrix when exactly k rows are contacted: the k highest scores (a retention team's fixed
 * campaign volume). Ties at the cut-off are broken by row order (earlier rows first), because a contact
 * list must name exactly k customers; sort the rows by a stable key (e.g. customer id) first for
 * reproducible lists.
 *
 * @example confusionAtTopK([0.9, 0.4, 0.6], [1, 0, 0], 2) // flags rows 0 and 2: tp 1, fp 1
 */
export function confusionAtTopK(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  k: number,
): ConfusionMatrix {
  checkScoresAndLabels('confusion matrix', scores, labels);
  if (!(Number.isInteger(k) && k >= 0 && k <= scores.length)) {
    throw new RangeError(`confusion matrix: k must be an integer from 0 to ${scores.length}, got ${k}`);
  }
  const flags = new Uint8Array(scores.length);
  const order = orderByScoreDescending(scores);
  for (let r = 0; r < k; r++) flags[order[r]!] = 1;
  return fromFlags(flags, labels);
}
