/**
 * Early warnings on ClickHouse give DuckDB's results on the same demo data (2,000 customers): customer
 * alerts (counts, list, per-customer columns, stored runs and their comparison), group and product period
 * statistics, dealer grades, and the public analysis functions on top. Counts must be equal; sums and
 * means agree within 1e-9 relative (`closeTo`), because the engines add floating-point numbers in
 * different orders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import type { CustomerAlertOptions } from '../../../src/engine/alert-types.js';
import { dealerGrades, runAlerts } from '../../../src/analysis/alerts/alerts.js';
import {
  DEFAULT_ALERT_RULES,
  customerAlertSpec,
  groupAlertSpec,
  productAlertSpec,
  type AlertRules,
} from '../../../src/analysis/alerts/rules.js';
import type { ClickHouseEngine } from '../../../src/engine/clickhouse/clickhouse-engine.js';
import { generateDemo } from '../../../src/demo/index.js';
import { importFile } from '../../../src/data/import.js';
import { tempWorkspace, writeText } from '../../helpers.js';
import { clickhouse, closeTo, demoTwins, dropDatabase, openClickHouse, type Twins } from './twins.js';

/** Relative tolerance of floating-point values (sums of amounts in a different order). */
const REL = 1e-9;

/** `a` and `b` deep-equal, numbers within REL (NaN equals NaN); the path of the first difference otherwise. */
function difference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    return closeTo(a, b, REL) ? null : `${path}: ${a} != ${b}`;
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b))
    return difference(Array.from(a as Float64Array), Array.from(b as Float64Array), path);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} != ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = difference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}

function expectSame(ch: unknown, duck: unknown): void {
  expect(difference(ch, duck)).toBeNull();
}

describe.skipIf(!clickhouse)('early warnings on ClickHouse', () => {
  let t: Twins;
  let lastDay: string;
  beforeAll(async () => {
    t = await demoTwins('retain_test_alerts');
    lastDay = (await t.duck.lastTransactionDay())!;
  }, 180_000);
  afterAll(async () => t?.close());

  const both = async <T>(work: (e: Engine) => Promise<T>): Promise<{ duck: T; ch: T }> => ({
    duck: await work(t.duck),
    ch: await work(t.ch),
  });

  const spec = customerAlertSpec(DEFAULT_ALERT_RULES);

  it('gives every customer the level DuckDB gives (default rules, list and columns)', async () => {
    const options: CustomerAlertOptions = { ...spec, perCustomer: true, list: 50 };
    const r = await both((e) => e.customerAlerts(options));
    expectSame(r.ch, r.duck);
    const d = r.duck;
    expect(d.customers).toBeGreaterThan(1500);
    expect(d.levels.filter((l) => l.customers > 0).length).toBeGreaterThanOrEqual(3);
    expect(d.levels.some((l) => l.byFrequency > 0 && l.byMonetary > 0)).toBe(true);
    expect(d.list.length).toBe(50);
    expect(d.perCustomer!.customerIds.length).toBe(d.customers);
    expect(d.previous).toBeNull();
  });

  const dayBefore = (day: string, days: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

  it('agrees on other rules: counted kinds, a shorter baseline, levels with gaps, an earlier day', async () => {
    const variants: CustomerAlertOptions[] = [
      { ...spec, kinds: ['purchase'], baselineMonths: 3, recentDays: 14, lostAfterDays: 90, list: 30 },
      { ...spec, kinds: ['bill', 'purchase'], asOf: dayBefore(lastDay, 120), perCustomer: true, list: 10 },
      {
        ...spec,
        // no R conditions: customers without a decline are at no level
        levels: spec.levels.map((l) => ({ ...l, recencyDays: null })),
        lostAfterDays: 45,
        perCustomer: true,
        list: 25,
      },
    ];
    for (const options of variants) {
      const r = await both((e) => e.customerAlerts(options));
      expectSame(r.ch, r.duck);
      expect(r.duck.customers).toBeGreaterThan(100);
      expect(r.duck.list.length).toBeGreaterThan(0);
    }
    const gaps = await t.duck.customerAlerts(variants[2]!);
    expect(gaps.noLevel).toBeGreaterThan(0);
    expect(gaps.shortHistory).toBeGreaterThan(0);
  });

  it('agrees on an as-of day before every transaction (nobody counted)', async () => {
    const r = await both((e) =>
      e.customerAlerts({ ...spec, asOf: '2001-01-01', perCustomer: true, list: 5 }),
    );
    expectSame(r.ch, r.duck);
    expect(r.duck.customers).toBe(0);
    expect(r.duck.withoutTransactions).toBeGreaterThan(1500);
  });

  it('refuses bad options with the same words', async () => {
    const bad: CustomerAlertOptions[] = [
      { ...spec, asOf: '2025-02-30' },
      { ...spec, asOf: 'yesterday' },
      { ...spec, kinds: [] },
      { ...spec, kinds: ['no-such-kind'] },
      { ...spec, baselineMonths: 0 },
      { ...spec, levels: [] },
    ];
    for (const options of bad) {
      const duck = await t.duck.customerAlerts(options).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      const ch = await t.ch.customerAlerts(options).then(
        () => 'resolved',
        (e: Error) => e.message,
      );
      expect(duck).not.toBe('resolved');
      expect(ch).toBe(duck);
    }
  });

  it('computes the same group period statistics (dimensions, churn sources, periods, kinds)', async () => {
    const base = groupAlertSpec(DEFAULT_ALERT_RULES);
    const variants = [
      base,
      {
        ...base,
        dimensions: ['all', 'segment', 'region', 'plan', 'channel', 'gender'],
        churnSource: 'inactivity' as const,
      },
      { ...base, churnSource: 'churn_events' as const, asOf: dayBefore(lastDay, 45) },
      {
        ...base,
        dimensions: ['segment'],
        periodDays: 7,
        baselinePeriods: 3,
        // the demo bills monthly: with less than 30 - 7 days, no active customer is billed in a period
        lostAfterDays: 35,
        kinds: ['bill'],
        churnSource: 'inactivity' as const,
      },
    ];
    for (const options of variants) {
      const r = await both((e) => e.groupAlertStats(options));
      expectSame(r.ch, r.duck);
      expect(new Set(r.duck.rows.map((x) => x.group)).size).toBeGreaterThan(1);
      expect(r.duck.rows.some((x) => x.churned > 0)).toBe(true);
      expect(r.duck.rows.some((x) => x.spend > 0)).toBe(true);
    }
  });

  it('computes the same product period statistics', async () => {
    const base = productAlertSpec(DEFAULT_ALERT_RULES);
    const variants = [
      base,
      { ...base, dimensions: ['category' as const], periodDays: 14, baselinePeriods: 4, lapseAfterDays: 30 },
      { ...base, asOf: dayBefore(lastDay, 200), kinds: ['purchase'] },
    ];
    for (const options of variants) {
      const r = await both((e) => e.productAlertStats(options));
      expectSame(r.ch, r.duck);
      expect(new Set(r.duck.rows.map((x) => x.group)).size).toBeGreaterThan(1);
      expect(r.duck.rows.some((x) => x.churned > 0)).toBe(true);
    }
  });

  it('grades dealer customers alike (visit kinds, windows, list and columns)', async () => {
    const rules = (visitKinds: string[], gradeWindowMonths = 12, surveyAfterMonths = 6): AlertRules => ({
      ...DEFAULT_ALERT_RULES,
      dealer: { ...DEFAULT_ALERT_RULES.dealer, visitKinds, gradeWindowMonths, surveyAfterMonths },
    });
    const variants = [
      { rules: rules(['purchase']), list: 40, perCustomer: true },
      { rules: rules(['bill'], 3, 2), list: 10, perCustomer: true, asOf: dayBefore(lastDay, 400) },
      { rules: rules(['purchase', 'bill'], 1, 1) },
    ];
    for (const options of variants) {
      const r = await both((e) => dealerGrades(e, options));
      expectSame(r.ch, r.duck);
      expect(r.duck.grades.filter((g) => g.customers > 0).length).toBeGreaterThan(1);
      expect(r.duck.survey).toBeGreaterThan(0);
    }
    // the demo has no transactions of kind "visit": both refuse with the same words
    const refused = await both((e) =>
      dealerGrades(e).then(
        () => 'resolved',
        (x: Error) => x.message,
      ),
    );
    expect(refused.duck).toMatch(/visit/);
    expect(refused.ch).toBe(refused.duck);
  });

  it('stores runs and compares with the previous one as DuckDB does (runAlerts, alertRuns)', async () => {
    const first = dayBefore(lastDay, 90);
    const one = await both((e) => runAlerts(e, { asOf: first }));
    expectSame(one.ch, one.duck);
    expect(one.duck.customers.previous).toBeNull();
    const two = await both((e) => runAlerts(e, { asOf: lastDay, perCustomer: true, list: 40 }));
    expectSame(two.ch, two.duck);
    expect(two.duck.customers.previous?.asOf).toBe(first);
    const changes = two.duck.customers.changes!;
    expect(Object.values(changes).filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);
    expect(two.duck.customers.list.some((x) => x.change !== null && x.previousLevel !== null)).toBe(true);
    const groupWarnings = (one.duck.groups?.warnings.length ?? 0) + (one.duck.products?.warnings.length ?? 0);
    expect(groupWarnings).toBeGreaterThan(0);
    const prev = await both((e) => e.previousGroupAlerts(lastDay));
    expectSame(prev.ch, prev.duck);
    expect(prev.duck!.alerts.length).toBe(groupWarnings);
    // saving a day again replaces its run (a different rule set, so the hash changes too)
    const stricter: AlertRules = { ...DEFAULT_ALERT_RULES, lostAfterDays: 45 };
    const again = await both((e) => runAlerts(e, { asOf: first, rules: stricter }));
    expectSame(again.ch, again.duck);
    const runs = await both(async (e) =>
      (await e.alertRuns()).map(({ savedAt, ...run }) => ({
        ...run,
        savedAt: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(savedAt),
      })),
    );
    expectSame(runs.ch, runs.duck);
    expect(runs.duck.map((r) => r.asOf)).toEqual([lastDay, first]);
    expect(runs.duck[1]!.levels.lost).toBeGreaterThan(0);
    expect(runs.duck[1]!.savedAt).toBe(true);
    // a later run without saving compares with the replaced run
    const three = await both((e) => runAlerts(e, { asOf: dayBefore(lastDay, 30), save: false, list: 20 }));
    expectSame(three.ch, three.duck);
    expect(three.duck.customers.previous?.rulesHash).toBe(again.duck.rulesHash);
  });
});

describe.skipIf(!clickhouse)('early warnings on one ClickHouse server (no cluster)', () => {
  const database = 'retain_test_alerts_one';
  let duck: Awaited<ReturnType<typeof tempWorkspace>>;
  let ch: ClickHouseEngine;
  beforeAll(async () => {
    duck = await tempWorkspace();
    ch = await openClickHouse(database, false);
    for (const e of [duck.engine, ch]) await generateDemo(e, { customers: 600, seed: 11 });
  }, 180_000);
  afterAll(async () => {
    await duck?.cleanup();
    await ch?.close();
    await dropDatabase(database);
  });

  it('stores, replaces and compares runs on local tables as DuckDB does', async () => {
    const last = (await duck.engine.lastTransactionDay())!;
    const first = new Date(Date.parse(`${last}T00:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);
    for (const asOf of [first, last, first, last]) {
      const a = await runAlerts(duck.engine, { asOf, perCustomer: true });
      const b = await runAlerts(ch, { asOf, perCustomer: true });
      expectSame(b, a);
      expect(a.customers.customers).toBeGreaterThan(300);
    }
    const runs = async (e: Engine) => (await e.alertRuns()).map(({ savedAt: _, ...run }) => run);
    const [a, b] = [await runs(duck.engine), await runs(ch)];
    expectSame(b, a);
    expect(a.length).toBe(2);
    expect(a[0]!.groupAlerts + a[1]!.groupAlerts).toBeGreaterThan(0);
  });
});

/** `n` rows of `amount` on consecutive days from a date (kind purchase). */
function daily(id: string, from: string, n: number, amount: number): string[] {
  const t0 = Date.parse(`${from}T00:00:00Z`);
  return Array.from(
    { length: n },
    (_, i) => `${id},${new Date(t0 + i * 86_400_000).toISOString().slice(0, 10)},${amount},purchase`,
  );
}

/** Hand-built edge cases of the DuckDB tests (test/analysis/alerts), in one data set. */
const EDGE_ROWS = [
  // dealer visits as of 2025-06-30: window (2024-06-30, 2025-06-30], survey on or before 2024-12-30
  ...[
    ['DA', '2024-08-01'],
    ['DA', '2024-12-01'],
    ['DA', '2025-03-01'],
    ['DB', '2024-06-30'], // exactly 12 months before: outside the window
    ['DB', '2024-07-01'],
    ['DB', '2024-09-01'],
    ['DB2', '2025-05-01'], // two rows on one day count as one visit
    ['DB2', '2025-05-01T15:00:00'],
    ['DB2', '2025-06-30T18:00:00'], // the evening of the as-of day counts
    ['DC', '2024-12-30'], // exactly 6 months without a visit: survey
    ['DC2', '2024-12-31'],
    ['DD', '2023-01-01'],
  ].map(([id, d]) => `${id},${d},80,visit`),
  'DP,2024-05-01,25000,purchase',
  'DA,2025-06-01,30000,purchase',
  'DF,2025-07-10,150,visit',
  // F and M down exactly 30 % (B) and F down exactly 50 % (C) as of 2025-06-30
  ...['B', 'C'].flatMap((id) =>
    [0, 1, 2, 3, 4, 5].flatMap((m) =>
      daily(id, new Date(Date.UTC(2024, 11 + m, 1)).toISOString().slice(0, 10), 10, 10),
    ),
  ),
  ...daily('B', '2025-06-22', 7, 10),
  ...daily('C', '2025-06-24', 5, 30),
  // changes between runs of 2025-03-31 and 2025-04-30 (levels from R alone)
  ...[
    'U1,2025-03-25', // escalated
    'U2,2025-03-01',
    'U2,2025-04-28', // lowered
    'U3,2025-01-15',
    'U3,2025-04-29', // returned
    'U4,2025-02-20', // lost
    'U5,2025-04-10', // new
    'U6,2025-03-28',
    'U6,2025-04-27', // unchanged
    'U7,2024-12-01', // lost -> lost: unchanged
  ].map((r) => `${r},10,purchase`),
];

describe.skipIf(!clickhouse)('early warnings on ClickHouse: hand-built edge cases', () => {
  const database = 'retain_test_alerts_edges';
  let duck: Awaited<ReturnType<typeof tempWorkspace>>;
  let ch: ClickHouseEngine;
  beforeAll(async () => {
    duck = await tempWorkspace();
    ch = await openClickHouse(database);
    const transactions = writeText(
      duck.dir,
      't.csv',
      ['customer_id,date,amount,kind', ...EDGE_ROWS].join('\n') + '\n',
    );
    // DN signed up and never visited, DN2 signed up recently, DX after the as-of date
    const customers = writeText(
      duck.dir,
      'c.csv',
      'customer_id,signup_date\nDN,2024-01-01\nDN2,2025-03-01\nDX,2025-08-01\n',
    );
    for (const e of [duck.engine, ch]) {
      await importFile(e, { table: 'transactions', file: transactions, allowFuture: true });
      await importFile(e, { table: 'customers', file: customers, allowFuture: true });
    }
  }, 120_000);
  afterAll(async () => {
    await duck?.cleanup();
    await ch?.close();
    await dropDatabase(database);
  });

  it('grades the dealer edge cases alike', async () => {
    const rules: AlertRules = {
      ...DEFAULT_ALERT_RULES,
      dealer: { ...DEFAULT_ALERT_RULES.dealer, visitKinds: ['visit'] },
    };
    const a = await dealerGrades(duck.engine, { asOf: '2025-06-30', rules, perCustomer: true, list: 20 });
    const b = await dealerGrades(ch, { asOf: '2025-06-30', rules, perCustomer: true, list: 20 });
    expectSame(b, a);
    const c = a.perCustomer!;
    const of = (id: string) => {
      const i = c.customerIds.indexOf(id);
      return [c.grade[i], c.visits[i], c.survey[i]];
    };
    expect([of('DA'), of('DB'), of('DB2'), of('DC'), of('DC2'), of('DN')]).toEqual([
      ['A', 3, 0],
      ['B', 2, 1],
      ['B', 2, 0],
      ['C', 1, 1],
      ['C', 1, 0],
      ['D', 0, 1],
    ]);
    expect(c.customerIds).not.toContain('DX');
    expect(a.surveyNeverVisited).toBeGreaterThan(0);
  });

  it('places the exact 30 % and 50 % declines alike', async () => {
    const options = {
      ...customerAlertSpec(DEFAULT_ALERT_RULES),
      asOf: '2025-06-30',
      perCustomer: true,
      list: 20,
    };
    const a = await duck.engine.customerAlerts(options);
    const b = await ch.customerAlerts(options);
    expectSame(b, a);
    const row = (id: string) => a.list.find((x) => x.customerId === id)!;
    expect([row('B').level, row('B').frequencyDownPercent, row('B').monetaryDownPercent]).toEqual([
      'yellow',
      30,
      30,
    ]);
    expect([row('C').level, row('C').frequencyDownPercent]).toEqual(['orange', 50]);
  });

  it('tells every kind of change between stored runs alike, cleared included', async () => {
    const noRecency: AlertRules = {
      ...DEFAULT_ALERT_RULES,
      levels: DEFAULT_ALERT_RULES.levels.map((l) => ({ ...l, recencyDays: null })),
    };
    const runs = [
      { asOf: '2025-03-31', perCustomer: true },
      { asOf: '2025-04-30', perCustomer: true, list: 20 },
      { asOf: '2025-05-31', perCustomer: true, list: 20, rules: noRecency },
    ];
    const seen = new Set<string>();
    for (const options of runs) {
      const a = await runAlerts(duck.engine, options);
      const b = await runAlerts(ch, options);
      expectSame(b, a);
      for (const [change, n] of Object.entries(a.customers.changes ?? {})) if (n > 0) seen.add(change);
    }
    expect([...seen].sort()).toEqual([
      'cleared',
      'escalated',
      'lost',
      'lowered',
      'new',
      'returned',
      'unchanged',
    ]);
  });
});
