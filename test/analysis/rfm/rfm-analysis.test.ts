// A hand-built data set where every score and segment is known in advance (worked out below by hand).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { rfmAnalysis } from '../../../src/analysis/rfm/rfm-analysis.js';
import { checkSegmentMap, DEFAULT_SEGMENT_MAP, segmentOf } from '../../../src/analysis/rfm/segment-map.js';
import { UserError } from '../../../src/util/errors.js';
import { tempWorkspace, writeText } from '../../helpers.js';

// as of 2025-01-31. Customer k (1..10): last purchase 110 - 10k days before (C01 100 days ... C10 10 days),
// purchase days F = [1,1,1,1,2,2,3,3,3,4], net spend M below (C03 has a return bigger than its purchase).
const F = [1, 1, 1, 1, 2, 2, 3, 3, 3, 4];
const M = [10, 20, -5, 40, 50, 60, 70, 80, 90, 100];
const day = (daysBefore: number) =>
  new Date(Date.UTC(2025, 0, 31) - daysBefore * 86_400_000).toISOString().slice(0, 10);

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  const lines = ['customer_id,date,amount'];
  for (let k = 1; k <= 10; k++) {
    const id = `C${String(k).padStart(2, '0')}`;
    const last = 110 - 10 * k;
    const f = F[k - 1]!;
    // f purchase days ending at `last`; the whole spend on the last day, 0 on earlier days
    for (let j = f - 1; j >= 0; j--) lines.push(`${id},${day(last + 3 * j)},${j === 0 ? M[k - 1] : 0}`);
  }
  lines.push('C03,' + day(80) + ',5'); // a second row on C03's day: same purchase day, net -5 + 5 = 0 ...
  lines.push('C03,' + day(80) + ',-5'); // ... and back to -5
  lines.push('C12,2025-03-01,30'); // first purchase after the as-of date
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(ws.dir, 't.csv', lines.join('\n') + '\n'),
    allowFuture: true,
  });
  await importFile(ws.engine, { table: 'customers', file: writeText(ws.dir, 'c.csv', 'customer_id\nC11\n') });
});
afterAll(() => ws.cleanup());

describe('rfmAnalysis', () => {
  it('scores by quantile bins with ties sharing the score of their first rank', async () => {
    const r = await rfmAnalysis(ws.engine, { asOf: '2025-01-31', perCustomer: true });
    expect(r.customers).toBe(10);
    expect(r.withoutPurchases).toBe(2); // C11 never bought, C12 only after the as-of date
    const c = r.perCustomer!;
    expect(c.customerIds).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10']);
    expect(Array.from(c.recency)).toEqual([100, 90, 80, 70, 60, 50, 40, 30, 20, 10]);
    expect(Array.from(c.frequency)).toEqual(F);
    expect(Array.from(c.monetary)).toEqual(M);
    // n = 10, 5 bins: score = 1 + floor(5 (rank - 1) / 10); distinct recencies: ranks 1..10 from the oldest
    expect(Array.from(c.rScore)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // F ties: value 1 has rank 1 -> 1; value 2 rank 5 -> 3; value 3 rank 7 -> 4; value 4 rank 10 -> 5
    expect(Array.from(c.fScore)).toEqual([1, 1, 1, 1, 3, 3, 4, 4, 4, 5]);
    // M ranks: -5 (C03) 1, 10 2, 20 3, 40 4, 50 5, ... 100 10
    expect(Array.from(c.mScore)).toEqual([1, 2, 1, 2, 3, 3, 4, 4, 5, 5]);
    // FM = round half up of (F + M) / 2; segments from the default map:
    // C01 R1 FM1 lost; C02 R1 FM2 (1.5) lost; C03 R2 FM1 hibernating; C04 R2 FM2 (1.5) hibernating;
    // C05 R3 FM3 loyal; C06 R3 FM3 loyal; C07 R4 FM4 champions; C08 R4 FM4 champions; C09 R5 FM5 (4.5) champions;
    // C10 R5 FM5 champions
    expect(c.segment).toEqual([
      'lost',
      'lost',
      'hibernating',
      'hibernating',
      'loyal',
      'loyal',
      'champions',
      'champions',
      'champions',
      'champions',
    ]);
  });

  it('summarises segments with customers, revenue and shares', async () => {
    const r = await rfmAnalysis(ws.engine, { asOf: '2025-01-31' });
    expect(r.perCustomer).toBeNull();
    const champions = r.segments.find((s) => s.segment === 'champions')!;
    expect(champions).toMatchObject({ customers: 4, revenue: 340, customerShare: 0.4 });
    expect(champions.revenueShare).toBeCloseTo(340 / 515, 12);
    expect(r.segments.reduce((a, s) => a + s.customers, 0)).toBe(10);
  });

  it('respects the as-of date: later purchases are invisible', async () => {
    const r = await rfmAnalysis(ws.engine, { asOf: '2024-12-01', perCustomer: true });
    // on 2024-12-01 only C01 (2024-10-23), C02 (11-02), C03 (11-12), C04 (11-22) and C05 (first of its two
    // purchase days, 11-29) had bought
    expect(r.perCustomer!.customerIds).toEqual(['C01', 'C02', 'C03', 'C04', 'C05']);
    expect(Array.from(r.perCustomer!.recency)).toEqual([39, 29, 19, 9, 2]);
    expect(Array.from(r.perCustomer!.frequency)).toEqual([1, 1, 1, 1, 1]);
  });

  it('other bin counts and a custom segment map', async () => {
    const r = await rfmAnalysis(ws.engine, { asOf: '2025-01-31', bins: 2, perCustomer: true });
    expect(Array.from(r.perCustomer!.rScore)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    const everyone = checkSegmentMap([{ segment: 'everyone', r: [1, 5], fm: [1, 5] }], 'test');
    const one = await rfmAnalysis(ws.engine, { asOf: '2025-01-31', segmentMap: everyone });
    expect(one.segments).toHaveLength(1);
    expect(one.segments[0]).toMatchObject({ segment: 'everyone', customers: 10, revenue: 515 });
  });

  it('the default map covers all 25 cells; bad maps are rejected with the reason', () => {
    expect(checkSegmentMap(DEFAULT_SEGMENT_MAP, 'default')).toHaveLength(11);
    expect(segmentOf(DEFAULT_SEGMENT_MAP, 5, 1)).toBe('new');
    expect(segmentOf(DEFAULT_SEGMENT_MAP, 1, 5)).toBe("can't lose them");
    expect(() => checkSegmentMap([{ segment: 'a', r: [1, 5], fm: [1, 4] }], 'm.json')).toThrow(
      /no rule covers R=1, FM=5/,
    );
    expect(() => checkSegmentMap([{ segment: 'a', r: [0, 5], fm: [1, 5] }], 'm.json')).toThrow(UserError);
  });

  it('rejects bad options', async () => {
    await expect(rfmAnalysis(ws.engine, { bins: 11 })).rejects.toThrow(/--bins/);
    await expect(rfmAnalysis(ws.engine, { asOf: '31/01/2025' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
