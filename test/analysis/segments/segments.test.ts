// Hand-built cases where every class is known in advance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abcClasses } from '../../../src/analysis/segments/abc.js';
import { frequencyAovQuadrants } from '../../../src/analysis/segments/frequency-aov.js';
import { quantile, summariseGroups } from '../../../src/analysis/segments/group-summary.js';
import { mostGrowable, profitTiers } from '../../../src/analysis/segments/profit-tiers.js';
import { telecomTiers } from '../../../src/analysis/segments/telecom-tiers.js';
import { valueQuadrants } from '../../../src/analysis/segments/value-quadrants.js';
import { valueSegmentation } from '../../../src/analysis/segments/value-segmentation.js';
import { importFile } from '../../../src/data/import.js';
import { tempWorkspace, writeText } from '../../helpers.js';

describe('abcClasses', () => {
  it('classes by the cumulative share where each customer starts; ties by id; non-positive values are C', () => {
    // total 100: E 50 (starts at 0 -> A), B 30 (starts 0.5 -> A), A 10 (0.8 -> B), C 5 (0.9 -> B), D 5 (0.95 -> C)
    const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
    const { classes, curve } = abcClasses(ids, [10, 30, 5, 5, 50, -3]);
    expect(classes).toEqual(['B', 'A', 'B', 'C', 'A', 'C']);
    expect(curve.at(-1)).toEqual({ customerShare: 1, valueShare: 1 });
    expect(curve).toHaveLength(100);
    expect(() => abcClasses(ids, [1, 1, 1, 1, 1, 1], { a: 0.9, b: 0.8 })).toThrow(RangeError);
  });
});

describe('profit tiers, value quadrants, telecom tiers, frequency x AOV', () => {
  it('profit tiers: top 20 % of the profitable are high, negatives are BZC', () => {
    const { tiers, highThreshold } = profitTiers([100, 50, 40, 30, 20, 10, 5, 1, 0, -5, -1], 0.2);
    // 8 profitable customers -> top ceil(1.6) = 2 are high: 100 and 50
    expect(highThreshold).toBe(50);
    expect(tiers).toEqual([
      'high',
      'high',
      'low',
      'low',
      'low',
      'low',
      'low',
      'low',
      'low',
      'negative',
      'negative',
    ]);
    expect(mostGrowable([10, 10, 10, 10, -1], [100, 11, 12, 13, 500], [10, 10, 10, 10, -1], 0.25)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('value quadrants at the thresholds (at the threshold counts as high)', () => {
    expect(valueQuadrants([1, 1, 5, 5, 3], [1, 5, 1, 5, 3], { current: 3, potential: 3 })).toEqual([
      'I lead',
      'II iron',
      'III silver',
      'IV gold',
      'IV gold',
    ]);
  });

  it('telecom tiers by amounts or quantiles; no revenue is low', () => {
    const { tiers } = telecomTiers([0, 10, 25, 45, 70, 100, 200], { amounts: [20, 40, 60, 90, 150] });
    expect(tiers).toEqual(['low', 'low', 'medium', 'high', 'silver', 'gold', 'platinum']);
    const q = telecomTiers(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(q.tiers.filter((t) => t === 'platinum')).toHaveLength(3);
    expect(() => telecomTiers([1], { amounts: [5, 4, 3, 2, 1] })).toThrow(RangeError);
  });

  it('frequency x AOV quadrants and "no purchases"', () => {
    expect(frequencyAovQuadrants([5, 5, 1, 1, 0], [50, 5, 50, 5, 0], { frequency: 3, aov: 20 })).toEqual([
      'high frequency, high order value',
      'high frequency, low order value',
      'low frequency, high order value',
      'low frequency, low order value',
      'no purchases',
    ]);
  });

  it('summaries and quantiles', () => {
    const s = summariseGroups(['x', 'y'], ['x', 'y', 'x'], [10, 20, 30], [1, 2, 3]);
    expect(s).toEqual([
      { group: 'x', customers: 2, revenue: 40, profit: 4, customerShare: 2 / 3, revenueShare: 40 / 60 },
      { group: 'y', customers: 1, revenue: 20, profit: 2, customerShare: 1 / 3, revenueShare: 20 / 60 },
    ]);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5); // R: quantile(1:4, 0.5, type = 7) = 2.5
  });
});

describe('valueSegmentation on a workspace', () => {
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    ws = await tempWorkspace();
    // as of 2025-06-30, window 365 days: A buys 4 times (cost recorded), B twice, C once (with a return), D
    // only before the window, E never
    const t = [
      'customer_id,date,amount,cost',
      'A,2025-06-01,100,60',
      'A,2025-05-01,100,60',
      'A,2025-04-01,100,60',
      'A,2025-03-01,100,60',
      'B,2025-06-20,50,10',
      'B,2025-01-10,50,10',
      'C,2025-02-01,80,',
      'C,2025-02-03,-30,',
      'D,2023-01-01,500,',
    ].join('\n');
    await importFile(ws.engine, { table: 'transactions', file: writeText(ws.dir, 't.csv', t + '\n') });
    await importFile(ws.engine, { table: 'customers', file: writeText(ws.dir, 'c.csv', 'customer_id\nE\n') });
  });
  afterAll(() => ws.cleanup());

  it('computes the measures in SQL and classes every customer', async () => {
    const abc = await valueSegmentation(ws.engine, 'abc', { asOf: '2025-06-30' });
    const c = abc.perCustomer;
    expect(c.customerIds).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(Array.from(c.measures.revenue!)).toEqual([400, 100, 50, 0, 0]);
    // total 550: A starts at 0 (A), B at 0.727 (A), C at 0.909 (B), D and E have nothing (C)
    expect(c.group).toEqual(['A', 'A', 'B', 'C', 'C']);
    const byProfit = await valueSegmentation(ws.engine, 'abc', { asOf: '2025-06-30', by: 'profit' });
    expect(Array.from(byProfit.perCustomer.measures.profit!)).toEqual([160, 80, 50, 0, 0]);
    const fa = await valueSegmentation(ws.engine, 'frequency-aov', { asOf: '2025-06-30' });
    // buyers' purchase days 4, 2, 2 -> median 2; order values 100, 50, 25 -> median 50
    expect(fa.details.thresholds).toEqual({ frequency: 2, aov: 50 });
    expect(fa.perCustomer.group).toEqual([
      'high frequency, high order value',
      'high frequency, high order value',
      'high frequency, low order value',
      'no purchases',
      'no purchases',
    ]);
    const telecom = await valueSegmentation(ws.engine, 'telecom', {
      asOf: '2025-06-30',
      telecomAmounts: [20, 40, 60, 90, 150],
    });
    // monthly revenue: A 400 / 4 months = 100 (gold), B 100 / 2 = 50 (high), C 50 / 1 = 50 (high)
    expect(telecom.perCustomer.group).toEqual(['gold', 'high', 'high', 'low', 'low']);
  });

  it('without a CLV model, potential value is the 90-day run rate, and says so', async () => {
    const v = await valueSegmentation(ws.engine, 'value', { asOf: '2025-06-30' });
    expect(String(v.details.potentialSource)).toContain('no CLV model fitted');
    // last 90 days (from 2025-04-02): A 200, B 50 -> x 365/90
    expect(Array.from(v.perCustomer.measures.potentialValue!)).toEqual(
      [200, 50, 0, 0, 0].map((x) => (x * 365) / 90),
    );
    const tiers = await valueSegmentation(ws.engine, 'tiers', { asOf: '2025-06-30' });
    expect(tiers.perCustomer.group).toEqual(['high', 'low', 'low', 'low', 'low']);
    expect(tiers.details.counts).toMatchObject({ MVC: 1, BZC: 0 });
  });
});
