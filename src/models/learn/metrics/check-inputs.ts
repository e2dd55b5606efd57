/**
 * Shared input checks for the metrics: equal lengths, finite scores and 0/1 labels. Every metric states
 * its own name in the message so a caller can tell which one rejected the data.
 */

/**
 * Throw a RangeError unless scores and labels have the same length, every score is finite and every
 * label is 0 or 1. Returns the number of positives.
 *
 * @example checkScoresAndLabels('log loss', [0.2, 0.9], [0, 1]) // 1
 */
export function checkScoresAndLabels(
  metric: string,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): number {
  if (scores.length !== labels.length) throw new RangeError(`${metric}: scores and labels differ in length`);
  if (scores.length === 0) throw new RangeError(`${metric}: no rows`);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`${metric}: score ${i + 1} is ${scores[i]}`);
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`${metric}: label ${i + 1} is ${y}, not 0 or 1`);
    positives += y;
  }
  return positives;
}

/** Throw a RangeError unless every value is a probability in [0, 1]. */
export function checkProbabilities(metric: string, probabilities: ArrayLike<number>): void {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${metric}: probability ${i + 1} is ${p}, not in [0, 1]`);
  }
}

/**
 * Row indices ordered by descending score, ties by ascending row index (a deterministic order; callers
 * that must not depend on the row order treat tied groups as a block).
 */
export function orderByScoreDescending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}
