import { describe, expect, it } from 'vitest';
import {
  confusionAtThreshold,
  confusionAtTopK,
} from '../../../../src/models/learn/metrics/confusion-matrix.js';
import { LABELS, SCORES } from './fixed-inputs.js';

describe('confusion matrix', () => {
  it('at a threshold (score >= threshold is flagged)', () => {
    const m = confusionAtThreshold(SCORES, LABELS, 0.6);
    // Flagged: 1.0, 0.9, 0.8, 0.8, 0.7, 0.6 × 3 → 8 rows, 5 positives; 1 positive (0.3) missed.
    expect(m).toMatchObject({
      truePositives: 5,
      falsePositives: 3,
      falseNegatives: 1,
      trueNegatives: 5,
      flagged: 8,
    });
    expect(m.precision).toBeCloseTo(5 / 8, 15);
    expect(m.recall).toBeCloseTo(5 / 6, 15);
    expect(m.f1).toBeCloseTo((2 * (5 / 8) * (5 / 6)) / (5 / 8 + 5 / 6), 15);
    expect(m.accuracy).toBeCloseTo(10 / 14, 15);
  });

  it('at a contact volume k, ties at the cut-off by row order', () => {
    // Top 2: 1.0 (row 13) and 0.9 (row 0); top 3 takes the earlier of the two 0.8 rows (row 1, negative).
    expect(confusionAtTopK(SCORES, LABELS, 2)).toMatchObject({ truePositives: 2, falsePositives: 0 });
    expect(confusionAtTopK(SCORES, LABELS, 3)).toMatchObject({ truePositives: 2, falsePositives: 1 });
    expect(confusionAtTopK(SCORES, LABELS, 0)).toMatchObject({ flagged: 0, precision: 0, recall: 0, f1: 0 });
    expect(() => confusionAtTopK(SCORES, LABELS, 15)).toThrow(/k must/);
  });
});
