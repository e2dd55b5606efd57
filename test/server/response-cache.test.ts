/**
 * The response cache of the analysis routes (src/server/response-cache.ts) on a real workspace over real
 * HTTP: a kept answer equals a fresh one and the library's; an import or any write drops it; concurrent
 * identical requests are computed once (engine calls counted on the real engine); roles never share an
 * answer; jobs, health and tokens are never cached.
 */
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type App } from '../../src/server/app.js';
import { CACHE_HEADER } from '../../src/server/response-cache.js';
import { generateDemo } from '../../src/demo/index.js';
import { rfmAnalysis } from '../../src/analysis/rfm/rfm-analysis.js';
import type { Engine } from '../../src/engine/engine.js';
import { tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let app: App;
let base = '';
const tokens: Record<'viewer' | 'admin', string> = { viewer: '', admin: '' };
/** Calls the routes made on the engine, by method (the engine itself is the real DuckDB one). */
const calls = new Map<string, number>();
const callsOf = (method: string) => calls.get(method) ?? 0;

/** The workspace's engine, counting the calls made through it. */
function counted(engine: Engine): Engine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(property, callsOf(property) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function call(
  path: string,
  options: { method?: string; token?: string; body?: unknown; form?: FormData } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? tokens.admin}` };
  let body: string | FormData | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(base + path, {
    method: options.method ?? 'GET',
    headers,
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    cache: res.headers.get(CACHE_HEADER),
    text,
    // the bodies are checked field by field below
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: (text ? JSON.parse(text) : null) as any,
  };
}

async function waitJob(id: string) {
  for (let i = 0; i < 1500; i++) {
    const r = await call(`/api/jobs/${id}`);
    if (!['queued', 'running'].includes(r.body.status)) return r.body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${id} did not finish`);
}

function csvForm(table: string, name: string, content: string) {
  const form = new FormData();
  form.append('table', table);
  form.append('file', new Blob([content], { type: 'text/csv' }), name);
  return form;
}

beforeAll(async () => {
  ws = await tempWorkspace();
  await generateDemo(ws.engine, { customers: 500, seed: 3 });
  for (const role of ['viewer', 'admin'] as const)
    tokens[role] = (await ws.engine.createApiToken(`cache ${role}`, role)).token;
  app = await createServer({
    engine: counted(ws.engine),
    dbPath: ws.db,
    auth: 'tokens',
    uploadDir: join(ws.dir, 'uploads'),
    // every engine call on the counted engine (readers would run reads on their own connections)
    readers: 0,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await ws?.cleanup();
});

describe('response cache', () => {
  it('serves a kept answer equal to a fresh one and to the library, without the engine', async () => {
    const first = await call('/api/rfm?bins=5');
    expect(first.status).toBe(200);
    expect(first.cache).toBe('miss');
    const before = callsOf('rfm');
    const again = await call('/api/rfm?bins=5');
    expect(again.cache).toBe('hit');
    expect(again.text).toBe(first.text);
    expect(callsOf('rfm')).toBe(before);
    const { perCustomer: _omit, ...library } = await rfmAnalysis(ws.engine, { bins: 5, perCustomer: false });
    expect(again.body).toEqual(JSON.parse(JSON.stringify(library)));
    // a different query is a different answer
    const four = await call('/api/rfm?bins=4');
    expect(four.cache).toBe('miss');
    expect(four.body.bins).toBe(4);
  });

  it('an import drops the kept answers: the new rows are in the next answer', async () => {
    const search = '/api/customers?search=ZZCACHE';
    const empty = await call(search);
    expect(empty.body.total).toBe(0);
    expect((await call(search)).cache).toBe('hit');
    const infoBefore = (await call('/api/info')).body;
    const r = await call('/api/imports', {
      method: 'POST',
      form: csvForm('customers', 'cache.csv', 'customer_id,signup_date,region\nZZCACHE1,2024-02-03,East\n'),
    });
    expect(r.status).toBe(202);
    expect((await waitJob(r.body.id)).status).toBe('succeeded');
    const after = await call(search);
    expect(after.cache).toBe('miss');
    expect(after.body.total).toBe(1);
    expect(after.body.customers[0].customerId).toBe('ZZCACHE1');
    const infoAfter = (await call('/api/info')).body;
    expect(infoAfter.imports).toBe(infoBefore.imports + 1);
    expect((await call('/api/customers/ZZCACHE1')).body.profile.region).toBe('East');
  });

  it('a write request drops the kept answers', async () => {
    await call('/api/segments/value');
    expect((await call('/api/segments/value')).cache).toBe('hit');
    const created = await call('/api/tokens', { method: 'POST', body: { name: 'another', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect((await call('/api/segments/value')).cache).toBe('miss');
  });

  it('computes concurrent identical requests once', async () => {
    const path = '/api/lifecycle?model=five-stage';
    const before = callsOf('lifecycleStages') + callsOf('lifecycleCounts');
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(path)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.cache === 'miss')).toHaveLength(1);
    expect(answers.filter((a) => a.cache === 'shared')).toHaveLength(11);
    expect(callsOf('lifecycleStages') + callsOf('lifecycleCounts') - before).toBe(1);
  });

  it('never gives one role the answer kept for another', async () => {
    const admin = await call('/api/info', { token: tokens.admin });
    const viewer = await call('/api/info', { token: tokens.viewer });
    expect(admin.body.location).toBe(ws.db);
    expect(viewer.body.location).toBe(basename(ws.db));
    expect((await call('/api/info', { token: tokens.viewer })).body.location).toBe(basename(ws.db));
    expect((await call('/api/info', { token: tokens.admin })).body.location).toBe(ws.db);
  });

  it('checks a token once for concurrent requests', async () => {
    const { token } = await ws.engine.createApiToken('burst', 'viewer');
    const before = callsOf('verifyApiToken');
    const answers = await Promise.all(Array.from({ length: 10 }, () => call('/api/info', { token })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(callsOf('verifyApiToken') - before).toBe(1);
    const stranger = await call('/api/info', { token: 'rtk_not-a-token' });
    expect(stranger.status).toBe(401);
  });

  it('never keeps errors, and leaves jobs, health and tokens uncached', async () => {
    const before = callsOf('customerDetail');
    expect((await call('/api/customers/NOBODY')).status).toBe(404);
    expect((await call('/api/customers/NOBODY')).status).toBe(404);
    expect(callsOf('customerDetail') - before).toBe(2);
    for (const path of ['/api/jobs', '/api/health', '/api/tokens']) {
      const r = await call(path);
      expect(r.status).toBe(200);
      expect(r.cache).toBeNull();
    }
  });
});
