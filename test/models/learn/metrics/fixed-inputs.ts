/**
 * Fixed scores with ties (0.8 twice, 0.6 three times, 0.3 twice) and extreme values 0 and 1, shared by the
 * metric tests. The scikit-learn values were confirmed with scikit-learn 1.2.1, script
 * reference/telco_logistic.py (part C).
 */
export const SCORES = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.3, 0.2, 0.1, 0.0, 1.0];
export const LABELS = [1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1];

export const SKLEARN = {
  averagePrecision: 0.7867424242424242,
  logLoss: 0.5027143892758474,
  brier: 0.175,
  calibrationUniform5: {
    fractionPositive: [0.0, 0.3333333333333333, 0.3333333333333333, 0.6666666666666666, 1.0],
    meanPredicted: [0.10000000000000002, 0.3333333333333333, 0.6, 0.7666666666666666, 0.95],
  },
  calibrationQuantile4: {
    fractionPositive: [0.2, 0.25, 1.0, 0.75],
    meanPredicted: [0.18, 0.5499999999999999, 0.7, 0.875],
  },
};

/** The same rows in another order (a fixed permutation), for order-independence checks. */
export function permuted<T>(values: readonly T[]): T[] {
  const order = [13, 2, 7, 0, 11, 5, 9, 1, 12, 4, 8, 3, 10, 6];
  return order.map((i) => values[i]!);
}
