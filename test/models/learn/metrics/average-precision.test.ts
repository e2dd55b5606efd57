import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../../../../src/models/learn/metrics/average-precision.js';
import { LABELS, SCORES, SKLEARN, permuted } from './fixed-inputs.js';

describe('averagePrecision', () => {
  it("equals scikit-learn's average_precision_score, ties included", () => {
    expect(averagePrecision(SCORES, LABELS)).toBeCloseTo(SKLEARN.averagePrecision, 14);
    expect(averagePrecision(permuted(SCORES), permuted(LABELS))).toBeCloseTo(SKLEARN.averagePrecision, 14);
  });

  it('is 1 for a perfect ranking and the step sum for a small case', () => {
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    // Thresholds 0.8 (P 1/1, R 1/2) then 0.35 (P 2/3, R 1): AP = 1/2 + 1/2 · 2/3.
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 15);
  });

  it('rejects bad input', () => {
    expect(() => averagePrecision([0.1, 0.2], [0, 0])).toThrow(/positive/);
    expect(() => averagePrecision([0.1], [0, 1])).toThrow(/length/);
    expect(() => averagePrecision([NaN, 0.2], [0, 1])).toThrow(/score 1/);
    expect(() => averagePrecision([0.1, 0.2], [0, 2])).toThrow(/label 2/);
  });
});
