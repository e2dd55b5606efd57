/**
 * `POST /api/survival/table`: Kaplan-Meier and Cox on an uploaded table over a real server and workspace.
 * The answer equals what the built CLI prints for `retain survival km|cox --table FILE --json` on the same
 * file; roles, bad tables (422 naming the file, row/line and field), the size limit, and that no upload is
 * left behind. Run `npm run build` first (the CLI comparison uses dist/).
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type App } from '../../src/server/app.js';
import type { Engine } from '../../src/engine/engine.js';
import { DATASETS, retain, tempDir, tempWorkspace, writeText } from '../helpers.js';

const TELCO_NAME = 'WA_Fn-UseC_-Telco-Customer-Churn.csv';
const UPLOAD_LIMIT = 2 * 1024 * 1024;

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;
let app: App;
let base = '';
let uploads = '';
let files: ReturnType<typeof tempDir>;
let telcoBytes: Buffer;
const telco = () => telcoBytes;
const tokens: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };

/** Numbers to 10 significant digits (the same code runs in both, but JSON round trips may differ). */
const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(10)) : v,
  );

function form(name: string, content: string | Buffer, fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) f.append(k, one);
  f.append(
    'file',
    new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type: 'text/csv' }),
    name,
  );
  return f;
}

async function post(body: FormData, token: string | null = tokens.analyst) {
  const res = await fetch(`${base}/api/survival/table`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body,
  });
  const text = await res.text();
  // checked field by field below
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

/** The CLI's JSON on a file in the test folder, named relative to it (as the upload is named). */
function cliJson(args: string[]): Record<string, unknown> {
  const r = retain(['survival', ...args, '--json'], {}, files.dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const { chart, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(chart ?? null).toBeNull();
  return rest;
}

/** The CLI's error message on a file in the test folder. */
function cliError(args: string[]): string {
  const r = retain(['survival', ...args], {}, files.dir);
  expect(r.code).toBe(1);
  return r.stderr.trim().replace(/^retain: /, '');
}

beforeAll(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
  files = tempDir();
  copyFileSync(join(DATASETS, TELCO_NAME), join(files.dir, TELCO_NAME));
  telcoBytes = readFileSync(join(files.dir, TELCO_NAME));
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await engine.createApiToken(`test ${role}`, role)).token;
  uploads = join(ws.dir, 'uploads');
  app = await createServer({
    engine,
    dbPath: ws.db,
    auth: 'tokens',
    uploadDir: uploads,
    uploadLimit: UPLOAD_LIMIT,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterEach(() => {
  // every request, good or bad, removes its upload
  expect(readdirSync(uploads)).toEqual([]);
});

afterAll(async () => {
  await app?.close();
  await ws?.cleanup();
  files?.cleanup();
});

describe('POST /api/survival/table', () => {
  it('Kaplan-Meier by group equals retain survival km --table --json', async () => {
    const r = await post(
      form(TELCO_NAME, telco(), {
        time: 'tenure',
        event: 'Churn=Yes',
        by: 'Contract',
        at: ['12', '24'],
        confType: 'log-log',
      }),
    );
    expect(r.status).toBe(200);
    const cli = cliJson([
      'km',
      '--table',
      TELCO_NAME,
      '--time',
      'tenure',
      '--event',
      'Churn=Yes',
      '--by',
      'Contract',
      '--at',
      '12,24',
      '--conf-type',
      'log-log',
    ]);
    expect(rounded(r.body)).toEqual(rounded(cli));
    expect(r.body.file).toBe(TELCO_NAME);
    expect(r.body.groups.map((g: { group: string }) => g.group)).toEqual([
      'Month-to-month',
      'One year',
      'Two year',
    ]);
    // R survdiff on the Telco file (test/cli/survival.test.ts)
    expect(r.body.logRank.chisq).toBeCloseTo(2352.8725382593384, 4);
  });

  it('the curve, a comma list of times and a confidence level, as the CLI', async () => {
    const r = await post(
      form(TELCO_NAME, telco(), {
        analysis: 'km',
        time: 'tenure',
        event: 'Churn=Yes',
        at: '6, 36',
        confLevel: '0.9',
        curve: 'true',
      }),
    );
    expect(r.status).toBe(200);
    const cli = cliJson([
      'km',
      '--table',
      TELCO_NAME,
      '--time',
      'tenure',
      '--event',
      'Churn=Yes',
      '--at',
      '6,36',
      '--conf-level',
      '0.9',
      '--curve',
    ]);
    expect(rounded(r.body)).toEqual(rounded(cli));
    expect(r.body.groups[0].curve.time.length).toBeGreaterThan(10);
  });

  it('Cox equals retain survival cox --table --json', async () => {
    const r = await post(
      form(TELCO_NAME, telco(), {
        analysis: 'cox',
        time: 'tenure',
        event: 'Churn=Yes',
        covariates: ['MonthlyCharges', 'SeniorCitizen,Contract'],
        ties: 'breslow',
      }),
    );
    expect(r.status).toBe(200);
    const cli = cliJson([
      'cox',
      '--table',
      TELCO_NAME,
      '--time',
      'tenure',
      '--event',
      'Churn=Yes',
      '--covariates',
      'MonthlyCharges,SeniorCitizen,Contract',
      '--ties',
      'breslow',
    ]);
    expect(rounded(r.body)).toEqual(rounded(cli));
    expect(r.body.terms).toEqual(['MonthlyCharges', 'SeniorCitizen', 'ContractOne year', 'ContractTwo year']);
    expect(r.body.file).toBe(TELCO_NAME);
  });

  it('needs a token and the analyst role', async () => {
    const body = () => form('t.csv', 'id,t,churn\na,3,Yes\nb,5,No\n', { time: 't', event: 'churn=Yes' });
    const none = await post(body(), null);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const viewer = await post(body(), tokens.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.code).toBe('forbidden');
    expect((await post(body(), tokens.analyst)).status).toBe(200);
    expect((await post(body(), tokens.admin)).status).toBe(200);
  });

  it('a non-numeric time is a 422 naming the file, the row and line, and the field, as the CLI', async () => {
    const csv = 'id,t,churn\na,3,Yes\nb,x3,No\nc,4,No\n';
    writeText(files.dir, 'bad.csv', csv);
    const r = await post(form('bad.csv', csv, { time: 't', event: 'churn=Yes' }));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unprocessable');
    const cli = cliError(['km', '--table', 'bad.csv', '--time', 't', '--event', 'churn=Yes']);
    expect(r.body.error.message).toBe(cli);
    expect(r.body.error.message).toBe('bad.csv: row 2, column "t": time "x3" is not a number');
    expect(r.body.error.details).toEqual({ file: 'bad.csv', row: 2, line: 3, field: 't' });
    expect(r.body.error.message).not.toContain(uploads);
  });

  it('a negative time and a missing column are 422s with the CLI message', async () => {
    const csv = 'id,t,churn,plan\na,3,Yes,A\nb,2,No,B\nc,-1,No,A\n';
    writeText(files.dir, 'neg.csv', csv);
    const neg = await post(
      form('neg.csv', csv, { analysis: 'cox', time: 't', event: 'churn=Yes', covariates: 'plan' }),
    );
    expect(neg.status).toBe(422);
    expect(neg.body.error.message).toBe(
      cliError(['cox', '--table', 'neg.csv', '--time', 't', '--event', 'churn=Yes', '--covariates', 'plan']),
    );
    expect(neg.body.error.message).toContain('neg.csv: row 3, column "t": time -1 is negative');
    expect(neg.body.error.details).toEqual({ file: 'neg.csv', row: 3, line: 4, field: 't' });

    const missing = await post(form('neg.csv', csv, { time: 'tenure', event: 'churn=Yes' }));
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toBe(
      cliError(['km', '--table', 'neg.csv', '--time', 'tenure', '--event', 'churn=Yes']),
    );
    expect(missing.body.error.message).toContain('neg.csv: no column "tenure" (--time)');
    expect(missing.body.error.details).toEqual({ file: 'neg.csv' });
  });

  it('bad fields are 400s naming the field', async () => {
    const csv = 'id,t,churn\na,3,Yes\n';
    const fields = async (f: Record<string, string>) =>
      (await post(form('t.csv', csv, f))).body.error.details.map((d: { field: string }) => d.field);
    expect(await fields({ event: 'churn=Yes' })).toEqual(['body.time']);
    expect(await fields({ time: 't', event: 'churn' })).toEqual(['body.event']);
    expect(await fields({ time: 't', event: 'churn=Yes', analysis: 'cox' })).toEqual(['body.covariates']);
    expect(await fields({ time: 't', event: 'churn=Yes', at: 'soon' })).toEqual(['body.at.0']);
    expect(await fields({ time: 't', event: 'churn=Yes', confLevel: '1.5' })).toEqual(['body.confLevel']);
    expect(await fields({ time: 't', event: 'churn=Yes', colour: 'red' })).toEqual(['body.colour']);
    expect(await fields({ time: 't', event: 'churn=Yes', ties: 'breslow' })).toEqual(['body.ties']);
    expect(
      await fields({ analysis: 'cox', time: 't', event: 'churn=Yes', covariates: 'id', by: 'id' }),
    ).toEqual(['body.by']);
    const noFile = new FormData();
    noFile.append('time', 't');
    noFile.append('event', 'churn=Yes');
    const r = await post(noFile);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: 'body.file', message: 'is required' }]);
    const json = await fetch(`${base}/api/survival/table`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
  });

  it('refuses an upload over the limit with a 413 and keeps nothing', async () => {
    const row = 'a,3,Yes\n';
    const big = 'id,t,churn\n' + row.repeat(Math.ceil((UPLOAD_LIMIT + 1024) / row.length));
    const r = await post(form('big.csv', big, { time: 't', event: 'churn=Yes' }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('is in the OpenAPI document', async () => {
    const res = await fetch(`${base}/api/openapi.json`, {
      headers: { authorization: `Bearer ${tokens.viewer}` },
    });
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/api/survival/table']?.post).toBeDefined();
  });
});
