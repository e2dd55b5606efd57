import { checkProbabilities, checkScoresAndLabels } from './check-inputs.js';

/** One non-empty bin of a calibration (reliability) curve. */
export interface CalibrationBin {
  /** Bin edges; a probability p falls in the first bin whose upper edge is >= p. */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin (the x of the reliability diagram). */
  readonly meanPredicted: number;
  /** Observed share of positives in the bin (the y). */
  readonly fractionPositive: number;
}

export type CalibrationStrategy = 'uniform' | 'quantile';

/** The q-quantile of sorted values with linear interpolation between order statistics (numpy's default). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Calibration curve: predicted probabilities grouped into bins, each reporting the mean prediction and
 * the observed churn rate; a calibrated model lies on the diagonal. 'uniform' bins split [0, 1] into equal
 * widths; 'quantile' bins put (about) the same number of rows in each, which keeps every point estimated
 * from enough rows when the predictions bunch up at low probabilities, as churn scores do. Empty bins are
 * left out (and tied quantile edges produce empty bins). The binning (interior edges, a value on an edge
 * goes to the lower bin) matches scikit-learn's `calibration_curve`.
 *
 * @example calibrationCurve(p, labels, { bins: 10, strategy: 'quantile' }).map((b) => [b.meanPredicted, b.fractionPositive])
 */
export function calibrationCurve(
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { readonly bins?: number; readonly strategy?: CalibrationStrategy } = {},
): CalibrationBin[] {
  checkScoresAndLabels('calibration curve', probabilities, labels);
  checkProbabilities('calibration curve', probabilities);
  const bins = options.bins ?? 10;
  const strategy = options.strategy ?? 'uniform';
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`calibration curve: bins must be a positive integer, got ${bins}`);
  const edges = new Float64Array(bins + 1);
  if (strategy === 'uniform') {
    for (let k = 0; k <= bins; k++) edges[k] = k / bins;
  } else if (strategy === 'quantile') {
    const sorted = Float64Array.from(probabilities).sort();
    for (let k = 0; k <= bins; k++) edges[k] = quantileSorted(sorted, k / bins);
  } else {
    throw new RangeError(`calibration curve: unknown strategy "${String(strategy)}"`);
  }
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    // Bin = number of interior edges strictly below p (binary search over edges[1..bins-1]).
    let lo = 1;
    let hi = bins;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    const b = lo - 1;
    count[b]! += 1;
    sumP[b]! += p;
    sumY[b]! += labels[i]!;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({
      lower: edges[b]!,
      upper: edges[b + 1]!,
      count: count[b]!,
      meanPredicted: sumP[b]! / count[b]!,
      fractionPositive: sumY[b]! / count[b]!,
    });
  }
  return out;
}
