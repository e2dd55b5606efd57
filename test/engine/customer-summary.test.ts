// The published CDNOW summary (datasets/cdnow_customers_summary_with_transactions.csv, the input of the
// published BG/NBD, Pareto/NBD and Gamma-Gamma fits) must come out exactly from the raw transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../../src/data/import.js';
import { importCdnowSample, DATASETS, tempWorkspace, writeText } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  // column 2 is the sample's own customer id (1..2357), the id the published summary uses
  await importCdnowSample(ws.engine);
});
afterAll(() => ws.cleanup());

describe('customerSummary (DuckDB)', () => {
  it('reproduces the published CDNOW calibration summary for all 2,357 customers', async () => {
    const published = readFileSync(join(DATASETS, 'cdnow_customers_summary_with_transactions.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(',').map(Number));
    const s = await ws.engine.customerSummary({ calibrationEnd: '1997-09-30', timeUnit: 'week' });
    expect(s.customerIds).toHaveLength(2357);
    const index = new Map(s.customerIds.map((id, i) => [Number(id), i]));
    let mismatches = 0;
    for (const [id, x, tx, T, zbar] of published) {
      const i = index.get(id!)!;
      // the published file rounds t_x and T to 2 decimals (weeks) and zbar to cents
      const ok =
        s.x[i] === x &&
        Math.abs(s.tx[i]! - tx!) < 0.005 + 1e-9 &&
        Math.abs(s.T[i]! - T!) < 0.005 + 1e-9 &&
        Math.abs(s.monetary[i]! - zbar!) < 0.005 + 1e-9;
      if (!ok) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(s.x.filter((v) => v > 0).length).toBe(946);
  });

  it('computes holdout actuals and lengths in the chosen unit', async () => {
    const s = await ws.engine.customerSummary({
      calibrationEnd: '1997-09-30',
      holdoutEnd: '1998-06-30',
      timeUnit: 'week',
    });
    expect(s.holdoutLength).toBeCloseTo(273 / 7, 10);
    const [r] = await ws.engine.query(`SELECT count(DISTINCT (customer_id, CAST("date" AS DATE))) AS n
      FROM transactions WHERE "date" >= DATE '1997-10-01'`);
    expect(s.holdoutX!.reduce((a, b) => a + b, 0)).toBe(r?.n);
    const days = await ws.engine.customerSummary({ calibrationEnd: '1997-09-30', timeUnit: 'day' });
    const i = days.customerIds.indexOf('0001');
    expect(days.T[i]).toBe(272); // first purchase 1997-01-01
  });

  it('merges purchases within a week when asked', async () => {
    const dir = ws.dir;
    const file = writeText(
      dir,
      'w.csv',
      'customer_id,date,amount\nA,2024-01-01,5\nA,2024-01-03,5\nA,2024-01-09,7\n',
    );
    await importFile(ws.engine, { table: 'transactions', file });
    const byDay = await ws.engine.customerSummary({ calibrationEnd: '2024-01-31', timeUnit: 'day' });
    const byWeek = await ws.engine.customerSummary({ calibrationEnd: '2024-01-31', mergePeriod: 'week' });
    const a = (s: typeof byDay) => s.customerIds.indexOf('A');
    expect([byDay.x[a(byDay)], byDay.monetary[a(byDay)]]).toEqual([2, 6]);
    expect([byWeek.x[a(byWeek)], byWeek.monetary[a(byWeek)]]).toEqual([1, 7]);
  });

  it('rejects bad dates', async () => {
    await expect(ws.engine.customerSummary({ calibrationEnd: '30/09/1997' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
