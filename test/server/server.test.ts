/**
 * The REST API on a real workspace with demo data, over real HTTP. Worker threads load the built worker:
 * run `npm run build` first (as `npm test` does).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type App } from '../../src/server/app.js';
import { generateDemo } from '../../src/demo/index.js';
import { rfmAnalysis } from '../../src/analysis/rfm/rfm-analysis.js';
import { valueSegmentation } from '../../src/analysis/segments/value-segmentation.js';
import { lifecycleAnalysis } from '../../src/analysis/lifecycle/lifecycle-analysis.js';
import { runAlerts } from '../../src/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES } from '../../src/analysis/alerts/rules.js';
import type { Engine } from '../../src/engine/engine.js';
import { snapshot, tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;
let app: App;
let base = '';
const tokens: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
/** Numbers to 10 significant digits: DuckDB's parallel sums may differ in the last bits between runs. */
const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(10)) : v,
  );

async function call(
  path: string,
  options: { method?: string; token?: string | null; body?: unknown; form?: FormData } = {},
) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? tokens.admin : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | FormData | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const res = await fetch(base + path, {
    method: options.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  // response bodies are checked field by field below; the schemas are the API's own
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function waitJob(id: string, seen: string[] = []) {
  for (let i = 0; i < 600; i++) {
    const r = await call(`/api/jobs/${id}`);
    if (r.body.progress) seen.push(r.body.progress.phase);
    if (!['queued', 'running'].includes(r.body.status)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${id} did not finish`);
}

function csvForm(table: string, name: string, content: string, extra: Record<string, string> = {}) {
  const form = new FormData();
  form.append('table', table);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  return form;
}

beforeAll(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
  await generateDemo(engine, { customers: 2000, seed: 1 });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await engine.createApiToken(`test ${role}`, role)).token;
  app = await createServer({
    engine,
    dbPath: ws.db,
    auth: 'tokens',
    uploadDir: join(ws.dir, 'uploads'),
    uploadLimit: 64 * 1024,
    bodyLimit: 16 * 1024,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await ws?.cleanup();
});

describe('auth and errors', () => {
  it('health is open; everything else needs a token', async () => {
    expect((await call('/api/health', { token: null })).body).toMatchObject({ status: 'ok', auth: 'tokens' });
    const missing = await call('/api/info', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const invalid = await call('/api/info', { token: 'rtk_not-a-real-token' });
    expect(invalid.status).toBe(401);
    expect((await call('/api/openapi.json', { token: null })).status).toBe(401);
  });

  it('roles: a viewer reads but may not post jobs, import or manage tokens', async () => {
    expect((await call('/api/info', { token: tokens.viewer })).status).toBe(200);
    const train = await call('/api/churn/train', { method: 'POST', token: tokens.viewer, body: {} });
    expect(train.status).toBe(403);
    expect(train.body.error.code).toBe('forbidden');
    const imp = await call('/api/imports', {
      method: 'POST',
      token: tokens.analyst,
      form: csvForm('customers', 'c.csv', 'customer_id\nX\n'),
    });
    expect(imp.status).toBe(403);
    expect((await call('/api/tokens', { token: tokens.analyst })).status).toBe(403);
  });

  it('bad input is a 400 with the fields; unknown ids and routes are 404', async () => {
    const r = await call('/api/rfm?bins=20&asOf=yesterday', { token: tokens.viewer });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_request');
    expect(r.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'querystring.asOf',
      'querystring.bins',
    ]);
    const body = await call('/api/churn/train', { method: 'POST', body: { model: 'forest', horizons: [0] } });
    expect(body.status).toBe(400);
    expect(body.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['body.model', 'body.horizons[0]']),
    );
    const extra = await call('/api/churn/train', { method: 'POST', body: { nonsense: 1 } });
    expect(extra.body.error.details[0].field).toBe('body.nonsense');
    expect((await call('/api/customers/NOPE')).body.error.code).toBe('not_found');
    expect((await call('/api/jobs/nope')).status).toBe(404);
    expect((await call('/api/nowhere')).status).toBe(404);
    expect((await call('/api/churn/train', { method: 'POST', body: '{"horizons": [' })).status).toBe(400);
  });

  it('a library UserError is a 422 with its message', async () => {
    const r = await call('/api/segments/telecom?amounts=1&amounts=2');
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unprocessable');
  });

  it('a JSON body over the limit is a 413', async () => {
    const r = await call('/api/churn/train', { method: 'POST', body: { exclude: ['x'.repeat(20_000)] } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('tokens created through the API work until revoked', async () => {
    const created = await call('/api/tokens', { method: 'POST', body: { name: 'temp', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^rtk_/);
    expect((await call('/api/info', { token: created.body.token })).status).toBe(200);
    const list = await call('/api/tokens');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect(list.body.tokens.find((t: { id: string }) => t.id === created.body.id).lastUsedAt).not.toBeNull();
    expect((await call(`/api/tokens/${created.body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await call('/api/info', { token: created.body.token })).status).toBe(401);
    expect((await call(`/api/tokens/${created.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('lists every route', async () => {
    const doc = (await call('/api/openapi.json', { token: tokens.viewer })).body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const [path, method] of [
      ['/api/health', 'get'],
      ['/api/openapi.json', 'get'],
      ['/api/info', 'get'],
      ['/api/imports', 'post'],
      ['/api/rfm', 'get'],
      ['/api/segments/{kind}', 'get'],
      ['/api/lifecycle', 'get'],
      ['/api/lifecycle/mix', 'get'],
      ['/api/alerts', 'get'],
      ['/api/customers', 'get'],
      ['/api/customers/{id}', 'get'],
      ['/api/churn/train', 'post'],
      ['/api/churn/score', 'post'],
      ['/api/churn/scores', 'get'],
      ['/api/churn/models', 'get'],
      ['/api/jobs', 'get'],
      ['/api/jobs/{id}', 'get'],
      ['/api/jobs/{id}', 'delete'],
      ['/api/tokens', 'post'],
    ])
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
    expect(doc.paths['/api/rfm'].get.parameters.map((p: { name: string }) => p.name)).toContain('bins');
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });

  it('every documented route but health refuses a request without a token or with a wrong one', async () => {
    const doc = (await call('/api/openapi.json')).body;
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops).map((method) => [path.replace(/\{[^}]+\}/g, 'x'), method.toUpperCase()] as const),
    );
    expect(routes.length).toBeGreaterThan(30);
    for (const [path, method] of routes) {
      if (path === '/api/health') continue;
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const none = await call(path, { method, token: null, ...(body ? { body } : {}) });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.body.error.code).toBe('unauthorized');
      const wrong = await call(path, { method, token: 'rtk_wrong', ...(body ? { body } : {}) });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('analyses equal the library', () => {
  it('info: admins see where the workspace is, others only its file name', async () => {
    const info = json(await engine.info()) as { location: string };
    expect((await call('/api/info', { token: tokens.admin })).body).toEqual(info);
    const viewed = (await call('/api/info', { token: tokens.viewer })).body;
    expect(viewed).toEqual({ ...info, location: basename(info.location) });
    expect(viewed.location).not.toContain(ws.dir);
  });

  it('rfm', async () => {
    const { perCustomer: _p, ...lib } = await rfmAnalysis(engine, { bins: 4 });
    expect(rounded((await call('/api/rfm?bins=4', { token: tokens.viewer })).body)).toEqual(rounded(lib));
    const top = await call('/api/rfm?customers=3');
    expect(top.body.topCustomers).toHaveLength(3);
  });

  it('segments', async () => {
    const { perCustomer: _p, ...lib } = await valueSegmentation(engine, 'abc', { by: 'profit' });
    expect(rounded((await call('/api/segments/abc?by=profit')).body)).toEqual(rounded(lib));
    expect((await call('/api/segments/nonsense')).status).toBe(400);
  });

  it('lifecycle and mix', async () => {
    const { perCustomer: _p, ...lib } = await lifecycleAnalysis(engine, {
      model: 'five-stage',
      perCustomer: false,
      alertRules: DEFAULT_ALERT_RULES,
    });
    expect(rounded((await call('/api/lifecycle?model=five-stage')).body)).toEqual(rounded(lib));
    const explained = await call('/api/lifecycle?explain=C0000001');
    expect(explained.body.explanation).toContain('C0000001');
    expect((await call('/api/lifecycle/mix')).body).toEqual({ model: 'states', months: [], mix: [] });
  });

  it('alerts, never stored', async () => {
    const before = await engine.alertRuns();
    const report = await runAlerts(engine, { save: false, list: 5 });
    const { perCustomer: _p, ...customers } = report.customers;
    expect(rounded((await call('/api/alerts?limit=5')).body)).toEqual(rounded({ ...report, customers }));
    expect(await engine.alertRuns()).toEqual(before);
  });
});

describe('customers', () => {
  it('pages on the server with a total', async () => {
    const page = await call('/api/customers?limit=5&offset=10', { token: tokens.viewer });
    expect(page.body.total).toBe(2000);
    expect(page.body.customers).toHaveLength(5);
    expect(page.body.customers[0].customerId).toBe('C0000011');
    const search = await call('/api/customers?search=c000001&limit=500');
    expect(search.body.total).toBe(search.body.customers.length);
    expect(search.body.customers.every((c: { customerId: string }) => c.customerId.includes('C000001'))).toBe(
      true,
    );
    const [rev] = await engine.query(
      `SELECT sum(amount) AS s FROM transactions WHERE customer_id = 'C0000011'`,
    );
    expect(page.body.customers[0].revenue).toBeCloseTo(Number(rev!.s), 6);
    const byRevenue = await call('/api/customers?sort=revenue&limit=3');
    const revs = byRevenue.body.customers.map((c: { revenue: number }) => c.revenue);
    expect([...revs].sort((a, b) => b - a)).toEqual(revs);
    expect((await call('/api/customers?limit=501')).status).toBe(400);
    expect((await call('/api/customers?search=%25')).body.total).toBe(0);
  });

  it('one customer', async () => {
    const r = await call('/api/customers/C0000001', { token: tokens.viewer });
    expect(r.status).toBe(200);
    expect(r.body.customerId).toBe('C0000001');
    const [t] = await engine.query(`SELECT count(*) AS n FROM transactions WHERE customer_id = 'C0000001'`);
    expect(r.body.transactions.count).toBe(Number(t!.n));
    expect(Array.isArray(r.body.subscriptions)).toBe(true);
  });
});

describe('imports', () => {
  it('a good import is a job that succeeds with progress', async () => {
    const r = await call('/api/imports', {
      method: 'POST',
      form: csvForm(
        'customers',
        'new-customers.csv',
        'customer_id,signup_date,region\nNEW1,2024-01-05,North\n',
      ),
    });
    expect(r.status).toBe(202);
    expect(r.body.kind).toBe('import');
    const seen: string[] = [];
    const job = await waitJob(r.body.id, seen);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ table: 'customers', file: 'new-customers.csv', inserted: 1 });
    expect(job.progress.phase).toBe('loading');
    expect((await call('/api/customers/NEW1')).body.profile.region).toBe('North');
  });

  it('a bad file fails with the file, line and field, and changes nothing', async () => {
    const before = await snapshot(engine);
    const r = await call('/api/imports', {
      method: 'POST',
      form: csvForm('customers', 'bad.csv', 'customer_id,signup_date\nB1,2024-01-01\nB2,not-a-date\n'),
    });
    const job = await waitJob(r.body.id);
    expect(job.status).toBe('failed');
    expect(job.error.code).toBe('unprocessable');
    expect(job.error.message).toContain('bad.csv:line 3');
    expect(job.error.message).not.toContain(ws.dir);
    expect(job.error.details.issues[0]).toMatchObject({
      file: 'bad.csv',
      line: 3,
      value: 'not-a-date',
      code: 'not_a_date',
      params: { expected: 'an ISO date or YYYYMMDD' },
    });
    expect(await snapshot(engine)).toBe(before);
    expect(existsSync(join(ws.dir, 'uploads'))).toBe(true);
  });

  it('an upload over the limit is a 413; a missing table a 400', async () => {
    const big = 'customer_id\n' + 'C\n'.repeat(70_000);
    const r = await call('/api/imports', { method: 'POST', form: csvForm('customers', 'big.csv', big) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    const form = new FormData();
    form.append('file', new Blob(['customer_id\nX\n']), 'x.csv');
    const missing = await call('/api/imports', { method: 'POST', form });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe('body.table');
    expect((await call('/api/imports', { method: 'POST', body: {} })).status).toBe(400);
  });
});

describe('churn jobs', () => {
  it('train (in a worker), score, read the scores', async () => {
    const r = await call('/api/churn/train', {
      method: 'POST',
      token: tokens.analyst,
      body: { model: 'logistic', horizons: [90] },
    });
    expect(r.status).toBe(202);
    const job = await waitJob(r.body.id);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.result.horizons).toHaveLength(1);
    expect(existsSync(job.result.saved)).toBe(true);
    const models = await call('/api/churn/models', { token: tokens.viewer });
    expect(models.body.models[0].name).toBe(job.result.modelFile);
    const s = await call('/api/churn/score', { method: 'POST', token: tokens.analyst, body: { limit: 5 } });
    const scored = await waitJob(s.body.id);
    expect(scored.status).toBe('succeeded');
    expect(scored.result.saved).toBe(true);
    const page1 = await call('/api/churn/scores?limit=3', { token: tokens.viewer });
    const page2 = await call('/api/churn/scores?limit=3&offset=3');
    expect(page1.body.scores).toHaveLength(3);
    expect(page2.body.scores[0].probability).toBeLessThanOrEqual(page1.body.scores[2].probability);
    // the total counts every stored score of the day (one per customer: the model has one horizon)
    expect(page1.body.total).toBe(scored.result.customers);
    expect(page2.body.total).toBe(page1.body.total);
    const last = await call(`/api/churn/scores?limit=3&offset=${page1.body.total - 1}`);
    expect(last.body.scores).toHaveLength(1);
    expect((await call(`/api/churn/scores?offset=${page1.body.total}`)).body.scores).toEqual([]);
    const list = await call('/api/customers?sort=churn&limit=1');
    expect(list.body.customers[0].churnProbability).toBeCloseTo(page1.body.scores[0].probability, 12);
  });

  it('the server answers while a slow training runs; jobs queue FIFO and cancel', async () => {
    const slow = await call('/api/churn/train', {
      method: 'POST',
      token: tokens.analyst,
      body: { model: 'gbdt', horizons: [30, 90, 180], folds: 5 },
    });
    const queued = await call('/api/imports', {
      method: 'POST',
      form: csvForm('customers', 'later.csv', 'customer_id\nLATER1\n'),
    });
    expect((await call(`/api/jobs/${queued.body.id}`)).body.status).toBe('queued');
    const before = await snapshot(engine);
    const cancelled = await call(`/api/jobs/${queued.body.id}`, { method: 'DELETE', token: tokens.analyst });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.status).toBe('cancelled');
    // wait until the worker trains, then measure health while it runs
    for (let i = 0; i < 500; i++) {
      const j = (await call(`/api/jobs/${slow.body.id}`)).body;
      if (j.progress?.phase.startsWith('training')) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const latencies: number[] = [];
    let runningSamples = 0;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const h = await call('/api/health', { token: null });
      latencies.push(performance.now() - t0);
      if (h.body.jobs.running === 1) runningSamples++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(runningSamples).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(200);
    const stop = await call(`/api/jobs/${slow.body.id}`, { method: 'DELETE', token: tokens.analyst });
    expect(stop.status).toBe(202);
    const done = await waitJob(slow.body.id);
    expect(done.status).toBe('cancelled');
    expect(await snapshot(engine)).toBe(before);
    expect((await call(`/api/jobs/${slow.body.id}`, { method: 'DELETE' })).status).toBe(409);
    const list = await call('/api/jobs?status=cancelled', { token: tokens.viewer });
    expect(list.body.jobs.map((j: { id: string }) => j.id)).toEqual(
      expect.arrayContaining([slow.body.id, queued.body.id]),
    );
  }, 60_000);
});

describe('upload folder', () => {
  it('removes the temporary upload folder it made when it closes, and keeps a given one', async () => {
    const uploads = () => readdirSync(tmpdir()).filter((n) => n.startsWith('retain-uploads-'));
    const before = new Set(uploads());
    const own = await createServer({ engine, dbPath: ws.db, auth: 'off' });
    const made = uploads().filter((n) => !before.has(n));
    expect(made).toHaveLength(1);
    await own.close();
    expect(existsSync(join(tmpdir(), made[0]!))).toBe(false);
    const given = join(ws.dir, 'kept-uploads');
    const other = await createServer({ engine, dbPath: ws.db, auth: 'off', uploadDir: given });
    await other.close();
    expect(existsSync(given)).toBe(true);
  });
});

describe('auth off and the dashboard', () => {
  it('makes every request an admin and serves the static folder with an SPA fallback', async () => {
    const web = join(ws.dir, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Retain</title>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    const open = await createServer({
      engine,
      dbPath: ws.db,
      auth: 'off',
      uploadDir: join(ws.dir, 'up2'),
      staticDir: web,
    });
    try {
      expect((await open.inject({ method: 'GET', url: '/api/tokens' })).statusCode).toBe(200);
      const root = await open.inject({ method: 'GET', url: '/' });
      expect(root.body).toContain('<title>Retain</title>');
      expect((await open.inject({ method: 'GET', url: '/app.js' })).body).toContain('console.log');
      const deep = await open.inject({ method: 'GET', url: '/customers/C0000001' });
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('<title>Retain</title>');
      const api = await open.inject({ method: 'GET', url: '/api/nowhere' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await open.close();
    }
  });
});
