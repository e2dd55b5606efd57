import { describe, expect, it } from 'vitest';
import { calibrationCurve } from '../../../../src/models/learn/metrics/calibration-curve.js';
import { LABELS, SCORES, SKLEARN } from './fixed-inputs.js';

describe('calibrationCurve', () => {
  it("matches scikit-learn's calibration_curve with uniform bins (values on edges included)", () => {
    const bins = calibrationCurve(SCORES, LABELS, { bins: 5 });
    expect(bins.map((b) => b.fractionPositive)).toEqual(SKLEARN.calibrationUniform5.fractionPositive);
    bins.forEach((b, k) =>
      expect(b.meanPredicted).toBeCloseTo(SKLEARN.calibrationUniform5.meanPredicted[k]!, 14),
    );
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(SCORES.length);
  });

  it("matches scikit-learn's calibration_curve with quantile bins", () => {
    const bins = calibrationCurve(SCORES, LABELS, { bins: 4, strategy: 'quantile' });
    expect(bins.map((b) => b.fractionPositive)).toEqual(SKLEARN.calibrationQuantile4.fractionPositive);
    bins.forEach((b, k) =>
      expect(b.meanPredicted).toBeCloseTo(SKLEARN.calibrationQuantile4.meanPredicted[k]!, 14),
    );
  });

  it('leaves out empty bins and validates options', () => {
    expect(calibrationCurve([0.05, 0.95], [0, 1], { bins: 10 })).toHaveLength(2);
    expect(() => calibrationCurve([0.5], [1], { bins: 0 })).toThrow(/bins/);
  });
});
