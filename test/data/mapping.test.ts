import { describe, expect, it } from 'vitest';
import { parseMapOption, resolveMapping } from '../../src/data/mapping.js';
import { TABLE_SPECS } from '../../src/data/tables.js';

describe('parseMapOption', () => {
  it('reads names and 1-based positions, comma-separated and repeated', () => {
    expect(parseMapOption(['customer_id=1,date=3', 'amount=Dollar Value'])).toEqual({
      customer_id: 1,
      date: 3,
      amount: 'Dollar Value',
    });
  });
  it('rejects entries without =', () => {
    expect(() => parseMapOption(['customer_id'])).toThrow(/expected field=column/);
  });
});

describe('resolveMapping', () => {
  const spec = TABLE_SPECS.transactions;
  it('matches header names and aliases ignoring case, spaces and underscores', () => {
    const m = resolveMapping('f', spec, ['Customer ID', 'Order-Date', 'Dollar_Value', 'extra'], {}, true);
    expect(m.fieldColumns).toEqual({ customer_id: 0, date: 1, amount: 2 });
    expect(m.ignoredColumns).toEqual(['extra']);
  });
  it('explicit mappings win and take their column out of auto matching', () => {
    const m = resolveMapping('f', spec, ['amount', 'price', 'customer', 'date'], { amount: 'price' }, true);
    expect(m.fieldColumns).toMatchObject({ amount: 1, customer_id: 2, date: 3 });
    expect(m.ignoredColumns).toEqual(['amount']);
  });
  it('names the missing required fields', () => {
    expect(() => resolveMapping('f.csv', spec, ['customer_id', 'when'], {}, true)).toThrow(
      /f\.csv: no column for required field\(s\) date, amount/,
    );
  });
  it('keeps extra customer columns as attributes', () => {
    const m = resolveMapping('f', TABLE_SPECS.customers, ['customerID', 'tenure', 'Churn'], {}, true);
    expect(m).toEqual({ fieldColumns: { customer_id: 0 }, attributeColumns: [1, 2], ignoredColumns: [] });
  });
});
