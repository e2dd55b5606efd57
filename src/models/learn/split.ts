/**
 * Seeded stratified splits: a train/test split and k-fold cross-validation folds that keep the churn rate
 * of every part equal to the whole (to within one row per class), so that a rare positive class is never
 * missing from a fold and metrics from different folds are comparable.
 */
import { Random } from '../random.js';

export interface TrainTest {
  /** Row indices, ascending. */
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Uniform integer in [0, m) (m ≤ 2^32; the modulo bias of 32 random bits is below 2^-32 · m). */
function below(rng: Random, m: number): number {
  return Math.floor(rng.uniform() * m);
}

/** Row indices of each class (0 and 1), each list shuffled by Fisher-Yates. */
function shuffledByClass(labels: ArrayLike<number>, rng: Random): [number[], number[]] {
  const classes: [number[], number[]] = [[], []];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new RangeError(`split: label ${i + 1} is ${y}, not 0 or 1`);
    classes[y]!.push(i);
  }
  for (const list of classes) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = below(rng, i + 1);
      const t = list[i]!;
      list[i] = list[j]!;
      list[j] = t;
    }
  }
  return classes;
}

function sortedInt32(values: number[]): Int32Array {
  return Int32Array.from(values).sort();
}

/**
 * Stratified train/test split: in each class, round(testFraction × class size) randomly chosen rows go to
 * the test set. Same seed and labels, same split.
 *
 * @example const { train, test } = stratifiedSplit(table.labels, { testFraction: 0.3, seed: 1 })
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  options: { readonly testFraction: number; readonly seed: number },
): TrainTest {
  const f = options.testFraction;
  if (!(f > 0 && f < 1)) throw new RangeError(`stratifiedSplit: testFraction must be in (0, 1), got ${f}`);
  const rng = new Random(options.seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const list of shuffledByClass(labels, rng)) {
    const m = Math.round(list.length * f);
    // loops, not push(...): a spread of a million arguments overflows the call stack
    for (let j = 0; j < list.length; j++) (j < m ? test : train).push(list[j]!);
  }
  if (train.length === 0 || test.length === 0) throw new RangeError('stratifiedSplit: a part would be empty');
  return { train: sortedInt32(train), test: sortedInt32(test) };
}

/**
 * Stratified k-fold: each class is shuffled and dealt round-robin to the folds, continuing the deal across
 * classes so the fold sizes differ by at most one. Fold f's test rows are the rows dealt to it; its
 * training rows are all the others. Every row is in exactly one test fold.
 *
 * @example stratifiedKFold(table.labels, { folds: 5, seed: 7 }).map((f) => f.test.length)
 */
export function stratifiedKFold(
  labels: ArrayLike<number>,
  options: { readonly folds: number; readonly seed: number },
): TrainTest[] {
  const k = options.folds;
  if (!(Number.isInteger(k) && k >= 2))
    throw new RangeError(`stratifiedKFold: folds must be an integer >= 2, got ${k}`);
  if (k > labels.length) throw new RangeError(`stratifiedKFold: ${k} folds for ${labels.length} rows`);
  const rng = new Random(options.seed);
  const fold = new Int32Array(labels.length);
  let next = 0;
  for (const list of shuffledByClass(labels, rng)) {
    for (const i of list) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  const out: TrainTest[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < labels.length; i++) (fold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}
