import { describe, expect, it } from 'vitest';
import { encodeTable, encodedFeatures, fitEncoder } from '../../../src/models/learn/encoder.js';
import type { FeatureTable } from '../../../src/models/learn/feature-table.js';

const train: FeatureTable = {
  rows: 4,
  columns: [
    { kind: 'numeric', name: 'x', values: Float64Array.of(1, 3, NaN, 5) },
    { kind: 'numeric', name: 'const', values: Float64Array.of(2, 2, 2, 2) },
    {
      kind: 'categorical',
      name: 'plan',
      levels: ['basic', 'pro', 'unused'],
      codes: Int32Array.of(0, 1, 1, -1),
    },
  ],
};

describe('encoder', () => {
  it('standardises, imputes with an indicator, one-hot encodes the seen levels', () => {
    const enc = fitEncoder(train);
    expect(encodedFeatures(enc)).toEqual([
      { column: 'x', kind: 'value', level: null },
      { column: 'x', kind: 'missing', level: null },
      { column: 'const', kind: 'value', level: null },
      { column: 'plan', kind: 'level', level: 'basic' },
      { column: 'plan', kind: 'level', level: 'pro' },
    ]);
    const x = encodeTable(enc, train);
    const sd = Math.sqrt(8 / 3); // population sd of 1, 3, 5
    expect(Array.from(x.data.slice(0, 5))).toEqual([-2 / sd, 0, 0, 1, 0]);
    expect(Array.from(x.data.slice(10, 15))).toEqual([0, 1, 0, 0, 1]); // missing x → mean, indicator 1
    expect(Array.from(x.data.slice(15, 20))).toEqual([2 / sd, 0, 0, 0, 0]); // missing plan → all zeros
  });

  it('matches scoring tables by column name and level text; unseen levels encode as zeros', () => {
    const enc = fitEncoder(train, { dropFirst: true });
    expect(encodedFeatures(enc).map((f) => f.level)).toEqual([null, null, null, 'pro']);
    const score: FeatureTable = {
      rows: 2,
      columns: [
        { kind: 'categorical', name: 'plan', levels: ['enterprise', 'pro'], codes: Int32Array.of(1, 0) },
        { kind: 'numeric', name: 'const', values: Float64Array.of(2, 3) },
        { kind: 'numeric', name: 'x', values: Float64Array.of(3, NaN) },
      ],
    };
    const x = encodeTable(enc, score);
    expect(Array.from(x.data)).toEqual([0, 0, 0, 1, 0, 1, 1, 0]);
    expect(() => encodeTable(enc, { rows: 0, columns: [] })).toThrow(/"x" is missing/);
    const wrongKind: FeatureTable = {
      rows: 0,
      columns: [
        { kind: 'categorical', name: 'x', levels: [], codes: new Int32Array(0) },
        ...train.columns.slice(1),
      ],
    };
    expect(() => encodeTable(enc, wrongKind)).toThrow(/"x" is categorical here but was numeric/);
  });

  it('round-trips through JSON and drops all-missing numeric columns', () => {
    const enc = fitEncoder({
      rows: 4,
      columns: [...train.columns, { kind: 'numeric', name: 'empty', values: new Float64Array(4).fill(NaN) }],
    });
    expect(enc.columns.map((c) => c.name)).not.toContain('empty');
    expect(JSON.parse(JSON.stringify(enc))).toEqual(enc);
  });
});
