import { liftTable } from './lift-table.js';

/**
 * Lift in the top decile: the churn rate among the 10 % highest-scored customers over the overall churn
 * rate (ties shared as in liftTable). The number a retention team acts on: "contacting the top tenth
 * reaches this many times more churners than contacting at random". A model no better than chance scores 1.
 *
 * @example topDecileLift(scores, labels) // e.g. 2.9 on the Telco test split
 */
export function topDecileLift(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (scores.length < 10) throw new RangeError('top-decile lift: needs at least 10 rows');
  return liftTable(scores, labels, { bins: 10 })[0]!.lift;
}
