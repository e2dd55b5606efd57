import { describe, expect, it } from 'vitest';
import { stratifiedKFold, stratifiedSplit } from '../../../src/models/learn/split.js';

const labels = Uint8Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 26 positives

describe('stratifiedSplit', () => {
  it('keeps the class balance, covers every row once and is reproducible', () => {
    const { train, test } = stratifiedSplit(labels, { testFraction: 0.3, seed: 9 });
    expect(test.length).toBe(Math.round(26 * 0.3) + Math.round(77 * 0.3));
    expect(test.filter((i) => labels[i] === 1).length).toBe(8);
    expect(new Set([...train, ...test]).size).toBe(103);
    expect(Array.from(test)).toEqual([...test].sort((a, b) => a - b));
    expect(stratifiedSplit(labels, { testFraction: 0.3, seed: 9 }).test).toEqual(test);
    expect(stratifiedSplit(labels, { testFraction: 0.3, seed: 10 }).test).not.toEqual(test);
  });

  it('validates its input', () => {
    expect(() => stratifiedSplit(labels, { testFraction: 1, seed: 1 })).toThrow(/testFraction/);
    expect(() => stratifiedSplit([0, 2], { testFraction: 0.5, seed: 1 })).toThrow(/label 2/);
  });
});

describe('stratifiedKFold', () => {
  it('puts every row in exactly one test fold, with balanced sizes and class shares', () => {
    const folds = stratifiedKFold(labels, { folds: 5, seed: 3 });
    const seen = new Int32Array(labels.length);
    for (const f of folds) {
      for (const i of f.test) seen[i]!++;
      expect(f.train.length + f.test.length).toBe(labels.length);
      expect([20, 21]).toContain(f.test.length);
      const pos = f.test.filter((i) => labels[i] === 1).length;
      expect(pos === 5 || pos === 6).toBe(true);
      const inTest = new Set(f.test);
      expect(f.train.some((i) => inTest.has(i))).toBe(false);
    }
    expect(seen.every((c) => c === 1)).toBe(true);
    expect(() => stratifiedKFold(labels, { folds: 1, seed: 3 })).toThrow(/folds/);
  });
});

describe('splits at a million rows', () => {
  it('handle more rows than a call can take arguments (no spread of row lists)', () => {
    const labels = new Uint8Array(1_000_000);
    for (let i = 0; i < labels.length; i += 20) labels[i] = 1;
    const { train, test } = stratifiedSplit(labels, { testFraction: 0.3, seed: 3 });
    expect(train.length + test.length).toBe(1_000_000);
    expect(test.length).toBe(300_000);
  });
});
