import { checkScoresAndLabels } from './check-inputs.js';

/** One bin (decile by default) of a lift / gains table, bins ordered from the highest scores down. */
export interface LiftBin {
  /** 1 for the highest-scoring bin. */
  readonly bin: number;
  readonly rows: number;
  /** Positives in the bin (fractional when a group of tied scores straddles a bin boundary). */
  readonly positives: number;
  /** positives / rows. */
  readonly responseRate: number;
  /** responseRate / overall positive rate. */
  readonly lift: number;
  readonly cumulativeRows: number;
  readonly cumulativePositives: number;
  /** Share of all positives captured in bins 1..bin (the gains curve). */
  readonly gain: number;
  /** Response rate of bins 1..bin over the overall rate. */
  readonly cumulativeLift: number;
  readonly minScore: number;
  readonly maxScore: number;
}

/**
 * Lift and gains by bin (deciles by default): rows sorted by descending score and cut into `bins` groups
 * of (nearly) equal size, bin k holding sorted positions floor((k-1) n / bins) .. floor(k n / bins) - 1.
 *
 * Tie handling (deterministic and independent of the row order): a group of equal scores that straddles a
 * bin boundary is split by position like any other rows, but its positives are shared among its rows
 * evenly, so each bin receives the group's positive rate times the number of its rows it holds. That is
 * the expected count under a random tie-break; breaking ties by row order instead would let the file order
 * decide the lift of a model with coarse scores (e.g. a tree that gives hundreds of customers the same
 * leaf value).
 *
 * Reference: Berry & Linoff, Data Mining Techniques, 3rd ed., ch. 5 (lift and cumulative gains).
 *
 * @example liftTable(scores, labels)[0].lift // lift in the top decile
 */
export function liftTable(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { readonly bins?: number } = {},
): LiftBin[] {
  const totalPositives = checkScoresAndLabels('lift table', scores, labels);
  const n = scores.length;
  const bins = options.bins ?? 10;
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= n)) {
    throw new RangeError(
      `lift table: bins must be an integer from 1 to the number of rows (${n}), got ${bins}`,
    );
  }
  if (totalPositives === 0) throw new RangeError('lift table: needs at least one positive');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  // Positive rate of the tied group each sorted position belongs to.
  const rate = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    let pos = 0;
    for (; j < n && scores[order[j]!] === scores[order[i]!]; j++) pos += labels[order[j]!]!;
    for (let k = i; k < j; k++) rate[k] = pos / (j - i);
    i = j;
  }
  const baseRate = totalPositives / n;
  const out: LiftBin[] = [];
  let cumRows = 0;
  let cumPos = 0;
  for (let b = 0; b < bins; b++) {
    const start = Math.floor((b * n) / bins);
    const end = Math.floor(((b + 1) * n) / bins);
    let positives = 0;
    for (let k = start; k < end; k++) positives += rate[k]!;
    const rows = end - start;
    cumRows += rows;
    cumPos += positives;
    out.push({
      bin: b + 1,
      rows,
      positives,
      responseRate: positives / rows,
      lift: positives / rows / baseRate,
      cumulativeRows: cumRows,
      cumulativePositives: cumPos,
      gain: cumPos / totalPositives,
      cumulativeLift: cumPos / cumRows / baseRate,
      minScore: scores[order[end - 1]!]!,
      maxScore: scores[order[start]!]!,
    });
  }
  return out;
}
