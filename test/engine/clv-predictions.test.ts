/**
 * Stored CLV predictions in DuckDB: paging, search, totals and the histogram computed in SQL, checked
 * against the same numbers computed here in plain JavaScript from the rows that were saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClvPredictionBatch } from '../../src/engine/clv-prediction-types.js';
import type { Engine } from '../../src/engine/engine.js';
import { Random } from '../../src/models/random.js';
import { tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;

const N = 5000;

/** Skewed CLV like real customer bases: most small, a long tail. */
function batch(seed: number, model = 'bgnbd'): ClvPredictionBatch {
  const random = new Random(seed);
  const col = (f: (i: number) => number) => Float64Array.from({ length: N }, (_, i) => f(i));
  const clv = col(() => Math.exp(3 + 1.5 * random.normal()));
  return {
    source: {
      model,
      fitId: 3,
      spendModel: 'gg',
      spendFitId: 4,
      timeUnit: 'week',
      calibrationEnd: '2025-12-31',
      horizon: 52,
      discountRate: 0.1,
      margin: 0.5,
    },
    customerIds: Array.from({ length: N }, (_, i) => `C${String(i).padStart(6, '0')}`),
    x: col((i) => i % 9),
    tx: col((i) => i % 40),
    T: col(() => 52),
    probabilityAlive: col(() => random.uniform()),
    expectedTransactions: col(() => 10 * random.uniform()),
    expectedSpend: col(() => 50 + 10 * random.uniform()),
    clv,
  };
}

/** Linear interpolation between order statistics (DuckDB's quantile_cont). */
function quantileCont(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

beforeAll(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
});
afterAll(async () => ws?.cleanup());

describe('stored CLV predictions (DuckDB)', () => {
  it('has nothing before a save', async () => {
    expect(await engine.clvDistribution()).toBeNull();
    expect(await engine.clvPredictions({})).toEqual({ source: null, total: 0, predictions: [] });
  });

  it('computes totals and the histogram as plain JavaScript does', async () => {
    const b = batch(7);
    await engine.saveClvPredictions(b);
    const d = (await engine.clvDistribution())!;
    const clv = [...b.clv];
    const sorted = [...clv].sort((x, y) => x - y);
    const sum = clv.reduce((a, v) => a + v, 0);
    expect(d.totals.customers).toBe(N);
    close(d.totals.clv / sum, 1);
    close(d.totals.mean / (sum / N), 1);
    close(d.totals.median, quantileCont(sorted, 0.5));
    close(d.totals.expectedTransactions / b.expectedTransactions.reduce((a, v) => a + v, 0), 1);
    close(d.totals.shareAlive, b.probabilityAlive.reduce((a, v) => a + v, 0) / N);
    expect(d.source).toMatchObject({ ...b.source });

    // 20 equal bins from the minimum to the 99th percentile, then the top 1 %
    const lo = sorted[0]!;
    const p99 = quantileCont(sorted, 0.99);
    const width = (p99 - lo) / 20;
    expect(d.histogram).toHaveLength(21);
    const counts = new Array<number>(21).fill(0);
    for (const v of clv) counts[Math.min(20, Math.floor((v - lo) / width))]!++;
    expect(d.histogram.map((h) => h.customers)).toEqual(counts);
    close(d.histogram[0]!.from, lo);
    close(d.histogram[19]!.to, p99);
    close(d.histogram[20]!.from, p99);
    close(d.histogram[20]!.to, sorted.at(-1)!);
    close(d.histogram.reduce((a, h) => a + h.clv, 0) / sum, 1);
    expect(counts[20]).toBe(clv.filter((v) => v >= p99).length);

    const fewer = (await engine.clvDistribution(5))!;
    expect(fewer.histogram).toHaveLength(6);
    expect(fewer.histogram.reduce((a, h) => a + h.customers, 0)).toBe(N);
    await expect(engine.clvDistribution(0)).rejects.toThrow(/--bins/);
  });

  it('pages highest CLV first and searches customer ids', async () => {
    const b = batch(7);
    const order = [...b.clv.keys()].sort((i, j) => b.clv[j]! - b.clv[i]!);
    const first = await engine.clvPredictions({ limit: 10 });
    expect(first.total).toBe(N);
    expect(first.predictions.map((p) => p.customerId)).toEqual(
      order.slice(0, 10).map((i) => b.customerIds[i]),
    );
    const i0 = order[0]!;
    expect(first.predictions[0]).toEqual({
      customerId: b.customerIds[i0],
      x: b.x[i0],
      tx: b.tx[i0],
      T: b.T[i0],
      probabilityAlive: b.probabilityAlive[i0],
      expectedTransactions: b.expectedTransactions[i0],
      expectedSpend: b.expectedSpend[i0],
      clv: b.clv[i0],
    });
    const third = await engine.clvPredictions({ limit: 5, offset: 20 });
    expect(third.predictions.map((p) => p.customerId)).toEqual(
      order.slice(20, 25).map((i) => b.customerIds[i]),
    );
    const found = await engine.clvPredictions({ search: 'c00012', limit: 500 });
    const expected = b.customerIds.filter((id) => id.toLowerCase().includes('c00012'));
    expect(found.total).toBe(expected.length);
    expect(found.predictions.map((p) => p.customerId).sort()).toEqual(expected.sort());
    await expect(engine.clvPredictions({ limit: -1 })).rejects.toThrow(/--limit/);
  });

  it('replaces the rows on the next save and keeps the totals of every run', async () => {
    const second = batch(8, 'pnbd');
    await engine.saveClvPredictions(second);
    const d = (await engine.clvDistribution())!;
    expect(d.source.model).toBe('pnbd');
    expect(d.totals.customers).toBe(N);
    expect(d.history.map((r) => r.model)).toEqual(['bgnbd', 'pnbd']);
    close(d.history[1]!.clv / second.clv.reduce((a, v) => a + v, 0), 1);
    close(d.history[1]!.clv, d.totals.clv);
  });

  it('clearData removes them', async () => {
    await engine.clearData();
    expect(await engine.clvDistribution()).toBeNull();
  });
});
