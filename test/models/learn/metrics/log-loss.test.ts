import { describe, expect, it } from 'vitest';
import { logLoss } from '../../../../src/models/learn/metrics/log-loss.js';
import { LABELS, SCORES, SKLEARN } from './fixed-inputs.js';

describe('logLoss', () => {
  it("equals scikit-learn's log_loss (probabilities 0 and 1 included)", () => {
    expect(logLoss(SCORES, LABELS)).toBeCloseTo(SKLEARN.logLoss, 14);
  });

  it('clips confident mistakes instead of returning Infinity', () => {
    const loss = logLoss([0, 1], [1, 0]);
    expect(loss).toBeCloseTo(-Math.log(Number.EPSILON), 10);
    expect(logLoss([0, 1], [1, 0], { epsilon: 1e-3 })).toBeCloseTo(-Math.log(1e-3), 12);
  });

  it('rejects values that are not probabilities', () => {
    expect(() => logLoss([1.2], [1])).toThrow(/probability 1/);
    expect(() => logLoss([0.5], [1], { epsilon: 0.5 })).toThrow(/epsilon/);
  });
});
