import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../../../src/models/learn/table-from-records.js';

const header = ['id', 'plan', 'tenure', 'score', 'churn'];
const rows = [
  ['a', 'pro', '3', ' ', 'Yes'],
  ['b', 'basic', '', '1e2', 'No'],
  ['c', '', '12.5', '-0.5', 'No'],
  ['d', 'basic', '7', '2', ' Yes'],
];
const options = { idColumn: 'id', labelColumn: 'churn', positive: 'Yes' };

describe('tableFromRecords', () => {
  it('infers numeric and categorical columns, blanks missing', () => {
    const { ids, table } = tableFromRecords(header, rows, options);
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
    expect(Array.from(table.labels)).toEqual([1, 0, 0, 1]);
    const [plan, tenure, score] = table.features.columns;
    expect(plan).toMatchObject({ kind: 'categorical', name: 'plan', levels: ['basic', 'pro'] });
    if (plan!.kind === 'categorical') expect(Array.from(plan!.codes)).toEqual([1, 0, -1, 0]);
    expect(tenure!.kind).toBe('numeric');
    if (tenure!.kind === 'numeric') expect(Array.from(tenure!.values)).toEqual([3, NaN, 12.5, 7]);
    if (score!.kind === 'numeric') expect(Array.from(score!.values)).toEqual([NaN, 100, -0.5, 2]);
    expect(table.features.rows).toBe(4);
  });

  it('treats anything that is not a plain decimal as categorical', () => {
    const r = [
      ['a', '0x10', 'Yes'],
      ['b', '5', 'No'],
    ];
    const { table } = tableFromRecords(['id', 'v', 'churn'], r, options);
    expect(table.features.columns[0]!.kind).toBe('categorical');
  });

  it('excludes columns on request', () => {
    const { table } = tableFromRecords(header, rows, { ...options, exclude: ['score'] });
    expect(table.features.columns.map((c) => c.name)).toEqual(['plan', 'tenure']);
    expect(() => tableFromRecords(header, rows, { ...options, exclude: ['nope'] })).toThrow(/"nope"/);
  });

  it('reports clear errors', () => {
    expect(() => tableFromRecords(header, rows, { ...options, idColumn: 'customer' })).toThrow(
      /id column "customer"/,
    );
    expect(() => tableFromRecords(header, rows, { ...options, labelColumn: 'Churn' })).toThrow(
      /label column "Churn"/,
    );
    expect(() => tableFromRecords(header, rows, { ...options, positive: 'yes' })).toThrow(
      /no positive value "yes"/,
    );
    const dup = [...rows, ['b', 'pro', '1', '1', 'No']];
    expect(() => tableFromRecords(header, dup, options)).toThrow(/duplicate id "b" in rows 2 and 5/);
    const short = [...rows, ['e', 'pro']];
    expect(() => tableFromRecords(header, short, options)).toThrow(/row 5 has 2 fields/);
    const blankLabel = [...rows, ['e', 'pro', '1', '1', '']];
    expect(() => tableFromRecords(header, blankLabel, options)).toThrow(/row 5 has a blank label/);
    const huge = [...rows, ['e', 'pro', '1e999', '1', 'No']];
    expect(() => tableFromRecords(header, huge, options)).toThrow(/column "tenure" row 5/);
  });
});
