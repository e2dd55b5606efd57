/**
 * The REST API on the ClickHouse engine gives the same answers as on DuckDB: two real servers, one on a
 * DuckDB workspace file and one on a ClickHouse database on the two-shard test cluster, both holding the
 * seeded demo; every read route below is called on both and the bodies compared (numbers to 10
 * significant digits, `rounded`: sums over shards add in another order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, rounded, type ApiHarness } from './harness.js';
import { clickhouse, openClickHouse, dropDatabase } from '../engine/clickhouse/twins.js';

const DB = 'retain_test_api';

/** Read routes that both engines answer (each added when its analysis runs on ClickHouse). */
const SAME_ON_BOTH = [
  '/api/health',
  '/api/lifecycle/rules',
  '/api/alerts/rules',
  '/api/reports',
  '/api/clv/fits',
];

describe.skipIf(!clickhouse)('REST API on ClickHouse', () => {
  let duck: ApiHarness;
  let ch: ApiHarness;
  beforeAll(async () => {
    duck = await startApiServer({ customers: 2000, seed: 1 });
    ch = await startApiServer({ customers: 2000, seed: 1, engine: () => openClickHouse(DB) });
  }, 180_000);
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
  });

  it.each(SAME_ON_BOTH)('answers %s as DuckDB does', async (path) => {
    const [a, b] = [await duck.call(path), await ch.call(path)];
    expect(b.status).toBe(a.status);
    expect(a.status).toBe(200);
    expect(rounded(b.body)).toEqual(rounded(a.body));
  });

  it('checks tokens stored in ClickHouse', async () => {
    expect((await ch.call('/api/info', { token: null })).status).toBe(401);
    expect((await ch.call('/api/info', { token: 'rtk_wrong' })).status).toBe(401);
    expect((await ch.call('/api/info', { token: 'viewer' })).status).toBe(200);
  });
});
