/**
 * Per-row weights from class weights, for learners that trade precision on the majority class for recall
 * on the (usually rare) churners.
 */

/** 'balanced' or explicit weights per class; null / undefined for unweighted rows. */
export type ClassWeight = 'balanced' | { readonly negative: number; readonly positive: number } | null;

/**
 * Row weights: with 'balanced', class c gets n / (2 n_c), so both classes carry the same total weight and
 * the weights average 1 (scikit-learn's class_weight='balanced', hence the same C means the same fit).
 * Optional sample weights multiply in.
 *
 * @example rowWeights(Uint8Array.of(0, 0, 0, 1), 'balanced') // [2/3, 2/3, 2/3, 2]
 */
export function rowWeights(
  labels: ArrayLike<number>,
  classWeight: ClassWeight | undefined,
  sampleWeights?: ArrayLike<number>,
): Float64Array {
  const n = labels.length;
  if (sampleWeights !== undefined && sampleWeights.length !== n) {
    throw new RangeError('rowWeights: sample weights and labels differ in length');
  }
  let wNeg = 1;
  let wPos = 1;
  if (classWeight === 'balanced') {
    let pos = 0;
    for (let i = 0; i < n; i++) if (labels[i]) pos++;
    if (pos === 0 || pos === n) throw new RangeError("rowWeights: 'balanced' needs both classes");
    wPos = n / (2 * pos);
    wNeg = n / (2 * (n - pos));
  } else if (classWeight) {
    wNeg = classWeight.negative;
    wPos = classWeight.positive;
    if (!(wNeg >= 0 && wPos >= 0 && Number.isFinite(wNeg) && Number.isFinite(wPos))) {
      throw new RangeError('rowWeights: class weights must be finite and non-negative');
    }
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = sampleWeights === undefined ? 1 : sampleWeights[i]!;
    if (!(s >= 0 && Number.isFinite(s))) throw new RangeError(`rowWeights: sample weight ${i + 1} is ${s}`);
    w[i] = (labels[i] ? wPos : wNeg) * s;
  }
  return w;
}
