/**
 * The CLV routes over HTTP on a real workspace with demo data: fit, predict and evaluate jobs (progress
 * and result equal to what the library, and so the CLI's --json, gives), a stored fit, the stored
 * predictions a page at a time and their distribution; roles (401, 403), bad input (400, 422), 404s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationJson, fitJson, predictionJson, storedFitJson } from '../../src/analysis/clv/clv-json.js';
import { evaluateClv } from '../../src/analysis/clv/evaluate-clv.js';
import { fitClvModel } from '../../src/analysis/clv/fit-clv-model.js';
import { predictClv } from '../../src/analysis/clv/predict-clv.js';
import { storedFitById } from '../../src/analysis/clv/prediction-fits.js';
import type { Engine } from '../../src/engine/engine.js';
import { rounded, startApiServer, type ApiHarness, type CallOptions, type Role } from './harness.js';

let api: ApiHarness;
let engine: Engine;
let tokens: Record<Role, string>;

/** Calls as an analyst unless a token (or null) is given. */
const call = (path: string, options: CallOptions = {}) => api.call(path, { token: 'analyst', ...options });

const post = (path: string, body: unknown, token?: string | null) =>
  call(path, { method: 'POST', body, ...(token === undefined ? {} : { token }) });

/** Poll a job to its end, keeping every progress seen. */
async function finish(id: string) {
  const seen: unknown[] = [];
  for (let i = 0; i < 3000; i++) {
    const r = await call(`/api/jobs/${id}`);
    if (r.body.progress) seen.push(r.body.progress);
    if (!['queued', 'running'].includes(r.body.status)) return { job: r.body, seen };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

async function runJob(path: string, body: unknown) {
  const r = await post(path, body);
  expect(r.status).toBe(202);
  expect(r.body.status).toMatch(/queued|running/);
  const { job, seen } = await finish(r.body.id);
  expect(job.error).toBeNull();
  expect(job.status).toBe('succeeded');
  return { job, seen };
}

let bgnbdId = 0;
let ggId = 0;

beforeAll(async () => {
  api = await startApiServer({ seed: 42 });
  engine = api.engine;
  tokens = api.tokens;
}, 60_000);

afterAll(() => api?.close());

describe('CLV routes: access and input', () => {
  it('lists every route in the OpenAPI document', async () => {
    const doc = (await call('/api/openapi.json', { token: tokens.viewer })).body;
    for (const [path, method] of [
      ['/api/clv/fit', 'post'],
      ['/api/clv/fits/{id}', 'get'],
      ['/api/clv/predict', 'post'],
      ['/api/clv/predictions', 'get'],
      ['/api/clv/distribution', 'get'],
      ['/api/clv/evaluate', 'post'],
    ])
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
  });

  it('needs a token (401) and the analyst role for jobs (403)', async () => {
    for (const path of ['/api/clv/fits/1', '/api/clv/predictions', '/api/clv/distribution'])
      expect((await call(path, { token: null })).status, path).toBe(401);
    const jobs: [string, unknown][] = [
      ['/api/clv/fit', { model: 'gg' }],
      ['/api/clv/predict', {}],
      ['/api/clv/evaluate', { calibrationEnd: '2024-12-31', holdoutEnd: '2025-12-31' }],
    ];
    for (const [path, body] of jobs) {
      expect((await post(path, body, null)).status, path).toBe(401);
      const r = await post(path, body, tokens.viewer);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
      expect(r.body.error.message).toContain('analyst');
    }
  });

  it('says clearly that nothing is stored yet', async () => {
    const d = await call('/api/clv/distribution', { token: tokens.viewer });
    expect(d.status).toBe(404);
    expect(d.body.error.code).toBe('not_found');
    expect(d.body.error.message).toContain('retain clv predict');
    const p = await call('/api/clv/predictions', { token: tokens.viewer });
    expect(p.status).toBe(200);
    expect(p.body).toEqual({ source: null, total: 0, limit: 50, offset: 0, predictions: [] });
    const noFit = await post('/api/clv/predict', {});
    expect(noFit.status).toBe(422);
    expect(noFit.body.error.message).toContain('no transaction model');
  });

  it('rejects bad input with 400 and impossible requests with 422', async () => {
    for (const body of [
      { model: 'nope' },
      {},
      { model: 'bgnbd', penalty: -1 },
      { model: 'bgnbd', timeUnit: 'year' },
      { model: 'bgnbd', calibrationEnd: '31/12/2025' },
      { model: 'bgnbd', extra: 1 },
    ]) {
      const r = await post('/api/clv/fit', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('bad_request');
    }
    expect((await post('/api/clv/predict', { horizon: 0 })).status).toBe(400);
    expect((await post('/api/clv/predict', { margin: 2 })).status).toBe(400);
    expect((await post('/api/clv/evaluate', { calibrationEnd: '2024-12-31' })).status).toBe(400);
    expect(
      (
        await post('/api/clv/evaluate', {
          calibrationEnd: '2024-12-31',
          holdoutEnd: '2025-01-01',
          model: 'gg',
        })
      ).status,
    ).toBe(400);
    const order = await post('/api/clv/evaluate', { calibrationEnd: '2025-12-31', holdoutEnd: '2025-06-30' });
    expect(order.status).toBe(422);
    expect(order.body.error.message).toContain('holdoutEnd');
    expect((await call('/api/clv/predictions?limit=501')).status).toBe(400);
    expect((await call('/api/clv/predictions?offset=-1')).status).toBe(400);
    expect((await call('/api/clv/distribution?bins=0')).status).toBe(400);
    expect((await call('/api/clv/fits/abc')).status).toBe(400);
  });
});

describe('CLV routes: fit, predict, read', () => {
  it('fits BG/NBD in a job: progress, then the result of retain clv fit --json', async () => {
    const { job, seen } = await runJob('/api/clv/fit', { model: 'bgnbd', penalty: 0.01 });
    expect(job.kind).toBe('clv-fit');
    expect(job.progress).toEqual({ phase: 'done', done: 2, total: 2, unit: 'steps' });
    expect(seen.length).toBeGreaterThan(0);
    const r = job.result;
    bgnbdId = r.fitId;
    expect(bgnbdId).toBeGreaterThan(0);
    const lib = await fitClvModel(engine, { model: 'bgnbd', penalty: 0.01 });
    expect(rounded(r)).toEqual(rounded(fitJson(lib, bgnbdId)));
    expect(r.converged).toBe(true);
    expect(Object.keys(r.params)).toEqual(['r', 'alpha', 'a', 'b']);
    const listed = await call('/api/clv/fits', { token: tokens.viewer });
    expect(listed.body[0]).toMatchObject({ fitId: bgnbdId, model: 'bgnbd' });
  });

  it('fits Gamma-Gamma, a job that fails on bad data reports 422', async () => {
    const { job } = await runJob('/api/clv/fit', { model: 'gg' });
    ggId = job.result.fitId;
    expect(job.result.model).toBe('gg');
    const bad = await post('/api/clv/fit', { model: 'bgnbd', calibrationEnd: '1990-01-01' });
    expect(bad.status).toBe(202);
    const { job: failed } = await finish(bad.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toBe('unprocessable');
  });

  it('shows one stored fit (retain clv fits --id --json), 404 for an unknown id', async () => {
    const r = await call(`/api/clv/fits/${bgnbdId}`, { token: tokens.viewer });
    expect(r.status).toBe(200);
    const stored = (await storedFitById(engine, bgnbdId))!;
    expect(r.body).toEqual(JSON.parse(JSON.stringify(storedFitJson(stored.document, bgnbdId))));
    expect(r.body.standardErrors.a).toBeGreaterThan(0);
    expect(typeof r.body.logLikelihood).toBe('number');
    const missing = await call('/api/clv/fits/999', { token: tokens.viewer });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('refuses fits that cannot predict (422)', async () => {
    const wrong = await post('/api/clv/predict', { fitId: ggId });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.message).toContain('gg');
    const spend = await post('/api/clv/predict', { spendFitId: bgnbdId });
    expect(spend.status).toBe(422);
    const unknown = await post('/api/clv/predict', { fitId: 999 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('999');
  });

  it('predicts and stores every customer (retain clv predict --save --json)', async () => {
    const { job } = await runJob('/api/clv/predict', { horizon: 52, margin: 0.5, limit: 5 });
    expect(job.kind).toBe('clv-predict');
    expect(job.params).toMatchObject({ fitId: bgnbdId, spendFitId: ggId });
    const fit = (await storedFitById(engine, bgnbdId))!.document;
    const gg = (await storedFitById(engine, ggId))!.document;
    const lib = await predictClv(engine, fit, gg, { horizon: 52, margin: 0.5 });
    const expected = predictionJson(lib, {
      limit: 5,
      out: null,
      saved: { customers: lib.customers, fitId: bgnbdId, spendFitId: ggId },
    });
    expect(rounded(job.result)).toEqual(rounded(expected));
    expect(job.result.topCustomers).toHaveLength(5);
  });

  it('pages the stored predictions highest CLV first, with search', async () => {
    const fit = (await storedFitById(engine, bgnbdId))!.document;
    const gg = (await storedFitById(engine, ggId))!.document;
    const lib = await predictClv(engine, fit, gg, { horizon: 52, margin: 0.5 });
    const c = lib.perCustomer;
    const order = [...c.clv.keys()].sort(
      (i, j) => c.clv[j]! - c.clv[i]! || (c.customerIds[i]! < c.customerIds[j]! ? -1 : 1),
    );
    const page = await call('/api/clv/predictions?limit=10&offset=10', { token: tokens.viewer });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(lib.customers);
    expect(page.body.limit).toBe(10);
    expect(page.body.offset).toBe(10);
    expect(page.body.source).toMatchObject({
      model: 'bgnbd',
      fitId: bgnbdId,
      spendFitId: ggId,
      horizon: 52,
      margin: 0.5,
    });
    expect(page.body.predictions.map((p: { customerId: string }) => p.customerId)).toEqual(
      order.slice(10, 20).map((i) => c.customerIds[i]),
    );
    const p0 = page.body.predictions[0];
    const i0 = order[10]!;
    expect(p0.clv).toBeCloseTo(c.clv[i0]!, 8);
    expect(p0.probabilityAlive).toBeCloseTo(c.probabilityAlive[i0]!, 10);
    const id = c.customerIds[i0]!;
    const found = await call(`/api/clv/predictions?search=${encodeURIComponent(id.toLowerCase())}`, {
      token: tokens.viewer,
    });
    expect(found.body.total).toBe(
      c.customerIds.filter((x) => x.toLowerCase().includes(id.toLowerCase())).length,
    );
    expect(found.body.predictions[0].customerId).toBe(id);
  });

  it('gives totals and a histogram computed in SQL that match the library', async () => {
    const fit = (await storedFitById(engine, bgnbdId))!.document;
    const gg = (await storedFitById(engine, ggId))!.document;
    const lib = await predictClv(engine, fit, gg, { horizon: 52, margin: 0.5 });
    const r = await call('/api/clv/distribution', { token: tokens.viewer });
    expect(r.status).toBe(200);
    const t = r.body.totals;
    expect(t.customers).toBe(lib.customers);
    expect(t.clv).toBeCloseTo(lib.totals.clv, 4);
    expect(t.expectedTransactions).toBeCloseTo(lib.totals.expectedTransactions, 4);
    expect(t.mean).toBeCloseTo(lib.totals.clv / lib.customers, 6);
    const sorted = [...lib.perCustomer.clv].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    expect(t.median).toBeCloseTo(median, 8);
    expect(t.shareAlive).toBeCloseTo(
      lib.perCustomer.probabilityAlive.reduce((a, v) => a + v, 0) / lib.customers,
      10,
    );
    const bins = r.body.histogram as { from: number; to: number; customers: number; clv: number }[];
    expect(bins.reduce((a, b) => a + b.customers, 0)).toBe(lib.customers);
    for (const b of bins.slice(0, -1))
      expect(b.customers).toBe(sorted.filter((v) => v >= b.from && v < b.to).length);
    expect(r.body.source).toMatchObject({ fitId: bgnbdId, spendFitId: ggId, horizon: 52 });
    expect(r.body.history).toHaveLength(1);
    const five = await call('/api/clv/distribution?bins=5', { token: tokens.viewer });
    expect(five.body.histogram.length).toBeLessThanOrEqual(6);
  });

  it('evaluates calibration against holdout in a job (retain clv evaluate --json)', async () => {
    const body = { calibrationEnd: '2024-12-31', holdoutEnd: '2025-12-31', penalty: 0.01 };
    const { job } = await runJob('/api/clv/evaluate', body);
    expect(job.kind).toBe('clv-evaluate');
    const lib = await evaluateClv(engine, { ...body, model: 'bgnbd', timeUnit: 'week' });
    expect(rounded(job.result)).toEqual(rounded(evaluationJson(lib, { plots: [], out: null })));
    expect(job.result.tracking.points.length).toBeGreaterThan(52);
    expect(job.result.byFrequency.length).toBe(8);
  });
});
