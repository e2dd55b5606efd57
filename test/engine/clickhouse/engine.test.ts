/**
 * The ClickHouse engine's own operations against the real two-shard test cluster: schema, imports (same
 * validation and counts as DuckDB, all-or-nothing, idempotent), stub customers, upserts, info, fits,
 * tokens, jobs, reason codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import type { Engine } from '../../../src/engine/engine.js';
import type { ClickHouseEngine } from '../../../src/engine/clickhouse/clickhouse-engine.js';
import { tempDir, tempWorkspace, writeText } from '../../helpers.js';
import { cdnowTwins, clickhouse, openClickHouse, type Twins } from './twins.js';

const counts = async (e: Engine) => (await e.info()).tables.map((t) => [t.table, t.rows, t.from, t.to]);

describe.skipIf(!clickhouse)('ClickHouse engine', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await cdnowTwins('retain_test_engine');
  }, 120_000);
  afterAll(async () => t?.close());

  it('holds the same rows as DuckDB after importing CDNOW, spread over both shards', async () => {
    expect(await counts(t.ch)).toEqual(await counts(t.duck));
    const info = await t.ch.info();
    expect(info.engine).toBe('clickhouse');
    expect(info.tables.find((x) => x.table === 'transactions')!.rows).toBe(6919);
    expect(info.stubCustomers).toBe(2357);
    expect(info.imports).toBe(1);
    // shard-local tables each hold part of the customers, and no customer is on both
    const perShard = await t.ch.conn.onShards((c) =>
      t.ch.conn.queryOn(c, `SELECT DISTINCT customer_id FROM ${t.ch.conn.local('transactions')}`),
    );
    expect(perShard.every((rows) => rows.length > 0)).toBe(true);
    const ids = perShard.map((rows) => new Set(rows.map((r) => String(r.customer_id))));
    expect([...ids[0]!].filter((id) => ids[1]!.has(id))).toEqual([]);
    expect(ids[0]!.size + ids[1]!.size).toBe(2357);
  });

  it('adds nothing when the same file is imported again, and counts the duplicates as DuckDB does', async () => {
    const { importCdnowSample } = await import('../../helpers.js');
    const before = await counts(t.ch);
    await importCdnowSample(t.ch);
    await importCdnowSample(t.duck);
    expect(await counts(t.ch)).toEqual(before);
    const last = async (e: Engine) =>
      (
        await e.query(`SELECT rows_read, rows_inserted, rows_updated, rows_duplicate, rows_rejected, stub_customers
        FROM imports ORDER BY import_id DESC LIMIT 1`)
      )[0];
    const [d, c] = [await last(t.duck), await last(t.ch)];
    expect(c).toEqual(d);
    expect(Number(c!.rows_duplicate)).toBe(6919);
    expect(await t.ch.transactionsFingerprint()).toBe(await t.ch.transactionsFingerprint());
    expect(await t.ch.lastTransactionDay()).toBe(await t.duck.lastTransactionDay());
  });
});

describe.skipIf(!clickhouse)('ClickHouse imports', () => {
  let ch: ClickHouseEngine;
  let duck: Awaited<ReturnType<typeof tempWorkspace>>;
  const files = tempDir();
  beforeAll(async () => {
    ch = await openClickHouse('retain_test_imports');
    duck = await tempWorkspace();
  }, 60_000);
  afterAll(async () => {
    await ch?.close();
    await duck?.cleanup();
    files.cleanup();
  });

  const both = async (
    table: 'customers' | 'transactions' | 'churn_events' | 'campaigns',
    name: string,
    text: string,
  ) => {
    const file = writeText(files.dir, name, text);
    const a = await importFile(duck.engine, { table, file });
    const b = await importFile(ch, { table, file });
    return { a, b };
  };
  const strip = (r: { seconds: number }) => ({ ...r, seconds: 0 });

  it('reports the same result as DuckDB: stubs, then an upsert of customers replacing the stubs', async () => {
    const tx = await both(
      'transactions',
      'tx.csv',
      'customer_id,date,amount,note_col\nA1,2024-01-05,10.5,x\nA2,2024-02-01 13:45:10,-3,y\nA1,2024-01-05,10.5,x\nB\\1,2024-03-01,0,"tab\there"\n',
    );
    expect(strip(tx.b)).toEqual(strip(tx.a));
    expect(tx.b.stubCustomers).toBe(3);
    const cu = await both(
      'customers',
      'cu.csv',
      'customer_id,signup_date,region\nA1,2023-12-01,north\nA9,2023-11-01,"south, ""far"""\n',
    );
    expect(strip(cu.b)).toEqual(strip(cu.a));
    expect([cu.b.inserted, cu.b.updated]).toEqual([1, 1]);
    // the same customers again: nothing changes; one changed region: one update
    const again = await both(
      'customers',
      'cu.csv',
      'customer_id,signup_date,region\nA1,2023-12-01,north\nA9,2023-11-01,west\n',
    );
    expect(strip(again.b)).toEqual(strip(again.a));
    expect([again.b.inserted, again.b.updated, again.b.duplicates]).toEqual([0, 1, 1]);
    const rows = async (e: Engine, sql: string) =>
      (await e.query(sql)).map((r) => JSON.stringify(Object.values(r)));
    const q = `SELECT customer_id, region, is_stub FROM customers ORDER BY customer_id`;
    const duckRows = (await duck.engine.query(q)).map((r) => [r.customer_id, r.region, r.is_stub ? 1 : 0]);
    expect((await ch.query(q)).map((r) => [r.customer_id, r.region, r.is_stub])).toEqual(duckRows);
    // text with backslashes and tabs arrives unchanged
    expect(await rows(ch, `SELECT customer_id FROM ${ch.t('transactions')} WHERE amount = 0`)).toEqual([
      '["B\\\\1"]',
    ]);
  });

  // 18.16 reads some doubles written with an exponent (1.05e-08) one unit in the last place off
  it('stores every amount exactly as DuckDB does (binary transfer, no text parsing of doubles)', async () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines = ['customer_id,date,amount'];
    for (let i = 0; i < 3000; i++)
      lines.push(
        `X${i % 97},2024-0${1 + (i % 9)}-1${i % 10} 0${i % 10}:1${i % 6}:2${i % 10},${(Math.exp(next() * 40 - 20) * (i % 2 ? 1 : -1)).toPrecision(17)}`,
      );
    await both('transactions', 'exact.csv', lines.join('\n') + '\n');
    const q = `SELECT customer_id, amount FROM transactions WHERE customer_id LIKE 'X%' ORDER BY customer_id, amount`;
    const a = (await duck.engine.query(q)).map((r) => [r.customer_id, r.amount]);
    const b = (await ch.query(q)).map((r) => [r.customer_id, r.amount]);
    expect(b).toHaveLength(3000);
    expect(b).toEqual(a);
    const t = `SELECT customer_id, %s AS d FROM transactions WHERE customer_id LIKE 'X%' ORDER BY customer_id, d`;
    const days = (await duck.engine.query(t.replace('%s', `strftime("date", '%Y-%m-%d %H:%M:%S')`))).map(
      (r) => r.d,
    );
    expect((await ch.query(t.replace('%s', 'toString(date)'))).map((r) => r.d)).toEqual(days);
  });

  it('writes nothing when a file is rejected, and names file, line and field', async () => {
    const before = await counts(ch);
    const file = writeText(
      files.dir,
      'bad.csv',
      'customer_id,date,amount\nA1,2024-01-05,10\nA2,2024-13-45,3\n',
    );
    await expect(importFile(ch, { table: 'transactions', file })).rejects.toThrow(
      /bad\.csv:line 3 column "date" value "2024-13-45"/,
    );
    expect(await counts(ch)).toEqual(before);
  });

  it('refuses dates before 1970, which ClickHouse cannot store, and writes nothing', async () => {
    const before = await counts(ch);
    const file = writeText(files.dir, 'old.csv', 'customer_id,date,amount\nA1,1969-12-31,10\n');
    await expect(importFile(ch, { table: 'transactions', file })).rejects.toThrow(/outside 1970-01-01/);
    expect(await counts(ch)).toEqual(before);
  });

  it('keeps fits, tokens, jobs and reason codes', async () => {
    const fit = await ch.saveModelFit({
      model: 'bgnbd',
      timeUnit: 'week',
      calibrationEnd: '2024-01-01',
      fingerprint: 'f',
      document: { r: 0.25, 'a"b': 'x\\y' },
    });
    expect(fit.fitId).toBe(1);
    expect((await ch.loadModelFit('bgnbd'))!.document).toEqual({ r: 0.25, 'a"b': 'x\\y' });
    expect(await ch.listModelFits()).toHaveLength(1);
    const token = await ch.createApiToken('me', 'admin');
    expect((await ch.verifyApiToken(token.token))!.lastUsedAt).not.toBeNull();
    expect(await ch.revokeApiToken(token.id)).toBe(true);
    expect(await ch.verifyApiToken(token.token)).toBeNull();
    expect(await ch.revokeApiToken(token.id)).toBe(false);
    expect((await ch.listApiTokens()).map((x) => x.id)).toEqual([token.id]);
    const job = {
      id: 'j1',
      kind: 'clv-fit',
      status: 'running',
      createdBy: 'T1',
      createdAt: '2026-01-01T00:00:00Z',
      startedAt: null,
      finishedAt: null,
      params: { a: 1 },
      result: null,
      error: null,
    };
    await ch.saveJob(job);
    await ch.saveJob({ ...job, status: 'done', result: { ok: true } });
    expect(await ch.storedJobs(10)).toEqual([{ ...job, status: 'done', result: { ok: true } }]);
    const codes = await ch.reasonCodes();
    expect(codes).toEqual(await duck.engine.reasonCodes());
    await ch.saveReasonCodes([{ ...codes[0]!, reason: 'changed' }]);
    expect((await ch.reasonCodes())[0]!.reason).toBe('changed');
    expect(await ch.reasonCodes()).toHaveLength(codes.length);
  });

  it('runs on one server without a cluster too', async () => {
    const single = await openClickHouse('retain_test_single', false);
    try {
      const file = writeText(
        files.dir,
        'one.csv',
        'customer_id,date,amount\nA1,2024-01-05,10\nA2,2024-01-06,3\n',
      );
      const r = await importFile(single, { table: 'transactions', file });
      expect([r.inserted, r.stubCustomers]).toEqual([2, 2]);
      expect((await single.info()).tables.find((x) => x.table === 'customers')!.rows).toBe(2);
    } finally {
      await single.close();
    }
  });
});
