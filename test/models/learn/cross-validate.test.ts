import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../../src/models/learn/cross-validate.js';
import { fitLogisticRegression, predictLogistic } from '../../../src/models/learn/logistic-regression.js';
import { rocAuc } from '../../../src/models/learn/metrics/roc-auc.js';
import { loadTelco } from './telco.js';

describe('crossValidate', () => {
  const telco = loadTelco();

  it('cross-validates the logistic model on the Telco training rows', () => {
    const cv = crossValidate(telco.train, {
      folds: 5,
      seed: 11,
      fit: (t) => fitLogisticRegression(t),
      predict: predictLogistic,
    });
    expect(cv.folds).toHaveLength(5);
    expect(cv.folds.reduce((s, f) => s + f.testRows, 0)).toBe(telco.train.features.rows);
    expect(Object.keys(cv.mean)).toEqual(['rocAuc', 'averagePrecision', 'logLoss', 'brierScore']);
    const aucs = cv.folds.map((f) => f.metrics.rocAuc!);
    expect(cv.mean.rocAuc).toBeCloseTo(aucs.reduce((s, v) => s + v, 0) / 5, 14);
    expect(cv.mean.rocAuc).toBeGreaterThan(0.8);
    expect(cv.sd.rocAuc).toBeGreaterThan(0);
    expect(cv.sd.rocAuc).toBeLessThan(0.05);
    expect(cv.outOfFold.every(Number.isFinite)).toBe(true);
    expect(rocAuc(cv.outOfFold, telco.train.labels)).toBeGreaterThan(0.8);
  });

  it('takes custom metrics and checks the prediction length', () => {
    const cv = crossValidate(telco.train, {
      folds: 3,
      fit: () => null,
      predict: (_m, f) => new Float64Array(f.rows).fill(0.5),
      metrics: { auc: rocAuc },
    });
    expect(cv.mean.auc).toBe(0.5);
    expect(() =>
      crossValidate(telco.train, {
        folds: 3,
        fit: () => null,
        predict: () => [0.5],
        metrics: { auc: rocAuc },
      }),
    ).toThrow(/returned 1 scores/);
  });
});
