/**
 * Win-back plans, stored plans, campaign creation and outcome uploads over the REST API, checked against the
 * built CLI's --json: one demo workspace with stored churn scores is made with the CLI and copied; the CLI
 * runs the steps on the copy and the API runs the same steps on the original, so each answer must equal what
 * `retain ... --json` printed (same seeds, same plan ids, same control groups).
 * Run `npm run build` first (the CLI is dist/cli/main.js).
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type App } from '../../src/server/app.js';
import type { Engine } from '../../src/engine/engine.js';
import { openWorkspace } from '../../src/workspace.js';
import { retain, tempDir } from '../helpers.js';

const BUDGET = 3000;
const WINBACK_BUDGET = 1500;

let dir = '';
let cleanup = () => {};
let engine: Engine;
let app: App;
let base = '';
const tokens: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };
/** What the CLI printed on the copy, by step. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cli: Record<string, any> = {};
let members: { id: string; control: boolean }[] = [];

/** Numbers to 10 significant digits: DuckDB's parallel sums may differ in the last bits between runs. */
const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(10)) : v,
  );

function run(db: string, args: string[]): string {
  const r = retain(['--db', db, ...args], { TZ: 'UTC' });
  if (r.code !== 0) throw new Error(`retain ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A deterministic outcome per member: treated members are retained more often than control members. */
function outcomesCsv(rows: { id: string; control: boolean }[]): string {
  const lines = rows.map((m, i) => {
    const retained = m.control ? i % 3 !== 0 : i % 5 !== 0;
    const value = retained ? 40 + (i % 7) * 10 : 0;
    return `${m.id},${retained ? 'retained' : 'churned'},${value},2025-12-20`;
  });
  return ['customer_id,outcome,value,date', ...lines].join('\n') + '\n';
}

type Init = { method?: string; token?: string | null; body?: unknown; form?: FormData };

async function call(path: string, options: Init = {}) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? tokens.analyst : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.form ? { body: options.form } : {}),
  });
  const text = await res.text();
  // response bodies are checked field by field below; the schemas are the API's own
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function waitJob(id: string) {
  for (let i = 0; i < 3000; i++) {
    const r = await call(`/api/jobs/${id}`);
    if (!['queued', 'running'].includes(r.body.status)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${id} did not finish`);
}

function csvForm(text: string, name = 'outcomes.csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/csv' }), name);
  return form;
}

/** The CLI's --json without the CLI-only `out` (the API has no output file). */
function withoutOut(json: Record<string, unknown>): Record<string, unknown> {
  const { out: _out, ...rest } = json;
  return rest;
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const db = join(dir, 'api.duckdb');
  const copy = join(dir, 'cli.duckdb');
  run(db, ['demo', '--customers', '2000', '--seed', '1']);
  const model = join(dir, 'churn-model.json');
  run(db, ['churn', 'train', '--horizon', '90', '--model', 'logistic', '--save', model]);
  run(db, ['churn', 'score', '--model', model]);
  copyFileSync(db, copy);
  if (existsSync(`${db}.wal`)) copyFileSync(`${db}.wal`, `${copy}.wal`);

  const json = (args: string[]) => JSON.parse(run(copy, [...args, '--json'])) as Record<string, unknown>;
  cli.winbackNoSave = json(['plan', 'winback', '--budget', String(WINBACK_BUDGET), '--no-save']);
  cli.retention = json(['plan', 'retention', '--budget', String(BUDGET), '--limit', '5']);
  cli.winback = json(['plan', 'winback', '--budget', String(WINBACK_BUDGET), '--limit', '5']);
  cli.created = json(['campaign', 'create', '--plan', 'P1', '--holdout', '0.3', '--seed', '7']);
  const w = await openWorkspace({ db: copy });
  try {
    const m = await w.campaignMembers('CMP-P1', { outcomes: 'recorded' });
    members = m.customerIds.map((id, i) => ({ id, control: m.control[i] === 1 }));
  } finally {
    await w.close();
  }
  const file = join(dir, 'outcomes.csv');
  writeFileSync(file, outcomesCsv(members));
  cli.recorded = json(['campaign', 'record', 'CMP-P1', file]);
  cli.evaluation = json(['campaign', 'evaluate', 'CMP-P1']);
  cli.createdWinback = json(['campaign', 'create', '--id', 'WB-1', '--seed', '3']);
  cli.list = json(['campaign', 'list']);

  engine = await openWorkspace({ db });
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await engine.createApiToken(`test ${role}`, role)).token;
  app = await createServer({ engine, dbPath: db, auth: 'tokens', uploadDir: join(dir, 'uploads') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 240_000);

afterAll(async () => {
  await app?.close();
  await engine?.close();
  cleanup();
});

describe('plans', () => {
  it('lists the new routes in the OpenAPI document', async () => {
    const doc = (await call('/api/openapi.json', { token: tokens.viewer })).body;
    for (const [path, method] of [
      ['/api/plans', 'get'],
      ['/api/plans/{id}', 'get'],
      ['/api/plans/winback', 'post'],
      ['/api/campaigns', 'post'],
      ['/api/campaigns/{id}/outcomes', 'post'],
    ])
      expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
  });

  it('no stored plans yet: an empty list, and 404 for a plan', async () => {
    expect((await call('/api/plans', { token: null })).status).toBe(401);
    const r = await call('/api/plans', { token: tokens.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ plans: [] });
    const missing = await call('/api/plans/P1', { token: tokens.viewer });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('a win-back plan is a job (analyst) equal to retain plan winback --json', async () => {
    const body = { budget: WINBACK_BUDGET, save: false };
    expect((await call('/api/plans/winback', { method: 'POST', token: null, body })).status).toBe(401);
    expect((await call('/api/plans/winback', { method: 'POST', token: tokens.viewer, body })).status).toBe(
      403,
    );
    const bad = await call('/api/plans/winback', { method: 'POST', body: { budget: -1, colour: 'red' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'body.budget',
      'body.colour',
    ]);
    const r = await call('/api/plans/winback', { method: 'POST', body });
    expect(r.status).toBe(202);
    expect(r.body.kind).toBe('plan-winback');
    const job = await waitJob(r.body.id);
    expect(job.status).toBe('succeeded');
    expect(job.result.planId).toBeNull();
    expect(job.result.contacted).toBeGreaterThan(0);
    expect(rounded(job.result)).toEqual(rounded(withoutOut(cli.winbackNoSave)));
    // the job failing in the library is a 422 in the job, not a crash
    const future = await call('/api/plans/winback', {
      method: 'POST',
      body: { budget: 100, asOf: '2025-02-30' },
    });
    const failed = await waitJob(future.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toBe('unprocessable');
  }, 60_000);

  it('stored plans: newest first, one plan with its customers paged', async () => {
    const ret = await call('/api/plans/retention', { method: 'POST', body: { budget: BUDGET, limit: 5 } });
    const retJob = await waitJob(ret.body.id);
    expect(retJob.status).toBe('succeeded');
    expect(rounded(retJob.result)).toEqual(rounded(withoutOut(cli.retention)));
    const wb = await call('/api/plans/winback', {
      method: 'POST',
      body: { budget: WINBACK_BUDGET, limit: 5 },
    });
    const wbJob = await waitJob(wb.body.id);
    expect(rounded(wbJob.result)).toEqual(rounded(withoutOut(cli.winback)));
    expect([retJob.result.planId, wbJob.result.planId]).toEqual(['P1', 'P2']);

    const list = await call('/api/plans', { token: tokens.viewer });
    expect(list.status).toBe(200);
    expect(list.body.plans.map((p: { planId: string }) => p.planId)).toEqual(['P2', 'P1']);
    const [p2, p1] = list.body.plans;
    expect(p1.kind).toBe('retention');
    expect(p1.contacted).toBe(cli.retention.contacted);
    expect(p1.cost).toBeCloseTo(cli.retention.spent, 6);
    expect(p1.expectedSaved).toBeCloseTo(cli.retention.expectedSavedValue, 6);
    // the stored plan per action (actions with customers, by name) equals the plan's own summary
    type CliAction = { action: string; customers: number; cost: number; expectedSavedValue: number };
    const cliActions = (cli.retention.byAction as CliAction[])
      .filter((a) => a.customers > 0)
      .sort((a, b) => (a.action < b.action ? -1 : 1))
      .map((a) => ({
        action: a.action,
        customers: a.customers,
        cost: a.cost,
        expectedSaved: a.expectedSavedValue,
      }));
    expect(cliActions.length).toBeGreaterThan(1);
    expect(rounded(p1.byAction)).toEqual(rounded(cliActions));
    expect(p1.document.budget).toBe(BUDGET);
    expect(p2.kind).toBe('winback');
    expect(p2.contacted).toBe(cli.winback.contacted);
    expect(p2.cost).toBeCloseTo(cli.winback.spent, 6);

    const page = await call('/api/plans/P1?limit=10&offset=5', { token: tokens.viewer });
    expect(page.status).toBe(200);
    expect(page.body.plan).toEqual(p1);
    expect(page.body.customers).toMatchObject({ total: cli.retention.contacted, limit: 10, offset: 5 });
    const stored = await engine.loadPlan('P1');
    const sorted = [...stored!.items].sort(
      (a, b) => b.expectedSaved - a.expectedSaved || (a.customerId < b.customerId ? -1 : 1),
    );
    expect(rounded(page.body.customers.items)).toEqual(rounded(sorted.slice(5, 15)));
    // the CLI's listed contacts are the plan's; its first five by net are among the stored ones
    const ids = new Set(stored!.items.map((i) => i.customerId));
    for (const c of cli.retention.contacts as { customerId: string }[])
      expect(ids.has(c.customerId)).toBe(true);
    const last = await call(`/api/plans/P1?offset=${cli.retention.contacted - 2}`);
    expect(last.body.customers.items).toHaveLength(2);
    expect((await call('/api/plans/P1?limit=501')).status).toBe(400);
    expect((await call('/api/plans/P1?offset=-1')).status).toBe(400);
    expect((await call('/api/plans/P9')).status).toBe(404);
  }, 120_000);
});

describe('campaigns', () => {
  it('creates a campaign from a stored plan (analyst), equal to retain campaign create --json', async () => {
    const body = { plan: 'P1', holdout: 0.3, seed: 7 };
    expect((await call('/api/campaigns', { method: 'POST', token: null, body })).status).toBe(401);
    expect((await call('/api/campaigns', { method: 'POST', token: tokens.viewer, body })).status).toBe(403);
    const bad = await call('/api/campaigns', { method: 'POST', body: { ...body, holdout: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.holdout');
    const none = await call('/api/campaigns', { method: 'POST', body: { ...body, plan: 'P9' } });
    expect(none.status).toBe(404);
    const badStart = await call('/api/campaigns', { method: 'POST', body: { ...body, start: '2025-13-01' } });
    expect(badStart.status).toBe(422);
    const r = await call('/api/campaigns', { method: 'POST', body });
    expect(r.status).toBe(201);
    expect(rounded(r.body)).toEqual(rounded(cli.created));
    const again = await call('/api/campaigns', { method: 'POST', body: { ...body, id: 'CMP-P1' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    // the default id of plan P1 is taken too
    expect((await call('/api/campaigns', { method: 'POST', body })).status).toBe(409);
    // the newest plan (P2, a win-back plan) by default; a chosen id for it is free
    const winback = await call('/api/campaigns', { method: 'POST', body: { id: 'WB-1', seed: 3 } });
    expect(winback.status).toBe(201);
    expect(winback.body).toMatchObject({ campaignId: 'WB-1', planId: 'P2', kind: 'winback', seed: 3 });
    expect(winback.body.treatment + winback.body.control).toBe(cli.winback.contacted);
    expect(rounded(winback.body)).toEqual(rounded(cli.createdWinback));
  });

  it('records uploaded outcomes all or nothing, as retain campaign record --json', async () => {
    const good = outcomesCsv(members);
    const path = '/api/campaigns/CMP-P1/outcomes';
    expect((await call(path, { method: 'POST', token: null, form: csvForm(good) })).status).toBe(401);
    expect((await call(path, { method: 'POST', token: tokens.viewer, form: csvForm(good) })).status).toBe(
      403,
    );
    expect((await call('/api/campaigns/NOPE/outcomes', { method: 'POST', form: csvForm(good) })).status).toBe(
      404,
    );
    const notMultipart = await call(path, { method: 'POST', body: { file: good } });
    expect(notMultipart.status).toBe(400);
    expect((await call(path, { method: 'POST', form: new FormData() })).status).toBe(400);

    // good rows first, then a bad outcome on line 4 and a stranger on line 5: nothing is recorded
    const lines = good.trimEnd().split('\n');
    const badOutcome = lines[3]!.replace(/,(retained|churned),/, ',maybe,');
    const bad = [lines[0], lines[1], lines[2], badOutcome, 'NOBODY,retained,1,2025-12-20', ...lines.slice(4)];
    const rejected = await call(path, { method: 'POST', form: csvForm(bad.join('\n') + '\n', 'bad.csv') });
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.code).toBe('unprocessable');
    const issues = rejected.body.error.details.issues as { file: string; line: number; column: string }[];
    expect(issues.map((i) => [i.file, i.line, i.column])).toEqual([
      ['bad.csv', 4, 'outcome'],
      ['bad.csv', 5, 'customer_id'],
    ]);
    expect(JSON.stringify(rejected.body)).not.toContain(dir);
    const before = (await call('/api/campaigns')).body.campaigns.find(
      (c: { campaignId: string }) => c.campaignId === 'CMP-P1',
    );
    expect(before.outcomes).toBe(0);
    const noColumn = await call(path, {
      method: 'POST',
      form: csvForm('customer_id,value\nX,1\n', 'cols.csv'),
    });
    expect(noColumn.status).toBe(422);
    expect(noColumn.body.error.message).toContain('cols.csv');

    const ok = await call(path, { method: 'POST', form: csvForm(good) });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ...cli.recorded, file: 'outcomes.csv' });
    expect(ok.body.inserted).toBe(members.length);
    const same = await call(path, { method: 'POST', form: csvForm(good) });
    expect(same.body).toMatchObject({ inserted: 0, updated: 0, unchanged: members.length });
  });

  it('the list and the measured uplift equal retain campaign list / evaluate --json', async () => {
    const list = await call('/api/campaigns', { token: tokens.viewer });
    expect(rounded(list.body)).toEqual(rounded(cli.list));
    const e = await call('/api/campaigns/CMP-P1/evaluation', { token: tokens.viewer });
    expect(e.status).toBe(200);
    expect(rounded(e.body)).toEqual(rounded(cli.evaluation));
    // what the retention page shows: treatment vs control sizes and rates, the uplift with its interval
    expect(e.body.outcomes).toBe('recorded');
    expect(e.body.overall.treatment.members).toBe(cli.created.treatment);
    expect(e.body.overall.control.members).toBe(cli.created.control);
    expect(e.body.overall.uplift.lower).toBeLessThan(e.body.overall.uplift.estimate);
    expect(e.body.overall.uplift.upper).toBeGreaterThan(e.body.overall.uplift.estimate);
    expect(e.body.byAction.length).toBeGreaterThan(0);
  });
});
