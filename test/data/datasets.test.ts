// Counts confirmed independently with wc/awk on the source files (see datasets/README.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importFile } from '../../src/data/import.js';
import type { Engine } from '../../src/engine/engine.js';
import { DATASETS, tempWorkspace } from '../helpers.js';

const CDNOW_SAMPLE_MAP = { customer_id: 1, date: 3, quantity: 4, amount: 5 };

describe('CDNOW sample (whitespace-separated, no header, CRLF)', () => {
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine;
  beforeAll(async () => {
    ws = await tempWorkspace();
    engine = ws.engine;
  });
  afterAll(() => ws.cleanup());

  it('imports all 6,919 rows, keeping the 19 duplicate lines, for 2,357 customers', async () => {
    const result = await importFile(engine, {
      table: 'transactions',
      file: join(DATASETS, 'CDNOW_sample.txt'),
      header: false,
      map: CDNOW_SAMPLE_MAP,
      dateFormat: 'YYYYMMDD',
    });
    expect(result.format).toBe('whitespace');
    expect(result.inserted).toBe(6919);
    expect(result.stubCustomers).toBe(2357);
    expect(result.zeroAmounts).toBe(8);
    const [r] = await engine.query(`SELECT count(*) AS n, count(DISTINCT customer_id) AS customers,
      count(DISTINCT (customer_id, CAST("date" AS DATE))) AS days, min("date")::DATE::VARCHAR AS first,
      max("date")::DATE::VARCHAR AS last, round(sum(amount), 2) AS total FROM transactions`);
    expect(r).toMatchObject({
      n: 6919,
      customers: 2357,
      days: 6696,
      first: '1997-01-01',
      last: '1998-06-30',
    });
    // 19 distinct lines occur more than once, 21 lines repeat an earlier one (checked with sort | uniq)
    const [d] = await engine.query(`SELECT count(*) FILTER (WHERE n > 1) AS lines, sum(n - 1) AS repeats
      FROM (SELECT count(*) AS n FROM transactions GROUP BY customer_id, "date", quantity, amount)`);
    expect(d).toEqual({ lines: 19, repeats: 21 });
    // leading zeros of ids are kept: they are text
    const [c] = await engine.query(`SELECT min(customer_id) AS id FROM customers`);
    expect(c?.id).toBe('00004');
  });

  it('adds nothing when the same file is imported again', async () => {
    const again = await importFile(engine, {
      table: 'transactions',
      file: join(DATASETS, 'CDNOW_sample.txt'),
      header: false,
      map: CDNOW_SAMPLE_MAP,
    });
    expect(again).toMatchObject({ inserted: 0, duplicates: 6919, stubCustomers: 0 });
    const [r] = await engine.query(`SELECT count(*) AS n FROM transactions`);
    expect(r?.n).toBe(6919);
  });
});

describe('CDNOW master (whitespace-separated with a header)', () => {
  it('maps the header automatically and loads 69,659 rows for 23,570 customers', async () => {
    const ws = await tempWorkspace();
    try {
      const result = await importFile(ws.engine, {
        table: 'transactions',
        file: join(DATASETS, 'CDNOW_master.txt'),
      });
      expect(result.mapping).toEqual({
        customer_id: 'customer_id',
        date: 'date',
        quantity: 'number_of_cds',
        amount: 'dollar_value',
      });
      expect(result).toMatchObject({ inserted: 69659, zeroAmounts: 80, stubCustomers: 23570 });
      const [r] = await ws.engine.query(`SELECT count(DISTINCT (customer_id, CAST("date" AS DATE))) AS days,
        count(DISTINCT customer_id) AS customers FROM transactions`);
      expect(r).toMatchObject({ days: 67591, customers: 23570 });
    } finally {
      await ws.cleanup();
    }
  });
});

describe('Telco customer churn (IBM sample)', () => {
  it('loads 7,043 customers with the other columns as attributes; 1,869 churned', async () => {
    const ws = await tempWorkspace();
    try {
      const file = join(DATASETS, 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
      const result = await importFile(ws.engine, { table: 'customers', file });
      expect(result.mapping).toEqual({ customer_id: 'customerID', gender: 'gender' });
      expect(result.attributeColumns).toHaveLength(19);
      expect(result.inserted).toBe(7043);
      const [r] = await ws.engine.query(`SELECT count(*) AS n,
        count(*) FILTER (WHERE attributes->>'Churn' = 'Yes') AS churned,
        count(*) FILTER (WHERE attributes->>'TotalCharges' IS NULL) AS blank_total,
        count(*) FILTER (WHERE gender = 'Female') AS female FROM customers`);
      expect(r).toMatchObject({ n: 7043, churned: 1869, blank_total: 11 });
      const again = await importFile(ws.engine, { table: 'customers', file });
      expect(again).toMatchObject({ inserted: 0, updated: 0, duplicates: 7043 });
    } finally {
      await ws.cleanup();
    }
  });
});
