import { describe, expect, it } from 'vitest';
import { brierScore } from '../../../../src/models/learn/metrics/brier-score.js';
import { LABELS, SCORES, SKLEARN } from './fixed-inputs.js';

describe('brierScore', () => {
  it("equals scikit-learn's brier_score_loss", () => {
    expect(brierScore(SCORES, LABELS)).toBeCloseTo(SKLEARN.brier, 15);
  });

  it('scores the base rate r as r (1 - r)', () => {
    expect(brierScore([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBeCloseTo(0.1875, 15);
  });
});
