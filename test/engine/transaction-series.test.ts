// Repeat purchases per period and customers by first-purchase day, on a small hand-counted example.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/data/import.js';
import { UserError } from '../../src/util/errors.js';
import { tempWorkspace, writeText } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  const file = writeText(
    ws.dir,
    't.csv',
    [
      'customer_id,date,amount',
      'A,2024-01-01,5', // first purchase
      'A,2024-01-01,6', // same day: merged into the first
      'A,2024-01-03,7', // repeat, week -1
      'A,2024-01-20,8', // holdout, week 1
      'B,2024-01-10,5',
      'B,2024-01-30,5', // holdout, the cut last week 3
      'C,2024-01-16,5', // first purchase after the calibration end: not in the series
      'C,2024-01-20,5',
      'D,2024-01-14,5', // first purchase on the calibration end (age 0)
      'D,2024-01-15,5', // holdout, week 1
      'D,2024-02-15,5', // after the holdout end
    ].join('\n') + '\n',
  );
  await importFile(ws.engine, { table: 'transactions', file });
});
afterAll(() => ws.cleanup());

describe('transactionSeries (DuckDB)', () => {
  it('counts merged repeat purchase days per week, anchored at the calibration end', async () => {
    const s = await ws.engine.transactionSeries({ calibrationEnd: '2024-01-14', holdoutEnd: '2024-01-31' });
    expect(s.timeUnit).toBe('week');
    expect(Array.from(s.periods.k)).toEqual([-1, 0, 1, 2, 3]);
    expect(s.periods.start).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29']);
    expect(s.periods.end).toEqual(['2024-01-07', '2024-01-14', '2024-01-21', '2024-01-28', '2024-01-31']);
    expect(Array.from(s.periods.endTime)).toEqual([-1, 0, 1, 2, 17 / 7]);
    expect(Array.from(s.periods.repeatTransactions)).toEqual([1, 0, 2, 0, 1]);
    expect(s.cohorts.firstPurchase).toEqual(['2024-01-01', '2024-01-10', '2024-01-14']);
    expect(Array.from(s.cohorts.age)).toEqual([13 / 7, 4 / 7, 0]);
    expect(Array.from(s.cohorts.customers)).toEqual([1, 1, 1]);
  });

  it('agrees with the customer summary in every unit', async () => {
    for (const timeUnit of ['day', 'week', 'month'] as const) {
      const options = { calibrationEnd: '2024-01-14', holdoutEnd: '2024-01-31', timeUnit };
      const s = await ws.engine.transactionSeries(options);
      const c = await ws.engine.customerSummary(options);
      const total = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0);
      expect(total(s.periods.repeatTransactions)).toBe(total(c.x) + total(c.holdoutX!));
      const calibration = Array.from(s.periods.repeatTransactions).filter((_, j) => s.periods.k[j]! <= 0);
      expect(total(calibration)).toBe(total(c.x));
      expect(total(s.cohorts.customers)).toBe(c.customerIds.length);
      expect(s.periods.endTime.at(-1)).toBeCloseTo(c.holdoutLength!, 12);
    }
  });

  it('stops at the calibration end without a holdout', async () => {
    const s = await ws.engine.transactionSeries({ calibrationEnd: '2024-01-14' });
    expect(s.holdoutEnd).toBeNull();
    expect(Array.from(s.periods.repeatTransactions)).toEqual([1, 0]);
  });

  it('rejects bad periods', async () => {
    await expect(
      ws.engine.transactionSeries({ calibrationEnd: '2024-01-14', holdoutEnd: '2024-01-14' }),
    ).rejects.toThrow(UserError);
    await expect(ws.engine.transactionSeries({ calibrationEnd: '2023-12-31' })).rejects.toThrow(
      /no customer made a first purchase/,
    );
    await expect(ws.engine.transactionSeries({ calibrationEnd: '14/01/2024' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
