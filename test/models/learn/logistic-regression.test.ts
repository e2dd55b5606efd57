import { describe, expect, it } from 'vitest';
import type { LabelledTable } from '../../../src/models/learn/feature-table.js';
import { explainLogistic, logisticImportance } from '../../../src/models/learn/logistic-explain.js';
import { logisticModelFromJson, logisticModelToJson } from '../../../src/models/learn/logistic-json.js';
import {
  coefficientNames,
  fitLogisticRegression,
  logitLogistic,
  predictLogistic,
} from '../../../src/models/learn/logistic-regression.js';
import { Random } from '../../../src/models/random.js';

/** Synthetic churn: two numeric drivers (one with missing values), a 3-level plan and a noise column. */
function synthetic(n: number, seed: number): LabelledTable {
  const rng = new Random(seed);
  const tenure = new Float64Array(n);
  const spend = new Float64Array(n);
  const noise = new Float64Array(n);
  const plan = new Int32Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    tenure[i] = 40 * rng.uniform();
    spend[i] = 50 + 20 * rng.normal();
    noise[i] = rng.normal();
    plan[i] = Math.floor(3 * rng.uniform());
    const eta = 1 - 0.08 * tenure[i]! + 0.03 * (spend[i]! - 50) + [0.8, 0, -0.8][plan[i]!]!;
    labels[i] = rng.uniform() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    if (i % 17 === 0) spend[i] = NaN;
  }
  return {
    features: {
      rows: n,
      columns: [
        { kind: 'numeric', name: 'tenure', values: tenure },
        { kind: 'numeric', name: 'spend', values: spend },
        { kind: 'numeric', name: 'noise', values: noise },
        { kind: 'categorical', name: 'plan', levels: ['annual', 'monthly', 'two-year'], codes: plan },
      ],
    },
    labels,
  };
}

const data = synthetic(600, 3);

describe('fitLogisticRegression', () => {
  it('L2 by Newton and by coordinate descent (elastic net with l1Ratio 0) agree', () => {
    const a = fitLogisticRegression(data, { C: 0.5 });
    const b = fitLogisticRegression(data, { C: 0.5, penalty: 'elasticnet', l1Ratio: 0 });
    expect(a.fit.converged && b.fit.converged).toBe(true);
    expect(Math.abs(a.intercept - b.intercept)).toBeLessThan(1e-8);
    a.coefficients.forEach((v, j) => expect(Math.abs(v - b.coefficients[j]!)).toBeLessThan(1e-8));
    expect(coefficientNames(a)).toEqual([
      'tenure',
      'spend',
      'spend=<missing>',
      'noise',
      'plan=annual',
      'plan=monthly',
      'plan=two-year',
    ]);
    // Recovers the signs of the generating model.
    const [tenure, spend] = a.coefficients;
    expect(tenure!).toBeLessThan(-0.5);
    expect(spend!).toBeGreaterThan(0.2);
  });

  it('less shrinkage with larger C', () => {
    const norm = (c: number): number =>
      fitLogisticRegression(data, { C: c }).coefficients.reduce((s, v) => s + v * v, 0);
    expect(norm(0.001)).toBeLessThan(norm(0.1));
    expect(norm(0.1)).toBeLessThan(norm(10));
  });

  it('L1 sets coefficients to exactly zero, and all of them under a strong penalty', () => {
    const sparse = fitLogisticRegression(data, { penalty: 'l1', C: 0.01 });
    expect(sparse.coefficients.some((v) => v === 0)).toBe(true);
    expect(sparse.coefficients.some((v) => v !== 0)).toBe(true);
    const empty = fitLogisticRegression(data, { penalty: 'l1', C: 1e-5 });
    expect(empty.coefficients.every((v) => v === 0)).toBe(true);
    // With no features left the intercept is the log-odds of the churn rate.
    const rate = data.labels.reduce((s, y) => s + y, 0) / data.labels.length;
    expect(empty.intercept).toBeCloseTo(Math.log(rate / (1 - rate)), 10);
  });

  it("'balanced' equals explicit class weights n / (2 n_c) and the same sample weights", () => {
    const n = data.labels.length;
    const pos = data.labels.reduce((s, y) => s + y, 0);
    const explicit = { negative: n / (2 * (n - pos)), positive: n / (2 * pos) };
    const a = fitLogisticRegression(data, { classWeight: 'balanced' });
    const b = fitLogisticRegression(data, { classWeight: explicit });
    const c = fitLogisticRegression(data, {
      sampleWeights: Array.from(data.labels, (y) => (y ? explicit.positive : explicit.negative)),
    });
    for (const m of [b, c]) m.coefficients.forEach((v, j) => expect(v).toBeCloseTo(a.coefficients[j]!, 10));
    // Balancing raises the predicted churn rate towards one half.
    const mean = (p: Float64Array): number => p.reduce((s, v) => s + v, 0) / p.length;
    const plain = fitLogisticRegression(data);
    expect(mean(predictLogistic(a, data.features))).toBeGreaterThan(
      mean(predictLogistic(plain, data.features)),
    );
  });

  it('validates its input', () => {
    expect(() => fitLogisticRegression(data, { C: 0 })).toThrow(/C must be positive/);
    expect(() => fitLogisticRegression(data, { C: Infinity })).toThrow(/C must be positive/);
    expect(() => fitLogisticRegression(data, { penalty: 'elasticnet' })).toThrow(/l1Ratio/);
    const oneClass = { features: data.features, labels: new Uint8Array(data.labels.length) };
    expect(() => fitLogisticRegression(oneClass)).toThrow(/both classes/);
    const bad = {
      features: data.features,
      labels: Uint8Array.from(data.labels, (y, i) => (i === 4 ? 2 : y)),
    };
    expect(() => fitLogisticRegression(bad)).toThrow(/label 5 is 2/);
  });
});

describe('explanations', () => {
  const model = fitLogisticRegression(data);

  it('contributions per original column add up to the logit, largest first', () => {
    const logits = logitLogistic(model, data.features);
    const rows = explainLogistic(model, data.features);
    rows.forEach((r, i) => {
      expect(r.logit).toBeCloseTo(logits[i]!, 12);
      expect(r.contributions.reduce((s, c) => s + c.contribution, r.intercept)).toBeCloseTo(r.logit, 12);
      const mags = r.contributions.map((c) => Math.abs(c.contribution));
      expect(mags).toEqual([...mags].sort((a, b) => b - a));
    });
    const first = rows[0]!; // row 0 has spend missing (i % 17 === 0)
    const spend = first.contributions.find((c) => c.column === 'spend')!;
    expect(spend).toMatchObject({ missing: true, value: 0, level: null });
    const names = coefficientNames(model);
    expect(spend.contribution).toBeCloseTo(model.coefficients[names.indexOf('spend=<missing>')]!, 14);
    const plan = first.contributions.find((c) => c.column === 'plan')!;
    const planColumn = data.features.columns[3]!;
    if (planColumn.kind !== 'categorical') throw new Error('plan is categorical');
    expect(plan.level).toBe(planColumn.levels[planColumn.codes[0]!]);
    expect(plan.contribution).toBeCloseTo(model.coefficients[names.indexOf(`plan=${plan.level}`)]!, 14);
    expect(explainLogistic(model, data.features, { top: 2 })[0]!.contributions).toHaveLength(2);
  });

  it('global importance ranks the drivers above the noise', () => {
    const imp = logisticImportance(model, data.features);
    expect(imp.map((c) => c.column)[0]).toBe('tenure');
    expect(imp.at(-1)!.column).toBe('noise');
  });
});

describe('model JSON', () => {
  const model = fitLogisticRegression(data, { penalty: 'elasticnet', l1Ratio: 0.3, C: 0.2, dropFirst: true });

  it('round-trips exactly', () => {
    const loaded = logisticModelFromJson(logisticModelToJson(model));
    expect(loaded).toEqual(model);
    expect(predictLogistic(loaded, data.features)).toEqual(predictLogistic(model, data.features));
    expect(logisticModelFromJson(JSON.parse(logisticModelToJson(model)))).toEqual(model);
  });

  it('rejects malformed models with the offending field', () => {
    const doc = (): Record<string, unknown> => JSON.parse(logisticModelToJson(model));
    const load = (d: unknown): unknown => logisticModelFromJson(JSON.stringify(d));
    expect(() => logisticModelFromJson('{')).toThrow(/not valid JSON/);
    expect(() => load({ ...doc(), version: 2 })).toThrow(/version 2 is not supported/);
    expect(() => load({ ...doc(), format: 'x' })).toThrow(/format must be/);
    expect(() => load({ ...doc(), coefficients: [1, 2] })).toThrow(/2 entries but the encoder defines/);
    expect(() => load({ ...doc(), intercept: null })).toThrow(/intercept must be a finite number/);
    const d = doc();
    (d.encoder as { columns: { sd?: number }[] }).columns[0]!.sd = -1;
    expect(() => load(d)).toThrow(/encoder.columns\[0\].sd must be positive/);
    expect(() => load({ ...doc(), penalty: 'l3' })).toThrow(/penalty must be/);
  });
});
