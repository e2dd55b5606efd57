/**
 * Survival, reports, plans, campaigns, CLV fits and lifecycle history over the REST API, on a real
 * workspace with demo data: each route returns what the library (and so the CLI's --json) gives.
 * The churn training job loads the built worker: run `npm run build` first (as `npm test` does).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type App } from '../../src/server/app.js';
import { generateDemo } from '../../src/demo/index.js';
import { cohortAnalysis } from '../../src/analysis/survival/cohort-analysis.js';
import { coxAnalysis } from '../../src/analysis/survival/cox-analysis.js';
import { kaplanMeierAnalysis, kmJson } from '../../src/analysis/survival/kaplan-meier-analysis.js';
import { coxJson } from '../../src/cli/commands/survival.js';
import { builtinReport, builtinReports } from '../../src/analysis/reports/builtin.js';
import { reportJson, runReport } from '../../src/analysis/reports/run-report.js';
import { actionsToYaml, DEFAULT_RETENTION_ACTIONS } from '../../src/analysis/planning/actions.js';
import { planRetention } from '../../src/analysis/planning/retention-plan.js';
import { valueRiskMatrix } from '../../src/analysis/planning/value-risk.js';
import { evaluateCampaign } from '../../src/analysis/campaigns/campaigns.js';
import { fitClvModel } from '../../src/analysis/clv/fit-clv-model.js';
import { storeFit } from '../../src/analysis/clv/stored-fits.js';
import type { Engine } from '../../src/engine/engine.js';
import { tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;
let app: App;
let base = '';
const tokens: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };

/** Numbers to 10 significant digits: DuckDB's parallel sums may differ in the last bits between runs. */
const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(10)) : v,
  );

async function raw(path: string, options: { method?: string; token?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? tokens.admin : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(base + path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
}

async function call(path: string, options: { method?: string; token?: string | null; body?: unknown } = {}) {
  const res = await raw(path, options);
  const text = await res.text();
  // response bodies are checked field by field below; the schemas are the API's own
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function waitJob(id: string) {
  for (let i = 0; i < 1500; i++) {
    const r = await call(`/api/jobs/${id}`);
    if (!['queued', 'running'].includes(r.body.status)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${id} did not finish`);
}

beforeAll(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
  await generateDemo(engine, { customers: 2000, seed: 1 });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await engine.createApiToken(`test ${role}`, role)).token;
  app = await createServer({ engine, dbPath: ws.db, auth: 'tokens', uploadDir: join(ws.dir, 'uploads') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await ws?.cleanup();
});

describe('OpenAPI', () => {
  it('lists the new routes', async () => {
    const doc = (await call('/api/openapi.json', { token: tokens.viewer })).body;
    for (const [path, method] of [
      ['/api/survival/km', 'get'],
      ['/api/survival/cox', 'get'],
      ['/api/survival/cohorts', 'get'],
      ['/api/reports', 'get'],
      ['/api/reports/{name}', 'get'],
      ['/api/reports/{name}/export', 'get'],
      ['/api/plans/matrix', 'get'],
      ['/api/plans/retention', 'post'],
      ['/api/campaigns', 'get'],
      ['/api/campaigns/{id}/evaluation', 'get'],
      ['/api/clv/fits', 'get'],
      ['/api/lifecycle/history', 'post'],
    ])
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
  });
});

describe('survival', () => {
  it('km equals retain survival km --json', async () => {
    const r = await call('/api/survival/km?by=plan&unit=months&at=6&at=12', { token: tokens.viewer });
    expect(r.status).toBe(200);
    const lib = await kaplanMeierAnalysis(
      { engine, unit: 'months' },
      { by: 'plan', confType: 'log', at: [6, 12] },
    );
    expect(rounded(r.body)).toEqual(rounded(kmJson(lib)));
    expect(r.body.logRank.groups.length).toBeGreaterThan(1);
    const one = await call('/api/survival/km?at=30&curve=true');
    expect(one.body.groups).toHaveLength(1);
    expect(one.body.groups[0].curve.time.length).toBeGreaterThan(0);
    const bad = await call('/api/survival/km?by=colour&unit=years');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'querystring.by',
      'querystring.unit',
    ]);
  });

  it('cox needs covariates and equals retain survival cox --json', async () => {
    const missing = await call('/api/survival/cox');
    expect(missing.status).toBe(400);
    const r = await call('/api/survival/cox?covariates=plan&covariates=monthly_fee');
    expect(r.status).toBe(200);
    const lib = await coxAnalysis(
      { engine, unit: 'days' },
      { covariates: ['plan', 'monthly_fee'], ties: 'efron' },
    );
    expect(rounded(r.body)).toEqual(rounded(coxJson(lib)));
  });

  it('cohorts equal the library', async () => {
    const r = await call('/api/survival/cohorts?by=quarter&months=8');
    expect(r.status).toBe(200);
    const lib = await cohortAnalysis(engine, { period: 'quarter', maxPeriods: 8 });
    expect(rounded(r.body)).toEqual(rounded(lib));
  });
});

describe('reports', () => {
  it('lists the built-in reports', async () => {
    const r = await call('/api/reports', { token: tokens.viewer });
    expect(r.status).toBe(200);
    expect(r.body.reports.map((x: { name: string }) => x.name)).toEqual(builtinReports().map((s) => s.name));
    expect(r.body.datasets.length).toBeGreaterThan(0);
  });

  it('a report equals retain report NAME --json (but the time it was made)', async () => {
    const r = await call('/api/reports/churn-flow?by=region', { token: tokens.viewer });
    expect(r.status).toBe(200);
    const lib = reportJson(
      await runReport(engine, builtinReport('churn-flow'), { by: 'region', charts: false }),
    ) as Record<string, unknown>;
    const { createdAt: _a, ...api } = r.body;
    const { createdAt: _b, ...expected } = lib;
    expect(rounded(api)).toEqual(rounded(expected));
    const none = await call(`/api/reports/churn-flow?by=none&from=${r.body.from}&to=${r.body.from}`);
    expect(none.body.by).toBeNull();
    expect(none.body.to).toBe(r.body.from);
    expect((await call('/api/reports/nope')).status).toBe(404);
    expect((await call('/api/reports/churn-flow?from=2025')).status).toBe(400);
  });

  it('exports CSV, XLSX and PDF as downloads', async () => {
    const magic = { csv: null, xlsx: 'PK', pdf: '%PDF' } as const;
    for (const format of ['csv', 'xlsx', 'pdf'] as const) {
      const res = await raw(`/api/reports/churners/export?format=${format}`, { token: tokens.viewer });
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-type')).toContain(
        { csv: 'text/csv', xlsx: 'spreadsheetml', pdf: 'application/pdf' }[format],
      );
      expect(res.headers.get('content-disposition')).toMatch(
        new RegExp(`^attachment; filename="churners-\\d{4}-\\d{2}-\\d{4}-\\d{2}\\.${format}"$`),
      );
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(100);
      if (magic[format])
        expect(bytes.subarray(0, magic[format]!.length).toString('latin1')).toBe(magic[format]);
    }
    const bad = await call('/api/reports/churners/export?format=docx');
    expect(bad.status).toBe(400);
    expect((await call('/api/reports/nope/export?format=csv')).status).toBe(404);
  }, 60_000);
});

describe('plans and campaigns', () => {
  it('the matrix needs stored scores, then equals retain plan matrix --json', async () => {
    expect((await call('/api/plans/matrix')).status).toBe(422);
    const t = await call('/api/churn/train', {
      method: 'POST',
      token: tokens.analyst,
      body: { model: 'logistic', horizons: [90] },
    });
    expect((await waitJob(t.body.id)).status).toBe('succeeded');
    const s = await call('/api/churn/score', { method: 'POST', token: tokens.analyst, body: {} });
    expect((await waitJob(s.body.id)).status).toBe('succeeded');
    const r = await call('/api/plans/matrix?by=region', { token: tokens.viewer });
    expect(r.status).toBe(200);
    const lib = await valueRiskMatrix(engine, { horizonDays: 90, groupBy: 'region', runRateOnly: false });
    expect(rounded(r.body)).toEqual(rounded(lib));
  }, 120_000);

  it('a retention plan is a job (analyst) returning retain plan retention --json', async () => {
    const body = { budget: 5000, save: false, limit: 5 };
    expect((await call('/api/plans/retention', { method: 'POST', token: tokens.viewer, body })).status).toBe(
      403,
    );
    const bad = await call('/api/plans/retention', {
      method: 'POST',
      body: { ...body, actions: 'actions: 3' },
    });
    expect(bad.status).toBe(422);
    expect((await call('/api/plans/retention', { method: 'POST', body: { save: false } })).status).toBe(400);
    const r = await call('/api/plans/retention', { method: 'POST', token: tokens.analyst, body });
    expect(r.status).toBe(202);
    const job = await waitJob(r.body.id);
    expect(job.status).toBe('succeeded');
    const { perCustomer: _omit, ...lib } = await planRetention(engine, {
      budget: 5000,
      horizonDays: 90,
      method: 'auto',
      runRateOnly: false,
      list: 5,
      save: false,
      perCustomer: false,
    });
    expect(rounded(job.result)).toEqual(rounded(lib));
    const saved = await call('/api/plans/retention', {
      method: 'POST',
      token: tokens.analyst,
      body: { budget: 2000, actions: actionsToYaml(DEFAULT_RETENTION_ACTIONS) },
    });
    const done = await waitJob(saved.body.id);
    expect(done.status).toBe('succeeded');
    expect(done.result.planId).toBeTruthy();
    expect(done.result.spent).toBeLessThanOrEqual(2000);
  }, 60_000);

  it('campaigns and their evaluation', async () => {
    const list = await call('/api/campaigns', { token: tokens.viewer });
    expect(list.status).toBe(200);
    expect(rounded(list.body)).toEqual(rounded({ campaigns: await engine.campaigns() }));
    expect(list.body.campaigns.length).toBeGreaterThan(0);
    const id = list.body.campaigns[0].campaignId as string;
    const e = await call(`/api/campaigns/${encodeURIComponent(id)}/evaluation?window=180`);
    expect(e.status).toBe(200);
    expect(rounded(e.body)).toEqual(rounded(await evaluateCampaign(engine, id, { windowDays: 180 })));
    expect((await call('/api/campaigns/NOPE/evaluation')).status).toBe(404);
    expect((await call(`/api/campaigns/${id}/evaluation?level=2`)).status).toBe(400);
  });
});

describe('CLV fits and lifecycle history', () => {
  it('stored fits, newest first', async () => {
    expect((await call('/api/clv/fits')).body).toEqual([]);
    await storeFit(engine, await fitClvModel(engine, { model: 'gg' }));
    const r = await call('/api/clv/fits', { token: tokens.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toEqual(JSON.parse(JSON.stringify(await engine.listModelFits())));
    expect(r.body[0].model).toBe('gg');
    expect((await call('/api/clv/fits?model=pnbd')).body).toEqual([]);
  }, 60_000);

  it('records month-end stages as a job (analyst)', async () => {
    const body = { from: '2025-01', to: '2025-03' };
    const viewer = await call('/api/lifecycle/history', { method: 'POST', token: tokens.viewer, body });
    expect(viewer.status).toBe(403);
    const bad = await call('/api/lifecycle/history', {
      method: 'POST',
      body: { from: '2025-13', to: '2025' },
    });
    expect(bad.status).toBe(400);
    const backwards = await call('/api/lifecycle/history', {
      method: 'POST',
      body: { from: '2025-03', to: '2025-01' },
    });
    expect(backwards.status).toBe(422);
    const r = await call('/api/lifecycle/history', { method: 'POST', token: tokens.analyst, body });
    expect(r.status).toBe(202);
    const job = await waitJob(r.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.result.months).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
    expect(job.result.rowsKept).toBeGreaterThan(0);
    const mix = await call('/api/lifecycle/mix');
    expect(mix.body.months).toEqual(job.result.months);
    expect(rounded(mix.body.mix)).toEqual(rounded(job.result.mix));
  }, 60_000);
});
