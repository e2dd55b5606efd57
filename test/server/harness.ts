/**
 * A real API server for route tests: a temporary DuckDB workspace with the seeded demo, one token per role,
 * `createServer` on a loopback port, and small clients for JSON calls and jobs.
 */
import { join } from 'node:path';
import { createServer, type App, type ServerOptions } from '../../src/server/app.js';
import { generateDemo } from '../../src/demo/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { tempWorkspace } from '../helpers.js';

export type Role = 'viewer' | 'analyst' | 'admin';

export interface CallOptions {
  readonly method?: string;
  /** A role's token (default admin), a token string, or null for none. */
  readonly token?: string | null;
  readonly body?: unknown;
  readonly form?: FormData;
}

export interface ApiHarness {
  readonly ws: Awaited<ReturnType<typeof tempWorkspace>>;
  readonly engine: Engine;
  readonly app: App;
  readonly base: string;
  readonly tokens: Record<Role, string>;
  raw(path: string, options?: CallOptions): Promise<Response>;
  // response bodies are checked field by field in the tests; the schemas are the API's own
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(path: string, options?: CallOptions): Promise<{ status: number; body: any }>;
  /** Poll a job until it ends (queued / running); its final state. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  waitJob(id: string): Promise<any>;
  close(): Promise<void>;
}

/** Numbers to 10 significant digits: DuckDB's parallel sums may differ in the last bits between runs. */
export const rounded = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'number' ? Number(v.toPrecision(10)) : v,
  );

export async function startApiServer(
  options: {
    customers?: number;
    seed?: number;
    server?: Partial<ServerOptions>;
    /** Another workspace engine (ClickHouse) instead of the temporary DuckDB file; closed with the server. */
    engine?: () => Promise<Engine>;
  } = {},
): Promise<ApiHarness> {
  const ws = await tempWorkspace();
  const engine = options.engine ? await options.engine() : ws.engine;
  await generateDemo(engine, { customers: options.customers ?? 2000, seed: options.seed ?? 1 });
  const tokens = { viewer: '', analyst: '', admin: '' } as Record<Role, string>;
  for (const role of ['viewer', 'analyst', 'admin'] as const)
    tokens[role] = (await engine.createApiToken(`test ${role}`, role)).token;
  const app = await createServer({
    engine,
    dbPath: ws.db,
    auth: 'tokens',
    uploadDir: join(ws.dir, 'uploads'),
    modelsDir: join(ws.dir, 'models'),
    ...options.server,
  });
  const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace(/\/$/, '');
  const raw = (path: string, o: CallOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    const token = o.token === undefined ? tokens.admin : o.token;
    if (token) headers.authorization = `Bearer ${token in tokens ? tokens[token as Role] : token}`;
    let body: string | FormData | undefined;
    if (o.form) body = o.form;
    else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    }
    return fetch(base + path, { method: o.method ?? 'GET', headers, ...(body ? { body } : {}) });
  };
  const call = async (path: string, o: CallOptions = {}) => {
    const res = await raw(path, o);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const waitJob = async (id: string) => {
    for (let i = 0; i < 3000; i++) {
      const r = await call(`/api/jobs/${id}`);
      if (!['queued', 'running'].includes(r.body.status)) return r.body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`job ${id} did not finish`);
  };
  return {
    ws,
    engine,
    app,
    base,
    tokens,
    raw,
    call,
    waitJob,
    close: async () => {
      await app.close();
      if (engine !== ws.engine) await engine.close();
      await ws.cleanup();
    },
  };
}
