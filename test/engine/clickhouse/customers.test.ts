/**
 * The customer list and one customer's record on ClickHouse against DuckDB, on the demo (2,000 customers,
 * both shards): every sort, pages, searches (also with no match), before and after churn scores, lifecycle
 * stages and tiers are stored; several customers' records (with churn events, subscriptions, scores) and
 * an unknown id; and a smaller demo on one server (no Distributed tables). Counts, ids, dates and order exactly; money and probabilities within 1e-9 relative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerListQuery } from '../../../src/engine/customer-list-types.js';
import type { ClickHouseEngine } from '../../../src/engine/clickhouse/clickhouse-engine.js';
import { generateDemo } from '../../../src/demo/index.js';
import { tempWorkspace } from '../../helpers.js';
import { clickhouse, demoTwins, dropDatabase, openClickHouse, type Twins } from './twins.js';
import { expectSame, fakeProbability, saveScores } from './planning-compare.js';

describe.skipIf(!clickhouse)('ClickHouse customer list and record', () => {
  let t: Twins;
  let ids: string[];
  beforeAll(async () => {
    t = await demoTwins('retain_test_customers');
    ids = (await t.duck.query(`SELECT customer_id FROM customers ORDER BY 1`)).map((r) =>
      String(r.customer_id),
    );
  }, 120_000);
  afterAll(async () => t?.close());

  const queries: CustomerListQuery[] = [
    { limit: 25, offset: 0 },
    { limit: 25, offset: 40, sort: 'id' },
    { limit: 30, offset: 0, sort: 'revenue' },
    { limit: 30, offset: 1990, sort: 'revenue' },
    { limit: 20, offset: 100, sort: 'churn' },
    { limit: 50, offset: 0, sort: 'churn', search: '0001' },
    { limit: 10, offset: 3, sort: 'revenue', search: 'c00002' },
    { limit: 10, offset: 0, search: 'no such customer' },
    { limit: 10, offset: 5000 },
  ];

  const compareLists = async () => {
    for (const q of queries) {
      const [a, b] = [await t.duck.customerList(q), await t.ch.customerList(q)];
      expectSame(a, b);
    }
  };

  it('pages, sorts and searches as DuckDB does without scores or stages', async () => {
    const first = await t.ch.customerList({ limit: 25, offset: 0, sort: 'revenue' });
    expect(first.total).toBe(2000);
    expect(first.customers).toHaveLength(25);
    expect(first.scoresAsOf).toBeNull();
    expect(new Set(first.customers.map((c) => c.revenue)).size).toBeGreaterThan(10);
    await compareLists();
  });

  it('pages and sorts by stored churn scores and lifecycle stages as DuckDB does', async () => {
    // two scoring days: the list reads the latest, shortest horizon
    await saveScores(
      t.duck,
      t.ch,
      '2025-11-30',
      90,
      ids,
      ids.map((id) => fakeProbability(id, 1)),
    );
    const scored = ids.filter((_, i) => i % 3 !== 0);
    await saveScores(
      t.duck,
      t.ch,
      '2025-12-31',
      90,
      scored,
      scored.map((id) => fakeProbability(id, 2)),
    );
    await saveScores(
      t.duck,
      t.ch,
      '2025-12-31',
      30,
      scored,
      scored.map((id) => fakeProbability(id, 3)),
    );
    const staged = ids.filter((_, i) => i % 4 !== 1);
    const states = ['new', 'active', 'at_risk', 'lapsed'];
    const rows = staged.map((id, i) => ({
      month_end: '2025-12-31',
      customer_id: id,
      state: states[i % 4]!,
      four_stage: `F${i % 4}`,
      five_stage: `V${i % 5}`,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await t.duck.query(
        `INSERT INTO lifecycle_history (month_end, customer_id, state, four_stage, five_stage) VALUES ${rows
          .slice(i, i + 500)
          .map(
            (r) =>
              `('${r.month_end}', '${r.customer_id}', '${r.state}', '${r.four_stage}', '${r.five_stage}')`,
          )
          .join(', ')}`,
      );
    await t.ch.conn.insertRows(t.ch.t('lifecycle_history'), rows);
    const churn = await t.ch.customerList({ limit: 20, offset: 0, sort: 'churn' });
    expect(churn.scoresAsOf).toBe('2025-12-31');
    expect(churn.churnHorizonDays).toBe(30);
    expect(churn.stageAsOf).toBe('2025-12-31');
    expect(churn.customers.every((c) => c.churnProbability !== null)).toBe(true);
    const tail = await t.ch.customerList({ limit: 20, offset: 1990, sort: 'churn' });
    expect(tail.customers.some((c) => c.churnProbability === null)).toBe(true);
    await compareLists();
  });

  it("reads one customer's record as DuckDB does", async () => {
    const [withChurn] = await t.duck.query(`SELECT min(customer_id) AS id FROM churn_events`);
    const [withSubs] = await t.duck.query(
      `SELECT customer_id AS id FROM subscriptions GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1`,
    );
    const [withAlerts] = await t.duck.query(`SELECT max(customer_id) AS id FROM transactions`);
    const chosen = [String(withChurn!.id), String(withSubs!.id), String(withAlerts!.id), ids[0]!, ids[1]!];
    // an alert and stored tiers for the last month end
    await t.duck.query(
      `INSERT INTO customer_alerts (as_of, customer_id, level, severity, recency, f_down, m_down, fired)
       VALUES ('2025-12-31', '${chosen[2]}', 'red', 3, 40, 50.5, NULL, 2)`,
    );
    await t.ch.conn.insertRows(t.ch.t('customer_alerts'), [
      {
        as_of: '2025-12-31',
        customer_id: chosen[2],
        level: 'red',
        severity: 3,
        recency: 40,
        f_down: 50.5,
        m_down: null,
        fired: 2,
      },
    ]);
    const records = async () => {
      for (const id of chosen) {
        const [a, b] = [await t.duck.customerDetail(id), await t.ch.customerDetail(id)];
        expect(b).not.toBeNull();
        expectSame(a, b);
      }
    };
    const one = (await t.ch.customerDetail(chosen[0]!))!;
    expect(one.churnEvents.length).toBeGreaterThan(0);
    expect(one.transactions.monthly.length).toBeGreaterThan(1);
    expect(one.value?.thresholds).not.toBeNull();
    expect((await t.ch.customerDetail(chosen[1]!))!.subscriptions.length).toBeGreaterThan(1);
    expect((await t.ch.customerDetail(chosen[2]!))!.alerts).toHaveLength(1);
    await records();
    // thresholds recorded with the month end's stages are read back instead of computed
    await t.duck.query(
      `INSERT INTO lifecycle_tiers (month_end, high, medium) VALUES ('2025-12-31', 500.25, 120.5)`,
    );
    await t.ch.conn.insertRows(t.ch.t('lifecycle_tiers'), [
      { month_end: '2025-12-31', high: 500.25, medium: 120.5, version: 1, deleted: 0 },
    ]);
    expect((await t.ch.customerDetail(chosen[0]!))!.value?.thresholds).toEqual({
      high: 500.25,
      medium: 120.5,
    });
    await records();
    expect(await t.ch.customerDetail('no such customer')).toBeNull();
    expect(await t.duck.customerDetail('no such customer')).toBeNull();
  });
});

describe.skipIf(!clickhouse)('ClickHouse customer list, campaigns and lost customers on one server', () => {
  let ch: ClickHouseEngine;
  let duck: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    ch = await openClickHouse('retain_test_customers_one', false);
    duck = await tempWorkspace();
    for (const e of [duck.engine, ch]) await generateDemo(e, { customers: 300, seed: 3 });
    const ids = (await duck.engine.query(`SELECT customer_id FROM customers ORDER BY 1`)).map((r) =>
      String(r.customer_id),
    );
    await saveScores(
      duck.engine,
      ch,
      '2025-12-31',
      90,
      ids,
      ids.map((id) => fakeProbability(id, 4)),
    );
  }, 120_000);
  afterAll(async () => {
    await ch?.close();
    await duck?.cleanup();
    await dropDatabase('retain_test_customers_one');
  });

  it('gives the same results as DuckDB without a cluster (sharded tables are the local ones)', async () => {
    for (const q of [
      { limit: 20, offset: 10, sort: 'revenue' as const },
      { limit: 20, offset: 0, sort: 'churn' as const },
    ]) {
      const b = await ch.customerList(q);
      expect(b.customers).toHaveLength(20);
      expectSame(await duck.engine.customerList(q), b);
    }
    const [c] = await duck.engine.query(`SELECT min(customer_id) AS id FROM churn_events`);
    expectSame(await duck.engine.customerDetail(String(c!.id)), await ch.customerDetail(String(c!.id)));
    const lost = await ch.lostCustomers({});
    expect(lost.customers.length).toBeGreaterThan(10);
    expectSame(await duck.engine.lostCustomers({}), lost);
    const [campaign] = await ch.campaigns();
    expect(campaign?.source).toBe('contacts');
    const members = await ch.campaignMembers(campaign!.campaignId, { outcomes: 'data' });
    expect(members.customerIds.length).toBeGreaterThan(5);
    expectSame(await duck.engine.campaignMembers(campaign!.campaignId, { outcomes: 'data' }), members);
    expectSame(
      await duck.engine.planningCustomers({ horizonDays: 90 }),
      await ch.planningCustomers({ horizonDays: 90 }),
    );
  });
});
