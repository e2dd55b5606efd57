/**
 * Retention planning, stored plans, lost customers, surveys and campaigns on ClickHouse against DuckDB, on
 * the demo (2,000 customers, both shards) with the same stored churn scores, plans, campaigns, outcomes,
 * contacts and survey answers written into both. Counts, ids, dates and order exactly; money, rates and
 * probabilities within 1e-9 relative (ClickHouse 18.16 parses some decimal floats one unit in the last
 * place away from DuckDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import type { Engine } from '../../../src/engine/engine.js';
import type { CampaignOutcomeRow, StoredPlanItem } from '../../../src/engine/planning-types.js';
import { tempDir, writeText } from '../../helpers.js';
import { clickhouse, demoTwins, type Twins } from './twins.js';
import { expectSame, fakeProbability, saveScores } from './planning-compare.js';

describe.skipIf(!clickhouse)('ClickHouse retention planning and campaigns', () => {
  let t: Twins;
  let ids: string[];
  const files = tempDir();
  const both = async <T>(run: (e: Engine) => Promise<T>): Promise<[T, T]> => [
    await run(t.duck),
    await run(t.ch),
  ];
  const sameError = async (run: (e: Engine) => Promise<unknown>) => {
    const [a, b] = [await run(t.duck).catch((e: Error) => e), await run(t.ch).catch((e: Error) => e)];
    expect(a).toBeInstanceOf(Error);
    expect(b).toBeInstanceOf(Error);
    expect((b as Error).message).toBe((a as Error).message);
  };
  const importBoth = async (table: 'campaigns' | 'customers' | 'interactions', name: string, csv: string) => {
    const file = writeText(files.dir, name, csv);
    await importFile(t.duck, { table, file });
    await importFile(t.ch, { table, file });
  };

  beforeAll(async () => {
    t = await demoTwins('retain_test_planning');
    ids = (await t.duck.query(`SELECT customer_id FROM customers ORDER BY 1`)).map((r) =>
      String(r.customer_id),
    );
    await saveScores(
      t.duck,
      t.ch,
      '2025-12-31',
      90,
      ids,
      ids.map((id) => fakeProbability(id, 1)),
      'gbdt a',
    );
    const some = ids.filter((_, i) => i % 3 !== 0);
    await saveScores(
      t.duck,
      t.ch,
      '2025-12-31',
      30,
      some,
      some.map((id) => fakeProbability(id, 2)),
      'gbdt b',
    );
    await saveScores(
      t.duck,
      t.ch,
      '2025-11-30',
      90,
      some,
      some.map((id) => fakeProbability(id, 3)),
      'gbdt c',
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    files.cleanup();
  });

  it('joins risk, value and groups per scored customer as DuckDB does', async () => {
    const values = {
      customerIds: ids.filter((_, i) => i % 2 === 0),
      values: Float64Array.from(
        ids.filter((_, i) => i % 2 === 0),
        (_, i) => (i % 7 === 0 ? NaN : i * 1.25),
      ),
    };
    for (const options of [
      { horizonDays: 90 },
      { horizonDays: 30, groupBy: 'region' as const },
      { asOf: '2025-11-30', horizonDays: 90, groupBy: 'plan' as const },
      { horizonDays: 90, groupBy: 'channel' as const, values },
    ]) {
      const [a, b] = await both((e) => e.planningCustomers(options));
      expect(b.customerIds.length).toBeGreaterThan(1000);
      expect(new Set(b.group).size).toBeGreaterThan(1);
      expect(b.value.filter((v) => v > 0).length).toBeGreaterThan(100);
      expectSame(a, b);
    }
    const withValues = await t.ch.planningCustomers({ horizonDays: 90, values });
    expect(new Set(withValues.fromModel)).toEqual(new Set([0, 1]));
    await sameError((e) => e.planningCustomers({ horizonDays: 60 }));
    await sameError((e) => e.planningCustomers({ asOf: '2025-01-01', horizonDays: 90 }));
    await sameError((e) => e.planningCustomers({ horizonDays: 90, groupBy: 'gender' as never }));
  });

  it('stores plans and reads them back, whole and a page at a time, as DuckDB does', async () => {
    const scored = await t.duck.planningCustomers({ horizonDays: 90 });
    const items: StoredPlanItem[] = scored.customerIds.slice(0, 300).map((customerId, i) => ({
      customerId,
      action: i % 3 === 0 ? 'call' : 'gift',
      cost: i % 3 === 0 ? 10 : 2.5,
      probability: scored.probability[i]!,
      value: scored.value[i]!,
      expectedSaved: scored.probability[i]! * scored.value[i]! * (i % 3 === 0 ? 0.5 : 0.1),
    }));
    const retention = {
      kind: 'retention' as const,
      asOf: '2025-12-31',
      budget: 1500,
      document: { a: [1, 'x'] },
    };
    expect(await both((e) => e.savePlan({ ...retention, items }))).toEqual(['P1', 'P1']);
    const winback = { kind: 'winback' as const, asOf: '2025-12-31', budget: 99.5, document: { b: null } };
    expect(await both((e) => e.savePlan({ ...winback, items: items.slice(0, 40) }))).toEqual(['P2', 'P2']);
    const noTime = <T extends { createdAt: string }>(p: T | null) => {
      expect(p?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      return { ...p, createdAt: '' };
    };
    for (const [id, kind] of [
      [undefined, undefined],
      ['P1', undefined],
      [undefined, 'retention'],
      [undefined, 'winback'],
    ] as const) {
      const [a, b] = await both((e) => e.loadPlan(id, kind));
      expect(b!.items.length).toBeGreaterThan(30);
      // items are stored exactly (RowBinary), so they read back bit for bit
      expectSame(noTime(a), noTime(b), 0);
    }
    expect(await both((e) => e.loadPlan('P9'))).toEqual([null, null]);
    const [a, b] = await both((e) => e.storedPlans());
    expect(b.map((p) => p.planId)).toEqual(['P2', 'P1']);
    expect(b[1]!.byAction).toHaveLength(2);
    expectSame(a.map(noTime), b.map(noTime));
    const [one, other] = await both((e) => e.storedPlan('P1'));
    expectSame(noTime(one), noTime(other));
    expect(await both((e) => e.storedPlan('P7'))).toEqual([null, null]);
    for (const page of [
      { limit: 10, offset: 0 },
      { limit: 7, offset: 5 },
      { limit: 50, offset: 280 },
      { limit: 10, offset: 400 },
    ]) {
      const [x, y] = await both((e) => e.storedPlanItems('P1', page));
      expect(y.total).toBe(300);
      expectSame(x, y, 0);
    }
    expectSame(...(await both((e) => e.storedPlanItems('P8', { limit: 5, offset: 0 }))));
  });

  it('summarises survey answers as DuckDB does', async () => {
    const answers = [
      ['C0000010', '2024-03-01T10:00:00', 'csat', 4, 'Great  service '],
      ['C0000011', '2024-03-02T11:00:00', 'csat', 2, 'too expensive'],
      ['C0000012', '2024-03-03T12:00:00', 'csat', 5, 'Great  service'],
      ['C0000012', '2024-05-03T12:00:00', 'csat', 1, 'too expensive'],
      ['C0000013', '2024-05-04T12:00:00', 'csat', 3, '   '],
      ['C0000014', '2024-06-30T23:59:59', 'effort', 2.5, 'slow'],
      ['C0000015', '2024-07-01T00:00:00', 'effort', 7, 'slow'],
      ['C0000016', '2024-04-01T08:00:00', '', 9, 'fine'],
      ['C0000017', '2024-04-02T08:00:00', 'csat', '', 'no rating'],
    ];
    await importBoth(
      'interactions',
      'survey.csv',
      'customer_id,date,kind,metric,value,note\n' +
        answers.map(([c, d, m, v, n]) => `${c},${d},survey,${m},${v},"${n}"`).join('\n') +
        '\n',
    );
    for (const options of [
      {},
      { from: '2024-01-01', to: '2024-06-30' },
      { lowAt: 3, topAnswers: 2 },
      { topAnswers: 0, from: '2024-03-02' },
      { from: '2030-01-01' },
    ]) {
      const [a, b] = await both((e) => e.surveySummary(options));
      expectSame(a, b);
    }
    const all = await t.ch.surveySummary({});
    expect(all.questions.length).toBeGreaterThanOrEqual(4);
    expect(all.questions.some((q) => q.topAnswers.length >= 2)).toBe(true);
    expect(all.questions.some((q) => q.nps !== null)).toBe(true);
    expect(all.questions.some((q) => q.nps === null)).toBe(true);
    expect((await t.ch.surveySummary({ from: '2030-01-01' })).questions).toEqual([]);
    await sameError((e) => e.surveySummary({ topAnswers: -1 }));
  });

  it('creates campaigns, records outcomes and reads members and lost customers as DuckDB does', async () => {
    const lost = (
      await t.duck.query(
        `SELECT customer_id, max("date") AS d FROM churn_events GROUP BY 1 HAVING max("date") < DATE '2025-08-01'
         ORDER BY 1`,
      )
    ).map((r) => String(r.customer_id));
    expect(lost.length).toBeGreaterThan(100);
    // leavers contacted before they left (attempts that do not count for them)
    const later = (
      await t.duck.query(
        `SELECT customer_id FROM churn_events GROUP BY 1 HAVING min("date") > DATE '2025-08-20' ORDER BY 1 LIMIT 25`,
      )
    ).map((r) => String(r.customer_id));
    expect(later.length).toBe(25);
    const members = (list: string[], action: string) =>
      list.map((customerId, i) => ({
        customerId,
        group: (i % 5 === 0 ? 'control' : 'treatment') as 'control' | 'treatment',
        action,
        cost: 3 + (i % 2),
        probability: 0.5,
        value: 100 + i,
        expectedSaved: 5.5 + i / 8,
      }));
    const winback = lost.slice(0, 60);
    await both((e) =>
      e.createCampaign({
        campaignId: 'WB-1',
        name: 'Come back',
        kind: 'winback',
        startDate: '2025-09-01',
        planId: 'P2',
        holdout: 0.2,
        seed: 7,
        members: members(winback, 'call'),
      }),
    );
    const retained = ids.slice(500, 700);
    await both((e) =>
      e.createCampaign({
        campaignId: 'RT-1',
        name: 'Stay',
        kind: 'retention',
        startDate: '2025-10-01',
        planId: null,
        holdout: 0.1,
        seed: 3,
        members: members(retained, 'gift'),
      }),
    );
    await sameError((e) =>
      e.createCampaign({
        campaignId: 'RT-1',
        name: 'again',
        kind: 'retention',
        startDate: '2025-10-01',
        planId: null,
        holdout: 0,
        seed: 1,
        members: [],
      }),
    );
    // imported win-back contacts for other leavers, with free-text outcomes
    await importBoth(
      'campaigns',
      'campaigns.csv',
      'campaign_id,name,kind,start_date\nWB-IMP,Old win-back,winback,2025-08-15\n',
    );
    // the ClickHouse import checks contacts against an empty staging workspace ("unknown campaign"): the
    // rows DuckDB imported are copied over as they are
    const outcomes = ['Accepted', 'declined', '', 'no_answer', 'whatever'];
    const contactsFile = writeText(
      files.dir,
      'contacts.csv',
      'campaign_id,customer_id,date,group,offer,outcome\n' +
        [...lost.slice(40, 120), ...later]
          .map(
            (c, i) =>
              `WB-IMP,${c},2025-08-${10 + (i % 10)},${i % 6 === 0 ? 'control' : 'treatment'},call,${outcomes[i % 5]}`,
          )
          .join('\n') +
        '\n',
    );
    await importFile(t.duck, { table: 'contacts', file: contactsFile });
    const contactRows = await t.duck.query(
      `SELECT CAST(row_key AS VARCHAR) AS row_key, contact_id, campaign_id, customer_id,
         strftime("date", '%Y-%m-%d') AS "date", "group", offer, outcome, cost, import_id
       FROM contacts WHERE campaign_id = 'WB-IMP'`,
    );
    expect(contactRows).toHaveLength(80 + later.length);
    await t.ch.conn.insertRows(t.ch.t('contacts'), contactRows);
    const record = (campaignId: string, list: string[], words: string[], shift = 0): CampaignOutcomeRow[] =>
      list.slice(0, 50).map((customerId, i) => ({
        customerId,
        outcome: words[(i + shift) % words.length]!,
        value: i % 4 === 0 ? null : 10.1 * i,
        date: '2025-11-15',
      }));
    const first = await both((e) =>
      e.recordCampaignOutcomes('RT-1', record('RT-1', retained, ['retained', 'churned'])),
    );
    expect(first[1]).toEqual({ inserted: 50, updated: 0, unchanged: 0 });
    expect(first[1]).toEqual(first[0]);
    const again = await both((e) =>
      e.recordCampaignOutcomes('RT-1', record('RT-1', retained, ['retained', 'churned'])),
    );
    expect(again[1]).toEqual({ inserted: 0, updated: 0, unchanged: 50 });
    expect(again[1]).toEqual(again[0]);
    const changed = await both((e) =>
      e.recordCampaignOutcomes('RT-1', [
        ...record('RT-1', retained, ['retained', 'churned', 'churned'], 1).slice(0, 30),
        { customerId: retained[120]!, outcome: 'retained', value: 1, date: '2025-11-20' },
      ]),
    );
    expect(changed[1]).toEqual(changed[0]);
    expect(changed[1].updated).toBeGreaterThan(5);
    await both((e) =>
      e.recordCampaignOutcomes('WB-1', record('WB-1', winback.slice(0, 20), ['won_back', 'lost'])),
    );

    for (const [id, query] of [
      ['RT-1', { outcomes: 'recorded' }],
      ['RT-1', { outcomes: 'data' }],
      ['RT-1', { outcomes: 'data', windowDays: 30 }],
      ['WB-1', { outcomes: 'recorded' }],
      ['WB-1', { outcomes: 'data', windowDays: 200 }],
      ['RET-2025-07', { outcomes: 'data' }],
      ['WB-IMP', { outcomes: 'data', windowDays: 120 }],
    ] as const) {
      const [a, b] = await both((e) => e.campaignMembers(id, query));
      expect(b.customerIds.length).toBeGreaterThan(20);
      expect(new Set(b.success).size).toBeGreaterThan(1);
      expectSame(a, b);
    }
    await sameError((e) => e.campaignMembers('RET-2025-07', { outcomes: 'recorded' }));
    await sameError((e) => e.campaignMembers('nope', { outcomes: 'data' }));
    await sameError((e) => e.campaignMembers('RT-1', { outcomes: 'data', windowDays: 0 }));
    const [list, chList] = await both((e) => e.campaigns());
    expect(chList.map((c) => c.campaignId)).toEqual(['RET-2025-07', 'WB-IMP', 'WB-1', 'RT-1']);
    expectSame(list, chList);

    // contact details of some leavers, kept as customer attributes
    await importBoth(
      'customers',
      'contact-details.csv',
      'customer_id,email,phone\n' +
        lost
          .slice(0, 12)
          .map(
            (c, i) =>
              `${c},${i % 3 === 0 ? '' : `${c.toLowerCase()}@example.com`},${i % 2 ? '+1 555 0100' : ''}`,
          )
          .join('\n') +
        '\n',
    );
    for (const options of [
      {},
      { asOf: '2025-10-15' },
      { asOf: '2025-09-18', attemptWindowDays: 30 },
      { since: '2025-01-01' },
      { attemptWindowDays: 30 },
      { asOf: '2025-12-31', attemptWindowDays: 60, since: '2024-06-01' },
    ]) {
      const [a, b] = await both((e) => e.lostCustomers(options));
      expect(b.customers.length).toBeGreaterThan(50);
      expect(b.customers.some((c) => c.attempts > 0)).toBe(true);
      expect(b.customers.some((c) => c.returnedOn !== null)).toBe(true);
      expect(b.attemptStats.length).toBeGreaterThan(1);
      expect(b.customers.some((c) => c.email !== null)).toBe(true);
      expect(b.customers.some((c) => c.phone !== null)).toBe(true);
      expectSame(a, b);
    }
    await sameError((e) => e.lostCustomers({ attemptWindowDays: 0 }));
  });
});
