/**
 * Churn features, the churn-rate history and stored churn scores: the same calls on DuckDB and on the
 * two-shard ClickHouse cluster with the same data must agree. Counts, ids, categories and labels exactly;
 * numeric features within 1e-9 relative (sums add up in another order; NaN = missing must match NaN).
 * Data: the demo (2,000 customers, subscriptions: the `subscriptions` population) and CDNOW (no
 * subscriptions: the `transactions` population).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChurnFeatureColumns, ChurnFeatureOptions } from '../../../src/engine/churn-types.js';
import type { Engine } from '../../../src/engine/engine.js';
import { featureTableOf } from '../../../src/analysis/churn/workspace-table.js';
import { trainChurn } from '../../../src/analysis/churn/train-churn.js';
import { importCdnowSample } from '../../helpers.js';
import {
  cdnowTwins,
  clickhouse,
  closeTo,
  demoTwins,
  dropDatabase,
  openClickHouse,
  type Twins,
} from './twins.js';

const REL = 1e-9;

/** Where two feature tables differ (empty: equal), so that a failure says which column and row. */
function featureDifferences(a: ChurnFeatureColumns, b: ChurnFeatureColumns): string[] {
  const out: string[] = [];
  for (const k of ['asOf', 'horizonDays', 'population', 'dataEnd'] as const)
    if (a[k] !== b[k]) out.push(`${k}: ${a[k]} vs ${b[k]}`);
  if (a.customerIds.join('\n') !== b.customerIds.join('\n')) out.push('customer ids differ');
  if (a.numeric.map((c) => c.name).join() !== b.numeric.map((c) => c.name).join())
    out.push(
      `numeric names: ${a.numeric.map((c) => c.name).join()} vs ${b.numeric.map((c) => c.name).join()}`,
    );
  if (a.categorical.map((c) => c.name).join() !== b.categorical.map((c) => c.name).join())
    out.push('categorical names differ');
  if (out.length > 0) return out;
  a.numeric.forEach((col, j) => {
    const other = b.numeric[j]!.values;
    let bad = 0;
    let first = -1;
    col.values.forEach((v, i) => {
      const w = other[i]!;
      const same = Number.isNaN(v) ? Number.isNaN(w) : !Number.isNaN(w) && closeTo(v, w, REL);
      if (!same) {
        bad++;
        if (first < 0) first = i;
      }
    });
    if (bad > 0)
      out.push(
        `${col.name}: ${bad} rows differ, e.g. ${a.customerIds[first]}: ${col.values[first]} vs ${other[first]}`,
      );
  });
  a.categorical.forEach((col, j) => {
    const bad = col.values.filter((v, i) => v !== b.categorical[j]!.values[i]).length;
    if (bad > 0) out.push(`${col.name}: ${bad} rows differ`);
  });
  if ((a.labels === null) !== (b.labels === null)) out.push('labels: null on one side');
  else if (a.labels && b.labels && a.labels.some((v, i) => v !== b.labels![i])) out.push('labels differ');
  return out;
}

async function sameFeatures(t: Twins, options: ChurnFeatureOptions): Promise<ChurnFeatureColumns> {
  const [d, c] = await Promise.all([t.duck.churnFeatures(options), t.ch.churnFeatures(options)]);
  expect(featureDifferences(d, c)).toEqual([]);
  return d;
}

/** Not a trivial table: many customers, both label values, values that vary and some that are missing. */
function expectNonTrivial(f: ChurnFeatureColumns, minRows: number): void {
  expect(f.customerIds.length).toBeGreaterThanOrEqual(minRows);
  if (f.labels) {
    const churned = f.labels.reduce((s, v) => s + v, 0);
    expect(churned).toBeGreaterThan(0);
    expect(churned).toBeLessThan(f.labels.length);
  }
  const varying = f.numeric.filter((c) => new Set(c.values).size > 2);
  expect(varying.length).toBeGreaterThan(f.numeric.length / 2);
}

describe.skipIf(!clickhouse)('churn features on ClickHouse (demo: subscriptions)', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await demoTwins('retain_test_churn');
  }, 180_000);
  afterAll(async () => t?.close());

  it('builds the same features and labels for several days and horizons', async () => {
    const latest = await sameFeatures(t, { horizonDays: 90 });
    expect(latest.population).toBe('subscriptions');
    expectNonTrivial(latest, 500);
    expect(latest.numeric.some((c) => c.name.startsWith('usage_'))).toBe(true);
    expect(latest.numeric.some((c) => c.name === 'fee_change_365d')).toBe(true);
    expect(latest.numeric.find((c) => c.name === 'survey_score_365d')!.values.some(Number.isNaN)).toBe(true);
    const end = latest.dataEnd;
    const yearBefore = `${Number(end.slice(0, 4)) - 1}${end.slice(4, 10)}`;
    expectNonTrivial(await sameFeatures(t, { asOf: yearBefore, horizonDays: 30 }), 300);
    expectNonTrivial(await sameFeatures(t, { asOf: yearBefore, horizonDays: 180, lostDays: 30 }), 300);
    const scoring = await sameFeatures(t, { horizonDays: null, maxUsageMetrics: 1 });
    expect(scoring.labels).toBeNull();
    expect(scoring.asOf).toBe(end);
    expect(scoring.numeric.filter((c) => c.name.startsWith('usage_')).length).toBe(2);
    // a day before any data: nobody at risk
    const empty = await sameFeatures(t, { asOf: '1999-01-01', horizonDays: 30 });
    expect(empty.customerIds.length).toBe(0);
  }, 120_000);

  it('refuses labels beyond the data the same way', async () => {
    const { dataEnd } = await t.duck.churnFeatures({ horizonDays: null, maxUsageMetrics: 0 });
    const options = { asOf: dataEnd, horizonDays: 30 };
    const message = await t.duck.churnFeatures(options).catch((e: Error) => e.message);
    expect(message).toMatch(/need data up to/);
    await expect(t.ch.churnFeatures(options)).rejects.toThrow(message as string);
    await expect(t.ch.churnFeatures({ horizonDays: 0 })).rejects.toThrow(/--horizon/);
  });

  it('gives the same churn-rate history', async () => {
    const { dataEnd } = await t.duck.churnFeatures({ horizonDays: null, maxUsageMetrics: 0 });
    for (const options of [
      { asOf: dataEnd, horizonDays: 30, periods: 6 },
      { asOf: dataEnd, horizonDays: 90, periods: 4, lostDays: 45 },
    ]) {
      const d = await t.duck.churnRateHistory(options);
      expect(await t.ch.churnRateHistory(options)).toEqual(d);
      expect(d.length).toBe(options.periods);
      expect(d.every((r) => r.atRisk > 0 && r.churned > 0)).toBe(true);
    }
  }, 60_000);

  it('trains the same churn model from either engine’s features', async () => {
    const asOf = '2025-03-31';
    const [d, c] = await Promise.all([
      t.duck.churnFeatures({ asOf, horizonDays: 90 }),
      t.ch.churnFeatures({ asOf, horizonDays: 90 }),
    ]);
    const train = (f: ChurnFeatureColumns) =>
      trainChurn({ features: featureTableOf(f), labels: f.labels! }, f.customerIds, { seed: 3 });
    const [a, b] = [train(d), train(c)];
    expect(a.testScores!.ids).toEqual(b.testScores!.ids);
    expect(a.testScores!.ids.length).toBeGreaterThan(100);
    const pa = a.testScores!.probabilities;
    const pb = b.testScores!.probabilities;
    // the features agree to 1e-9; the fitted model's probabilities to 1e-6
    expect([...pa].every((p, i) => closeTo(p, pb[i]!, 1e-6))).toBe(true);
    expect(new Set(pa).size).toBeGreaterThan(10);
  }, 60_000);

  describe('stored churn scores', () => {
    const ids = (f: ChurnFeatureColumns) => f.customerIds;
    let customers: readonly string[] = [];
    const batch = (asOf: string, horizonDays: number, seed: number, n = customers.length) => {
      const probabilities = Float64Array.from({ length: n }, (_, i) => {
        const x = Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453;
        return x - Math.floor(x);
      });
      // a few ties, so that the order by customer id counts
      for (let i = 0; i < n; i += 37) probabilities[i] = 0.5;
      return {
        asOf,
        horizonDays,
        model: `test ${seed}`,
        customerIds: customers.slice(0, n),
        probabilities,
        reasons: Array.from({ length: n }, (_, i) => JSON.stringify([{ column: 'recency_days', i }])),
      };
    };
    const both = async <T>(work: (e: Engine) => Promise<T>): Promise<T> => {
      const [d, c] = await Promise.all([work(t.duck), work(t.ch)]);
      expect(c).toEqual(d);
      return d;
    };

    beforeAll(async () => {
      customers = ids(await t.duck.churnFeatures({ horizonDays: null, maxUsageMetrics: 0 }));
    }, 60_000);

    it('reads nothing before any save', async () => {
      const page = await both((e) => e.churnScores({}));
      expect(page).toEqual({ asOf: null, total: 0, scores: [] });
      await both((e) => e.storedChurnProbabilities());
    });

    it('saves, replaces and pages scores as DuckDB does', async () => {
      expect(customers.length).toBeGreaterThan(500);
      for (const b of [
        batch('2025-06-30', 30, 1),
        batch('2025-06-30', 90, 2),
        batch('2025-05-31', 30, 3, 100),
        // replaces the first batch's day and horizon, with fewer customers
        batch('2025-06-30', 30, 4, customers.length - 50),
      ])
        await Promise.all([t.duck.saveChurnScores(b), t.ch.saveChurnScores(b)]);
      const latest = await both((e) => e.churnScores({}));
      expect(latest.asOf).toBe('2025-06-30');
      expect(latest.total).toBe(2 * customers.length - 50);
      expect(latest.scores.length).toBe(100);
      await both((e) => e.churnScores({ horizonDays: 30, limit: 25, offset: 40 }));
      await both((e) => e.churnScores({ horizonDays: 90, limit: 1000 }));
      const tied = await both((e) => e.churnScores({ horizonDays: 30, limit: 30, offset: 0 }));
      expect(tied.scores.some((s) => s.probability === 0.5)).toBe(false);
      const half = await both((e) => e.churnScores({ asOf: '2025-06-30', limit: 5000 }));
      expect(half.scores.filter((s) => s.probability === 0.5).length).toBeGreaterThan(10);
      const one = await both((e) => e.churnScores({ customerId: customers[3]! }));
      expect(one.total).toBe(2);
      await both((e) => e.churnScores({ asOf: '2025-05-31', limit: 0 }));
      expect((await both((e) => e.churnScores({ asOf: '2025-05-31', offset: 90 }))).scores.length).toBe(10);
      const none = await both((e) => e.churnScores({ asOf: '2020-01-01' }));
      expect(none.total).toBe(0);
      const stored = await both((e) => e.storedChurnProbabilities());
      expect(stored.horizons.map((h) => [h.horizonDays, h.probabilities.length])).toEqual([
        [30, customers.length - 50],
        [90, customers.length],
      ]);
      const older = await both((e) => e.storedChurnProbabilities('2025-05-31'));
      expect(older.horizons[0]!.probabilities.length).toBe(100);
      // stored bit for bit
      const saved = batch('2025-05-31', 30, 3, 100);
      const sortedIds = [...saved.customerIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const byId = new Map(saved.customerIds.map((id, i) => [id, saved.probabilities[i]!]));
      expect([...older.horizons[0]!.probabilities]).toEqual(sortedIds.map((id) => byId.get(id)));
    }, 60_000);
  });
});

describe.skipIf(!clickhouse)('churn features on ClickHouse (CDNOW: transactions)', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await cdnowTwins('retain_test_churn_cdnow');
  }, 180_000);
  afterAll(async () => t?.close());

  it('builds the same features, labels and history for recent buyers', async () => {
    const latest = await sameFeatures(t, { horizonDays: 60 });
    expect(latest.population).toBe('transactions');
    expectNonTrivial(latest, 50);
    expectNonTrivial(await sameFeatures(t, { asOf: '1997-06-30', horizonDays: 90, lostDays: 90 }), 300);
    expectNonTrivial(await sameFeatures(t, { asOf: '1997-03-31', horizonDays: 30, lostDays: 45 }), 300);
    const options = { asOf: '1998-06-30', horizonDays: 60, periods: 5, lostDays: 90 };
    const history = await t.duck.churnRateHistory(options);
    expect(await t.ch.churnRateHistory(options)).toEqual(history);
    expect(history.filter((r) => r.atRisk > 0 && r.churned > 0).length).toBeGreaterThan(2);
  }, 120_000);

  it('gives the same on one server without a cluster, and stores scores there', async () => {
    const single = await openClickHouse('retain_test_churn_single', false);
    try {
      await importCdnowSample(single);
      const options = { asOf: '1997-09-30', horizonDays: 60 };
      const d = await t.duck.churnFeatures(options);
      expect(featureDifferences(d, await single.churnFeatures(options))).toEqual([]);
      expectNonTrivial(d, 100);
      const batch = {
        asOf: '1997-09-30',
        horizonDays: 60,
        model: 'test',
        customerIds: d.customerIds,
        probabilities: Float64Array.from(d.customerIds, (_, i) => (i % 10) / 10),
        reasons: d.customerIds.map(() => '[]'),
      };
      for (const e of [t.duck, single]) {
        await e.saveChurnScores(batch);
        await e.saveChurnScores(batch);
      }
      const page = { horizonDays: 60, limit: 20, offset: 5 };
      expect(await single.churnScores(page)).toEqual(await t.duck.churnScores(page));
      expect((await single.churnScores(page)).total).toBe(d.customerIds.length);
    } finally {
      await single.close();
      await dropDatabase('retain_test_churn_single');
    }
  }, 120_000);
});
