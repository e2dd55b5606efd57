/**
 * The cross-engine acceptance test of the scale-out issue: the demo at 20,000 customers in a DuckDB
 * workspace file and in a ClickHouse database on the two-shard test cluster, each behind a real API
 * server. The same jobs run on both (CLV fits, a CLV prediction run, lifecycle history, churn training and
 * scoring, a retention plan), then every read route is called on both and the bodies compared: counts
 * exactly, other numbers within 1e-9 relative (sums over shards add in another order, so they may differ
 * in the last bits). Fitted models are compared within 1e-6 relative (parameters) and 1e-4 (standard
 * errors from a numerical Hessian): the optimiser's path amplifies last-bit differences of mean spends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiHarness } from './harness.js';
import { clickhouse, openClickHouse, dropDatabase } from '../engine/clickhouse/twins.js';

const DB = 'retain_test_api';
const CUSTOMERS = 20_000;

/**
 * Fields that name the workspace, a file or the moment, not the data; and the transactions fingerprint,
 * a hash each engine computes with its own function (compared only within one workspace).
 */
const PLACE_OR_TIME = new Set([
  'engine',
  'location',
  'fittedAt',
  'savedAt',
  'createdAt',
  'seconds',
  'fitId',
  'id',
  'modelFile',
  'saved',
  'fingerprint',
]);
/** A trained model's file name (time stamped) inside texts. */
const MODEL_FILE = /churn-\d{8}T\d{6}Z-\w+-[0-9a-f]{8}\.json/g;
const strip = (body: unknown): unknown =>
  JSON.parse(JSON.stringify(body), (k, v: unknown) =>
    PLACE_OR_TIME.has(k) ? undefined : typeof v === 'string' ? v.replace(MODEL_FILE, 'churn-MODEL.json') : v,
  );

/**
 * `b` equals `a` in shape, text and counts, and every other number within `rel` relative difference (at
 * least 1e-12 absolute). Fails naming the first path that differs.
 */
function expectSame(b: unknown, a: unknown, rel = 1e-9, path = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b) && Math.abs(a) < 2 ** 31) {
      if (a !== b) expect.fail(`${path}: ${b} vs ${a}`);
    } else if (Math.abs(a - b) > Math.max(1e-12, rel * Math.max(Math.abs(a), Math.abs(b))))
      expect.fail(`${path}: ${b} vs ${a} (relative tolerance ${rel})`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) expect.fail(`${path}: ${b.length} items vs ${a.length}`);
    a.forEach((x, i) => expectSame(b[i], x, rel, `${path}[${i}]`));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys)
      expectSame((b as Record<string, unknown>)[k], (a as Record<string, unknown>)[k], rel, `${path}.${k}`);
    return;
  }
  if (a !== b) expect.fail(`${path}: ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
}

describe.skipIf(!clickhouse)(
  `REST API on ClickHouse, demo at ${CUSTOMERS.toLocaleString('en-US')} customers`,
  () => {
    let duck: ApiHarness;
    let ch: ApiHarness;
    /** Run the same job on both servers; both results. */
    const job = async (path: string, body: unknown) => {
      const out = [];
      for (const h of [duck, ch]) {
        const r = await h.call(path, { method: 'POST', body });
        expect(r.status, `${path} ${JSON.stringify(r.body)}`).toBe(202);
        const done = await h.waitJob(r.body.id);
        expect(done.status, `${path}: ${JSON.stringify(done.error)}`).toBe('succeeded');
        out.push(done.result);
      }
      return out as [unknown, unknown];
    };

    beforeAll(async () => {
      duck = await startApiServer({ customers: CUSTOMERS, seed: 1 });
      ch = await startApiServer({ customers: CUSTOMERS, seed: 1, engine: () => openClickHouse(DB) });
    }, 600_000);
    afterAll(async () => {
      await duck?.close();
      await ch?.close();
      await dropDatabase(DB);
    });

    it('describes the ClickHouse workspace, with the same tables as DuckDB', async () => {
      const [a, b] = [await duck.call('/api/info'), await ch.call('/api/info')];
      expect(b.status).toBe(200);
      expect(b.body.engine).toBe('clickhouse');
      expect(b.body.tables).toEqual(a.body.tables);
      expect(b.body.tables.find((t: { table: string }) => t.table === 'customers').rows).toBe(CUSTOMERS);
    });

    it('fits the CLV models to the same parameters and predicts the same values', async () => {
      for (const body of [{ model: 'bgnbd', penalty: 0.05 }, { model: 'gg' }]) {
        const [a, b] = await job('/api/clv/fit', body);
        expectSame(strip(b), strip(a), 1e-4);
        expectSame((strip(b) as { params: unknown }).params, (strip(a) as { params: unknown }).params, 1e-6);
      }
      const [a, b] = await job('/api/clv/predict', { horizon: 52 });
      expectSame(strip(b), strip(a));
    }, 300_000);

    it('records the same lifecycle history, trains and scores the same churn model, plans alike', async () => {
      const [h1, h2] = await job('/api/lifecycle/history', { from: '2025-01', to: '2025-06' });
      expectSame(strip(h2), strip(h1));
      const [t1, t2] = await job('/api/churn/train', { horizons: [90], model: 'logistic', seed: 3 });
      expectSame(strip(t2), strip(t1));
      const [s1, s2] = await job('/api/churn/score', { limit: 20 });
      expectSame(strip(s2), strip(s1));
      const [p1, p2] = await job('/api/plans/retention', { budget: 20_000, horizon: 90 });
      console.log(
        JSON.stringify((p1 as { notes: unknown }).notes),
        JSON.stringify((p2 as { notes: unknown }).notes),
      );
      expectSame(strip(p2), strip(p1));
    }, 300_000);

    const routes = [
      '/api/health',
      '/api/rfm',
      '/api/rfm?bins=4&windowDays=365&customers=20',
      '/api/segments/value',
      '/api/segments/abc',
      '/api/segments/tiers',
      '/api/segments/telecom',
      '/api/segments/frequency-aov',
      '/api/lifecycle',
      '/api/lifecycle?model=five-stage',
      '/api/lifecycle/mix',
      '/api/lifecycle/flows',
      '/api/lifecycle/transitions?from=2025-01-31&to=2025-06-30',
      '/api/lifecycle/rules',
      '/api/alerts',
      '/api/alerts?groups=false&products=false&limit=50',
      '/api/alerts/rules',
      '/api/customers?sort=revenue&limit=50',
      '/api/customers?sort=churn&limit=50&offset=100',
      '/api/customers?search=00001&limit=20',
      '/api/customers/C0000042',
      '/api/churn/scores?limit=100',
      '/api/clv/fits',
      '/api/clv/predictions?limit=100',
      '/api/clv/distribution',
      '/api/survival/km?by=plan&at=6&at=12&unit=months',
      '/api/survival/cox?covariates=plan&covariates=monthly_fee',
      '/api/survival/cohorts?by=quarter',
      '/api/campaigns',
      '/api/plans',
      '/api/plans/matrix',
      '/api/reports',
      '/api/reports/churn-flow',
      '/api/reports/churners?by=region',
      '/api/reports/reasons',
      '/api/reports/churn-by?by=plan',
      '/api/reports/leaky-bucket',
      '/api/reports/churn-measures',
    ];

    it.each(routes)('answers %s as DuckDB does', async (path) => {
      const [a, b] = [await duck.call(path), await ch.call(path)];
      expect(a.status, JSON.stringify(a.body).slice(0, 300)).toBe(200);
      expect(b.status, JSON.stringify(b.body).slice(0, 300)).toBe(200);
      expectSame(strip(b.body), strip(a.body));
    });

    it('answers a stored plan and a campaign evaluation as DuckDB does', async () => {
      const [pa, pb] = [await duck.call('/api/plans'), await ch.call('/api/plans')];
      const [ida, idb] = [pa.body.plans[0]?.planId, pb.body.plans[0]?.planId];
      expect(ida).toBeDefined();
      expect(idb).toBe(ida);
      const [a, b] = [await duck.call(`/api/plans/${ida}`), await ch.call(`/api/plans/${idb}`)];
      expectSame(strip(b.body), strip(a.body));
      const campaigns = (await duck.call('/api/campaigns')).body;
      const id = campaigns.campaigns[0].campaignId;
      const [ea, eb] = [
        await duck.call(`/api/campaigns/${id}/evaluation`),
        await ch.call(`/api/campaigns/${id}/evaluation`),
      ];
      expect(ea.status).toBe(200);
      expectSame(strip(eb.body), strip(ea.body));
    });

    it('checks tokens stored in ClickHouse', async () => {
      expect((await ch.call('/api/info', { token: null })).status).toBe(401);
      expect((await ch.call('/api/info', { token: 'rtk_wrong' })).status).toBe(401);
      expect((await ch.call('/api/info', { token: 'viewer' })).status).toBe(200);
    });
  },
);
