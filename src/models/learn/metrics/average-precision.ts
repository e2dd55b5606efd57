import { checkScoresAndLabels, orderByScoreDescending } from './check-inputs.js';

/**
 * Average precision, the usual estimate of the area under the precision-recall curve:
 *
 *   AP = Σ_k (R_k - R_{k-1}) P_k,
 *
 * over the distinct score thresholds in descending order, P_k and R_k being precision and recall when every
 * row scoring at least the k-th threshold is flagged. Tied scores form one threshold, so the result does not
 * depend on the row order. This is the step-function sum, not a trapezoid: linear interpolation between
 * precision-recall points is optimistic (Davis & Goadrich 2006), which is why scikit-learn's
 * `average_precision_score` uses the same sum; the two agree exactly.
 *
 * Unlike ROC AUC it depends on the churn rate: a random model scores the positive share, not 0.5. That
 * makes it the more honest summary when churners are rare and the top of the list is what gets contacted.
 *
 * @example averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.8333333333333333
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const positives = checkScoresAndLabels('average precision', scores, labels);
  if (positives === 0) throw new RangeError('average precision: needs at least one positive');
  const order = orderByScoreDescending(scores);
  let tp = 0;
  let flagged = 0;
  let ap = 0;
  for (let i = 0; i < order.length;) {
    const s = scores[order[i]!]!;
    let groupPositives = 0;
    let j = i;
    for (; j < order.length && scores[order[j]!] === s; j++) groupPositives += labels[order[j]!]!;
    flagged += j - i;
    tp += groupPositives;
    // Recall rises by groupPositives / positives at this threshold, at the precision tp / flagged.
    if (groupPositives > 0) ap += (groupPositives / positives) * (tp / flagged);
    i = j;
  }
  return ap;
}
