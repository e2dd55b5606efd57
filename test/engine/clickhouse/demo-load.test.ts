/** The demo generator loads the same rows into ClickHouse as into DuckDB (its bulk path). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouse, demoTwins, type Twins } from './twins.js';

describe.skipIf(!clickhouse)('demo data on ClickHouse', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await demoTwins('retain_test_demo_load', 2000);
  }, 120_000);
  afterAll(async () => t?.close());

  it('has the same tables, rows and date ranges in both engines', async () => {
    const a = await t.duck.info();
    const b = await t.ch.info();
    expect(b.tables).toEqual(a.tables);
    expect(b.tables.find((x) => x.table === 'transactions')!.rows).toBeGreaterThan(2000);
    const sums = 'SELECT count() AS n, sum(amount) AS s, sum(quantity) AS q FROM transactions';
    const [d] = await t.duck.query(sums.replace('count()', 'count(*)'));
    const [c] = await t.ch.query(sums);
    expect(Number(c!.n)).toBe(Number(d!.n));
    expect(Math.abs(Number(c!.s) - Number(d!.s)) / Number(d!.s)).toBeLessThan(1e-9);
  });
});
