/**
 * How well per-customer predictions of holdout transactions match what customers did: totals and error
 * metrics, and the means grouped by calibration frequency (Fader, Hardie & Lee 2005, figure 4:
 * "conditional expectations" for x = 0, 1, ..., 6, 7+).
 */

export interface HoldoutMetrics {
  readonly customers: number;
  readonly actualTotal: number;
  readonly predictedTotal: number;
  /** (predicted - actual) / actual of the totals; null when nothing was bought. */
  readonly relativeError: number | null;
  readonly meanActual: number;
  readonly meanPredicted: number;
  /** Per-customer mean absolute error and root mean squared error. */
  readonly mae: number;
  readonly rmse: number;
  /** Pearson correlation of predicted and actual; null when either is constant. */
  readonly correlation: number | null;
}

export interface FrequencyGroup {
  /** "0", "1", ..., "7+". */
  readonly label: string;
  readonly minX: number;
  /** Inclusive; null for the open last group. */
  readonly maxX: number | null;
  readonly customers: number;
  readonly actualTotal: number;
  readonly predictedTotal: number;
  /** Means per customer; null for an empty group. */
  readonly meanActual: number | null;
  readonly meanPredicted: number | null;
}

/** @example holdoutMetrics(Float64Array.of(1, 0), Float64Array.of(2, 0)).mae // 0.5 */
export function holdoutMetrics(predicted: Float64Array, actual: Float64Array): HoldoutMetrics {
  const n = predicted.length;
  let sp = 0;
  let sa = 0;
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    const a = actual[i]!;
    sp += p;
    sa += a;
    abs += Math.abs(p - a);
    sq += (p - a) ** 2;
  }
  const mp = n > 0 ? sp / n : 0;
  const ma = n > 0 ? sa / n : 0;
  let cov = 0;
  let vp = 0;
  let va = 0;
  for (let i = 0; i < n; i++) {
    const dp = predicted[i]! - mp;
    const da = actual[i]! - ma;
    cov += dp * da;
    vp += dp * dp;
    va += da * da;
  }
  return {
    customers: n,
    actualTotal: sa,
    predictedTotal: sp,
    relativeError: sa > 0 ? (sp - sa) / sa : null,
    meanActual: ma,
    meanPredicted: mp,
    mae: n > 0 ? abs / n : 0,
    rmse: n > 0 ? Math.sqrt(sq / n) : 0,
    correlation: vp > 0 && va > 0 ? cov / Math.sqrt(vp * va) : null,
  };
}

/**
 * Groups x = 0, 1, ..., groups - 1 and "groups+" (x is a whole number of repeat purchase periods).
 *
 * @example byFrequency(x, predicted, actual, 7).map((g) => g.label) // ['0', ..., '6', '7+']
 */
export function byFrequency(
  x: Float64Array,
  predicted: Float64Array,
  actual: Float64Array,
  groups: number,
): FrequencyGroup[] {
  const count = new Float64Array(groups + 1);
  const sumP = new Float64Array(groups + 1);
  const sumA = new Float64Array(groups + 1);
  for (let i = 0; i < x.length; i++) {
    const g = Math.min(Math.max(0, Math.round(x[i]!)), groups);
    count[g]!++;
    sumP[g]! += predicted[i]!;
    sumA[g]! += actual[i]!;
  }
  return Array.from({ length: groups + 1 }, (_, g) => ({
    label: g < groups ? String(g) : `${groups}+`,
    minX: g,
    maxX: g < groups ? g : null,
    customers: count[g]!,
    actualTotal: sumA[g]!,
    predictedTotal: sumP[g]!,
    meanActual: count[g]! > 0 ? sumA[g]! / count[g]! : null,
    meanPredicted: count[g]! > 0 ? sumP[g]! / count[g]! : null,
  }));
}
