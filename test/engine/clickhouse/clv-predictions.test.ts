/**
 * Stored CLV predictions: the same runs saved in DuckDB and on the two-shard ClickHouse cluster must give
 * the same pages (order, totals, search), the same histogram (bins and counts exactly, edges and sums
 * within 1e-9 relative) and the same run history (but for the save time). Data: a synthetic, skewed run
 * over the demo's customer ids (2,000 customers), then smaller runs replacing it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClvDistribution,
  ClvPredictionBatch,
  ClvPredictionSource,
} from '../../../src/engine/clv-prediction-types.js';
import type { Engine } from '../../../src/engine/engine.js';
import { clickhouse, closeTo, demoTwins, type Twins } from './twins.js';

const REL = 1e-9;

/** A run of `n` customers with lognormal-like CLV (a long right tail), a few ties and a few zeros. */
function run(ids: readonly string[], seed: number, source: Partial<ClvPredictionBatch['source']> = {}) {
  const n = ids.length;
  const u = (i: number, k: number) => {
    const x = Math.sin(i * 12.9898 + k * 78.233 + seed * 37.719) * 43758.5453;
    return x - Math.floor(x);
  };
  const col = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
  const clv = col((i) =>
    i % 50 === 0 ? 0 : i % 23 === 0 ? 100 : Math.exp(3 + 1.5 * Math.tan((u(i, 1) - 0.5) * 2)),
  );
  const batch: ClvPredictionBatch = {
    source: {
      model: 'bgnbd',
      fitId: 3,
      spendModel: 'gamma-gamma',
      spendFitId: null,
      timeUnit: 'week',
      calibrationEnd: '2025-06-30',
      horizon: 52,
      discountRate: 0.1,
      margin: 0.3,
      ...source,
    },
    customerIds: ids,
    x: col((i) => Math.floor(u(i, 2) * 20)),
    tx: col((i) => u(i, 3) * 80),
    T: col((i) => 80 + u(i, 4) * 20),
    probabilityAlive: col((i) => u(i, 5)),
    expectedTransactions: col((i) => u(i, 6) * 7),
    expectedSpend: col((i) => 10 + u(i, 7) * 90),
    clv,
  };
  return batch;
}

const withoutTime = (s: ClvPredictionSource | null) => (s ? { ...s, savedAt: '' } : s);

/** The differences between two distributions (empty: the same). */
function distributionDifferences(a: ClvDistribution | null, b: ClvDistribution | null): string[] {
  if (a === null || b === null) return a === b ? [] : ['null on one side'];
  const out: string[] = [];
  if (JSON.stringify(withoutTime(a.source)) !== JSON.stringify(withoutTime(b.source))) out.push('source');
  for (const k of Object.keys(a.totals) as (keyof ClvDistribution['totals'])[])
    if (!closeTo(a.totals[k], b.totals[k], REL)) out.push(`totals.${k}: ${a.totals[k]} vs ${b.totals[k]}`);
  if (a.totals.customers !== b.totals.customers) out.push('customers');
  if (a.histogram.length !== b.histogram.length)
    out.push(`histogram: ${a.histogram.length} vs ${b.histogram.length} bins`);
  a.histogram.forEach((bin, i) => {
    const other = b.histogram[i];
    if (!other) return;
    if (bin.customers !== other.customers)
      out.push(`bin ${i}: ${bin.customers} vs ${other.customers} customers`);
    for (const k of ['from', 'to', 'clv'] as const)
      if (!closeTo(bin[k], other[k], REL)) out.push(`bin ${i}.${k}: ${bin[k]} vs ${other[k]}`);
  });
  if (a.history.length !== b.history.length) out.push('history length');
  a.history.forEach((h, i) => {
    const o = b.history[i]!;
    if (JSON.stringify({ ...h, savedAt: '', clv: 0 }) !== JSON.stringify({ ...o, savedAt: '', clv: 0 }))
      out.push(`history ${i}`);
    if (!closeTo(h.clv, o.clv, REL)) out.push(`history ${i}.clv`);
  });
  return out;
}

describe.skipIf(!clickhouse)('stored CLV predictions on ClickHouse', () => {
  let t: Twins;
  let ids: string[] = [];
  beforeAll(async () => {
    t = await demoTwins('retain_test_clv_predictions');
    ids = (await t.duck.query(`SELECT customer_id FROM customers ORDER BY customer_id`)).map((r) =>
      String(r.customer_id),
    );
  }, 180_000);
  afterAll(async () => t?.close());

  const both = async <T>(work: (e: Engine) => Promise<T>) => Promise.all([work(t.duck), work(t.ch)]);

  const samePages = async (query: Parameters<Engine['clvPredictions']>[0]) => {
    const [d, c] = await both((e) => e.clvPredictions(query));
    expect({ ...c, source: withoutTime(c.source) }).toEqual({ ...d, source: withoutTime(d.source) });
    return d;
  };

  const sameDistribution = async (bins?: number) => {
    const [d, c] = await both((e) => e.clvDistribution(bins));
    expect(distributionDifferences(d, c)).toEqual([]);
    return d!;
  };

  it('has nothing before the first save', async () => {
    expect(await samePages({})).toEqual({ source: null, total: 0, predictions: [] });
    expect(await both((e) => e.clvDistribution())).toEqual([null, null]);
  });

  it('pages, searches and bins a saved run as DuckDB does', async () => {
    expect(ids.length).toBe(2000);
    await both((e) => e.saveClvPredictions(run(ids, 1)));
    const first = await samePages({});
    expect(first.total).toBe(2000);
    expect(first.predictions.length).toBe(50);
    await samePages({ limit: 200, offset: 1700 });
    await samePages({ limit: 0 });
    await samePages({ offset: 5000 });
    // the ties (clv 100 and 0) ordered by customer id
    const all = await samePages({ limit: 5000 });
    expect(all.predictions.filter((p) => p.clv === 100).length).toBeGreaterThan(50);
    const found = await samePages({ search: ' c00001 ' });
    expect(found.total).toBeGreaterThan(10);
    expect(found.total).toBeLessThan(2000);
    expect((await samePages({ search: 'no such id' })).total).toBe(0);
    // stored bit for bit
    const saved = run(ids, 1);
    const byId = new Map(ids.map((id, i) => [id, saved.clv[i]!]));
    const [, ch] = await both((e) => e.clvPredictions({ limit: 5000 }));
    expect(ch.predictions.every((p) => p.clv === byId.get(p.customerId))).toBe(true);

    const d = await sameDistribution();
    expect(d.histogram.length).toBe(21);
    expect(d.histogram.filter((b) => b.customers > 0).length).toBeGreaterThan(5);
    expect(d.histogram.reduce((s, b) => s + b.customers, 0)).toBe(2000);
    for (const bins of [1, 7, 200]) await sameDistribution(bins);
  }, 60_000);

  it('replaces the run and keeps every run’s totals', async () => {
    await both((e) => e.saveClvPredictions(run(ids.slice(0, 301), 2, { fitId: null, horizon: 26 })));
    expect((await samePages({ limit: 10 })).total).toBe(301);
    const d = await sameDistribution(10);
    expect(d.history.map((h) => [h.customers, h.horizon])).toEqual([
      [2000, 52],
      [301, 26],
    ]);
    // every CLV equal: one bin
    const flat = run(ids.slice(0, 40), 3);
    await both((e) => e.saveClvPredictions({ ...flat, clv: new Float64Array(40).fill(12.5) }));
    const one = await sameDistribution();
    expect(one.histogram).toEqual([{ from: 12.5, to: 12.5, customers: 40, clv: 500 }]);
    // an empty run
    await both((e) => e.saveClvPredictions(run([], 4)));
    const empty = await sameDistribution();
    expect(empty.totals.customers).toBe(0);
    expect(empty.histogram).toEqual([]);
    expect(empty.history.length).toBe(4);
    expect((await samePages({})).total).toBe(0);
    await expect(t.ch.clvDistribution(0)).rejects.toThrow(/--bins/);
  }, 60_000);
});
