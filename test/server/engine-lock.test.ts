/**
 * The engine lock with readers (src/server/engine-lock.ts) on a real DuckDB workspace: reads overlap,
 * each on its own connection; a write runs alone on the workspace's connection and excludes reads;
 * waiters are served in arrival order; without readers every call runs alone. Then the server with
 * readers: concurrent different reads answer what the library answers, also beside an import.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { DuckDbEngine } from '../../src/engine/duckdb/duckdb-engine.js';
import {
  duckDbReaders,
  EngineLock,
  engineFor,
  runAsReader,
  runUrgently,
  scopedEngine,
} from '../../src/server/engine-lock.js';
import { createServer, type App } from '../../src/server/app.js';
import { generateDemo } from '../../src/demo/index.js';
import { rfmAnalysis } from '../../src/analysis/rfm/rfm-analysis.js';
import { valueSegmentation } from '../../src/analysis/segments/value-segmentation.js';
import { tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;

beforeAll(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
  await generateDemo(engine, { customers: 300, seed: 5 });
}, 60_000);

afterAll(async () => {
  await ws?.cleanup();
});

/** A promise and its resolver. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Fails instead of hanging when calls that should overlap were serialised. */
const within = <T>(work: Promise<T>, ms = 10_000): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('calls did not overlap')), ms)),
  ]);

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('engine lock with readers', () => {
  it('runs two reads at once, each on its own connection', async () => {
    const readers = duckDbReaders(engine, 2)!;
    const lock = new EngineLock(readers);
    try {
      const aHolds = gate();
      const seen: Engine[] = [];
      const a = runAsReader(() =>
        lock.run(async () => {
          const mine = engineFor(engine);
          seen.push(mine);
          await mine.query('CREATE TEMP TABLE lock_probe AS SELECT 1 AS x');
          await aHolds.opened; // held until b has run: b must not wait for a
          return (await mine.query('SELECT count(*) AS n FROM lock_probe'))[0]!.n;
        }),
      );
      const b = runAsReader(() =>
        lock.run(async () => {
          const mine = engineFor(engine);
          seen.push(mine);
          // a's temp table is on a's connection only
          const visible = await mine.query(
            `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'lock_probe'`,
          );
          const rows = await mine.query('SELECT count(*) AS n FROM customers');
          aHolds.open();
          return { visible: visible[0]!.n, customers: rows[0]!.n };
        }),
      );
      const [na, rb] = await within(Promise.all([a, b]));
      expect(na).toBe(1);
      expect(rb).toEqual({ visible: 0, customers: 300 });
      expect(seen).toHaveLength(2);
      expect(seen[0]).not.toBe(seen[1]);
      expect(seen).not.toContain(engine);
    } finally {
      await readers.close();
    }
  });

  it('runs a write alone on the workspace connection, in arrival order with reads', async () => {
    const readers = duckDbReaders(engine, 2)!;
    const lock = new EngineLock(readers);
    try {
      const order: string[] = [];
      const firstHolds = gate();
      const first = runAsReader(() =>
        lock.run(async () => {
          order.push('read 1 start');
          await firstHolds.opened;
          order.push('read 1 end');
        }),
      );
      const write = lock.run(async () => {
        order.push('write start');
        expect(engineFor(engine)).toBe(engine);
        await engine.query(`CREATE TABLE lock_write AS SELECT 42 AS answer`);
        await tick();
        order.push('write end');
      });
      // arrives after the write: waits for it although a reader connection is free
      const second = runAsReader(() =>
        lock.run(async () => {
          order.push('read 2 start');
          return (await engineFor(engine).query('SELECT answer FROM lock_write'))[0]!.answer;
        }),
      );
      await tick();
      expect(order).toEqual(['read 1 start']);
      expect(lock.pending).toBe(2);
      firstHolds.open();
      const [, , answer] = await within(Promise.all([first, write, second]));
      expect(order).toEqual(['read 1 start', 'read 1 end', 'write start', 'write end', 'read 2 start']);
      expect(answer).toBe(42);
      expect(lock.pending).toBe(0);
    } finally {
      await engine.query('DROP TABLE IF EXISTS lock_write');
      await readers.close();
    }
  });

  it('keeps a reader for short reads while long ones wait', async () => {
    const readers = duckDbReaders(engine, 2)!;
    const lock = new EngineLock(readers);
    try {
      const order: string[] = [];
      const longHolds = gate();
      const read = (name: string, kind: 'short' | 'long', wait?: Promise<void>) =>
        runAsReader(
          () =>
            lock.run(async () => {
              order.push(`${name} start`);
              await wait;
              await engineFor(engine).query('SELECT 1');
              order.push(`${name} end`);
            }),
          kind,
        );
      const long1 = read('long 1', 'long', longHolds.opened);
      const long2 = read('long 2', 'long');
      const short = read('short', 'short');
      await within(short);
      // the short read ran on the second reader while the first long one held the first
      expect([...order].sort()).toEqual(['long 1 start', 'short end', 'short start']);
      longHolds.open();
      await within(Promise.all([long1, long2]));
      expect(order.slice(3)).toEqual(['long 1 end', 'long 2 start', 'long 2 end']);
    } finally {
      await readers.close();
    }
  });

  it('without readers, or outside a read route, runs one call at a time', async () => {
    const readers = duckDbReaders(engine, 2)!;
    const cases: [EngineLock, boolean][] = [
      [new EngineLock(), true], // no readers: even read routes take turns
      [new EngineLock(readers), false], // readers, but not asked from a read route
    ];
    try {
      for (const [lock, fromReadRoute] of cases) {
        let running = 0;
        let most = 0;
        const call = () =>
          lock.run(async () => {
            running++;
            most = Math.max(most, running);
            expect(engineFor(engine)).toBe(engine);
            await tick();
            running--;
          });
        await Promise.all([1, 2, 3].map(() => (fromReadRoute ? runAsReader(call) : call())));
        expect(most).toBe(1);
      }
    } finally {
      await readers.close();
    }
  });

  it('runs an urgent call before the calls already waiting', async () => {
    for (const lock of [new EngineLock(), new EngineLock(duckDbReaders(engine, 2))]) {
      const order: string[] = [];
      const firstHolds = gate();
      const call = (name: string, wait?: Promise<void>) =>
        lock.run(async () => {
          order.push(name);
          await wait;
        });
      const first = call('first', firstHolds.opened);
      const queued = [call('second'), call('third')];
      const urgent = [runUrgently(() => call('urgent 1')), runUrgently(() => call('urgent 2'))];
      await tick();
      firstHolds.open();
      await within(Promise.all([first, ...queued, ...urgent]));
      expect(order).toEqual(['first', 'urgent 1', 'urgent 2', 'second', 'third']);
    }
  });

  it('an error reaches its caller only and frees the lock', async () => {
    const readers = duckDbReaders(engine, 1)!;
    const lock = new EngineLock(readers);
    try {
      const bad = runAsReader(() => lock.run(() => engineFor(engine).query('SELECT * FROM no_such_table')));
      const good = runAsReader(() => lock.run(() => engineFor(engine).query('SELECT 7 AS n')));
      await expect(bad).rejects.toThrow(/no_such_table/);
      expect((await within(good))[0]!.n).toBe(7);
    } finally {
      await readers.close();
    }
  });

  it('scopedEngine reads every property from the engine of the current call', async () => {
    const readers = duckDbReaders(engine, 1)!;
    const lock = new EngineLock(readers);
    try {
      const scoped = scopedEngine(engine);
      expect(scoped.location).toBe(engine.location);
      const inRead = await runAsReader(() => lock.run(async () => engineFor(engine)));
      expect(inRead).not.toBe(engine);
      expect(await runAsReader(() => lock.run(() => scoped.lastTransactionDay()))).toBe(
        await engine.lastTransactionDay(),
      );
    } finally {
      await readers.close();
    }
  });
});

describe('server with readers', () => {
  let app: App;
  let base = '';
  let token = '';
  /** Readers the server opened (each on first use). */
  let opened = 0;

  beforeAll(async () => {
    token = (await engine.createApiToken('readers', 'admin')).token;
    const duck = engine as DuckDbEngine;
    const openReader = duck.openReader.bind(duck);
    duck.openReader = () => {
      opened++;
      return openReader();
    };
    app = await createServer({
      engine,
      dbPath: ws.db,
      auth: 'tokens',
      uploadDir: join(ws.dir, 'uploads'),
      readers: 3,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = async (path: string): Promise<any> => {
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return res.json();
  };
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

  it('answers concurrent different reads as the library does', async () => {
    const { perCustomer: _r, ...rfmLib } = await rfmAnalysis(engine, { bins: 3, perCustomer: false });
    const { perCustomer: _v, ...valueLib } = await valueSegmentation(engine, 'value', {});
    const pageLib = await engine.customerList({ limit: 20, offset: 40, sort: 'revenue' });
    const [rfm, value, abc, page] = await Promise.all([
      get('/api/rfm?bins=3'),
      get('/api/segments/value'),
      get('/api/segments/abc'),
      get('/api/customers?limit=20&offset=40&sort=revenue'),
    ]);
    expect(rfm).toEqual(json(rfmLib));
    expect(value).toEqual(json(valueLib));
    expect(abc.segmentation).toBe('abc');
    expect(page).toEqual(json(pageLib));
    // the four ran on readers, not on the workspace's connection
    expect(opened).toBeGreaterThanOrEqual(2);
  });

  it('reads beside an import see the data before or after it, never a part', async () => {
    const before = (await engine.customerList({ limit: 0, offset: 0 })).total;
    const form = new FormData();
    form.append('table', 'customers');
    form.append(
      'file',
      new Blob(['customer_id,signup_date\nZZREAD1,2024-03-04\nZZREAD2,2024-03-05\n']),
      'readers.csv',
    );
    const submitted = fetch(`${base}/api/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    }).then((r) => r.json() as Promise<{ id: string }>);
    const totals = await Promise.all(
      Array.from({ length: 8 }, (_, i) => get(`/api/customers?limit=1&offset=${i}`).then((p) => p.total)),
    );
    for (const t of totals) expect([before, before + 2]).toContain(t);
    const { id } = await submitted;
    for (let i = 0; i < 500; i++) {
      const job = await get(`/api/jobs/${id}`);
      if (job.status === 'succeeded') break;
      expect(['queued', 'running']).toContain(job.status);
      await tick();
    }
    expect((await get('/api/customers?search=ZZREAD')).total).toBe(2);
    expect((await get('/api/customers?limit=1')).total).toBe(before + 2);
  });
});
