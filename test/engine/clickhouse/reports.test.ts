/**
 * Churn reports on ClickHouse against DuckDB on the same demo (2,000 customers with subscriptions, bills and
 * churn events): the monthly flow and the churners with every split, period, revenue kinds and match
 * window, then every built-in report definition run on both engines. Counts must be equal exactly, revenue
 * within 1e-9 relative (closeTo's default; both engines round to 1e-6 after summing in their own order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import type { ChurnReportOptions } from '../../../src/engine/report-types.js';
import { REPORT_DIMENSIONS } from '../../../src/engine/report-types.js';
import { builtinReports } from '../../../src/analysis/reports/builtin.js';
import { reportJson, runReport } from '../../../src/analysis/reports/run-report.js';
import { importFile } from '../../../src/data/import.js';
import { tempDir, writeText } from '../../helpers.js';
import { cdnowTwins, clickhouse, closeTo, demoTwins, type Twins } from './twins.js';

/** Paths where two JSON-like values differ: numbers within closeTo, everything else exactly. */
function differences(a: unknown, b: unknown, path = '$'): string[] {
  if (typeof a === 'number' && typeof b === 'number')
    return closeTo(a, b) || (Number.isNaN(a) && Number.isNaN(b)) ? [] : [`${path}: ${a} != ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} != ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`];
}

describe.skipIf(!clickhouse)('churn reports on ClickHouse = DuckDB (demo)', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await demoTwins('retain_test_reports');
  }, 120_000);
  afterAll(async () => t?.close());

  const both = async <T>(run: (e: Engine) => Promise<T>): Promise<[T, T]> => [
    await run(t.ch),
    await run(t.duck),
  ];

  it('gives the same monthly flow without a split and split by every dimension', async () => {
    for (const by of [null, ...REPORT_DIMENSIONS]) {
      const [ch, duck] = await both((e) => e.churnFlow({ by }));
      expect(differences(ch, duck), `by ${String(by)}`).toEqual([]);
      expect(ch.revenueKinds).toEqual(['bill']);
      expect(ch.rows.length).toBeGreaterThan(24);
      const sum = (k: 'start' | 'new' | 'voluntary' | 'involuntary' | 'closedAccounts') =>
        ch.rows.reduce((s, r) => s + r[k], 0);
      // the demo's ends all have a churn event: other ends and unmatched events are in the edge cases below
      for (const k of ['start', 'new', 'voluntary', 'involuntary', 'closedAccounts'] as const)
        expect(sum(k), `${k} by ${String(by)}`).toBeGreaterThan(0);
      expect(ch.rows.reduce((s, r) => s + r.revenueLost, 0)).toBeGreaterThan(0);
      if (by !== null) expect(new Set(ch.rows.map((r) => r.group)).size).toBeGreaterThan(1);
    }
  });

  it('gives the same churners without a split and split by every dimension', async () => {
    for (const by of [null, ...REPORT_DIMENSIONS]) {
      const [ch, duck] = await both((e) => e.churners({ by }));
      expect(differences(ch, duck), `by ${String(by)}`).toEqual([]);
      expect(ch.rows.length).toBeGreaterThan(20);
      expect(new Set(ch.rows.map((r) => r.type)).size).toBeGreaterThan(1);
      expect(ch.rows.some((r) => r.reasonCode !== '(none)' && r.reason !== '(none)')).toBe(true);
    }
  });

  it('gives the same flow and churners when a shard runs the query in slices of customers', async () => {
    // at scale a shard reports on a few hundred thousand customers at a time; here on 300 at a time
    process.env.RETAIN_CH_REPORT_SLICE = '300';
    try {
      for (const by of [null, 'plan'] as const) {
        const [flow, duckFlow] = await both((e) => e.churnFlow({ by }));
        expect(differences(flow, duckFlow), `flow by ${String(by)}`).toEqual([]);
        const [churners, duckChurners] = await both((e) => e.churners({ by }));
        expect(differences(churners, duckChurners), `churners by ${String(by)}`).toEqual([]);
        expect(flow.rows.length).toBeGreaterThan(24);
      }
    } finally {
      delete process.env.RETAIN_CH_REPORT_SLICE;
    }
  });

  it('agrees on periods, revenue kinds and match windows', async () => {
    const variants: ChurnReportOptions[] = [
      { from: '2024-03', to: '2024-08', by: 'plan' },
      { from: '2025-06', to: '2025-06' },
      { revenueKinds: null, by: 'tenure' },
      { revenueKinds: [], by: 'stage' },
      { revenueKinds: ['purchase', 'bill'], from: '2023-01', to: '2024-12' },
      { matchDays: 0, by: 'region' },
      { matchDays: 90 },
      // before any subscription: empty months only
      { from: '2010-01', to: '2010-03' },
    ];
    for (const options of variants) {
      const [flowCh, flowDuck] = await both((e) => e.churnFlow(options));
      expect(differences(flowCh, flowDuck), JSON.stringify(options)).toEqual([]);
      const [chCh, chDuck] = await both((e) => e.churners(options));
      expect(differences(chCh, chDuck), JSON.stringify(options)).toEqual([]);
    }
    const empty = await t.ch.churnFlow({ from: '2010-01', to: '2010-03' });
    expect(empty.rows.map((r) => [r.month, r.start, r.end])).toEqual([
      ['2010-01', 0, 0],
      ['2010-02', 0, 0],
      ['2010-03', 0, 0],
    ]);
    expect((await t.ch.churners({ from: '2010-01', to: '2010-03' })).rows).toEqual([]);
  });

  it('refuses the same bad options with the same message', async () => {
    for (const options of [
      { from: '2024-13' },
      { to: '2024-1' },
      { from: '2024-05', to: '2024-04' },
      { by: 'gender' as never },
      { matchDays: -1 },
    ]) {
      const [ch, duck] = await Promise.all(
        [t.ch, t.duck].map((e) =>
          e.churnFlow(options).then(
            () => 'ok',
            (err: Error) => err.message,
          ),
        ),
      );
      expect(ch).toBe(duck);
      expect(ch).not.toBe('ok');
    }
  });

  it('runs every built-in report to the same document on both engines', async () => {
    const specs = builtinReports();
    expect(specs.length).toBeGreaterThan(3);
    for (const spec of specs) {
      for (const by of [undefined, 'segment' as const]) {
        const options = { charts: false, createdAt: '2026-01-01T00:00:00Z', ...(by ? { by } : {}) };
        const [ch, duck] = await both(async (e) => reportJson(await runReport(e, spec, options)));
        expect(differences(ch, duck), `${spec.name} by ${String(by)}`).toEqual([]);
        const rows = (ch as { sections: { rows: unknown[] }[] }).sections.flatMap((s) => s.rows);
        expect(rows.length, spec.name).toBeGreaterThan(0);
      }
    }
  });
});

/**
 * Subscriptions and churn events the demo never has: gaps, overlaps, next-day replacements, ends without an
 * event, events far from any end or without a subscription, codes and types missing. No two rows of a
 * customer in force start on the same day: DuckDB's `arg_max(plan, start)` picks either on such a tie.
 */
const EDGE_SUBSCRIPTIONS = `customer_id,start_date,end_date,plan,monthly_fee,subscription_id
E001,2024-01-10,2024-03-31,Basic,10,E001-a
E001,2024-04-01,2024-06-30,Plus,20,E001-b
E001,2024-09-01,,Plus,20,E001-c
E002,2024-02-01,2024-12-31,Basic,10,E002-a
E002,2024-05-15,2024-08-31,Extra,5,E002-b
E003,2024-03-03,2024-03-20,Basic,12,E003-a
E003,2024-03-25,2024-07-10,Basic,12,E003-b
E005,2023-12-31,2024-01-31,,15,E005-a
E007,2024-02-29,2024-02-29,Basic,8,E007-a
E007,2024-03-01,2024-04-30,Basic,8,E007-b
E007,2024-03-02,2024-05-31,Plus,9,E007-c
`;
const EDGE_EVENTS = `customer_id,date,reason_code,type,note
E001,2024-07-15,,,matched without code or type
E001,2024-07-20,,voluntary,second event of the same end
E002,2025-03-01,,involuntary,far from any end
E003,2024-03-21,101,,type from the code
E003,2024-07-10,205,,on the end day
E006,2024-05-05,,voluntary,no subscription at all
E007,2024-06-01,,involuntary,one day after the end
`;

describe.skipIf(!clickhouse)('churn reports on ClickHouse = DuckDB (edge cases)', () => {
  let t: Twins;
  const files = tempDir();
  beforeAll(async () => {
    t = await demoTwins('retain_test_reports_edge', 300, 11);
    const subs = writeText(files.dir, 'subs.csv', EDGE_SUBSCRIPTIONS);
    const events = writeText(files.dir, 'events.csv', EDGE_EVENTS);
    for (const e of [t.duck, t.ch]) {
      await importFile(e, { table: 'subscriptions', file: subs });
      await importFile(e, { table: 'churn_events', file: events });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    files.cleanup();
  });

  it('gives the same flow and churners with other ends, unmatched events and replaced accounts', async () => {
    for (const options of [
      ...[null, ...REPORT_DIMENSIONS].map((by) => ({ by, from: '2023-12', to: '2025-03' })),
      { matchDays: 0, from: '2024-01', to: '2024-12' },
      { matchDays: 365, by: 'tenure' as const },
    ]) {
      const [flowCh, flowDuck] = [await t.ch.churnFlow(options), await t.duck.churnFlow(options)];
      expect(differences(flowCh, flowDuck), JSON.stringify(options)).toEqual([]);
      const [ch, duck] = [await t.ch.churners(options), await t.duck.churners(options)];
      expect(differences(ch, duck), JSON.stringify(options)).toEqual([]);
    }
    const flow = await t.ch.churnFlow({ from: '2024-01', to: '2024-12' });
    const total = (k: 'otherEnds' | 'eventsWithoutEnd' | 'closedAccounts' | 'voluntary' | 'involuntary') =>
      flow.rows.reduce((s, r) => s + r[k], 0);
    expect(total('otherEnds')).toBeGreaterThan(0);
    expect(total('eventsWithoutEnd')).toBeGreaterThan(0);
    const churners = await t.ch.churners({ by: 'stage' });
    expect(churners.rows.some((r) => r.type === 'unknown' && r.reasonCode === '(none)')).toBe(true);
    expect(churners.rows.some((r) => r.eventsWithoutEnd > 0 && r.group === '(unknown)')).toBe(true);
    const tight = await t.ch.churners({ matchDays: 0 });
    const loose = await t.ch.churners({});
    const without = (x: typeof tight) => x.rows.reduce((s, r) => s + r.eventsWithoutEnd, 0);
    expect(without(tight)).toBeGreaterThan(without(loose));
  });
});

describe.skipIf(!clickhouse)('churn reports on ClickHouse = DuckDB (no subscriptions)', () => {
  let t: Twins;
  const files = tempDir();
  beforeAll(async () => {
    t = await cdnowTwins('retain_test_reports_cdnow');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    files.cleanup();
  });

  it('refuses an empty workspace alike, then reports churn events alone as events without an end', async () => {
    const refused = await Promise.all(
      [t.ch, t.duck].map((e) =>
        e.churnFlow({}).then(
          () => 'ok',
          (err: Error) => err.message,
        ),
      ),
    );
    expect(refused[0]).toBe(refused[1]);
    expect(refused[0]).toMatch(/no subscriptions or churn events/);
    const events = writeText(files.dir, 'events.csv', EDGE_EVENTS);
    for (const e of [t.duck, t.ch]) await importFile(e, { table: 'churn_events', file: events });
    for (const by of [null, 'stage', 'plan'] as const) {
      const [flowCh, flowDuck] = [await t.ch.churnFlow({ by }), await t.duck.churnFlow({ by })];
      expect(differences(flowCh, flowDuck)).toEqual([]);
      expect(flowCh.revenueKinds).toBeNull();
      expect(flowCh.rows.reduce((s, r) => s + r.eventsWithoutEnd, 0)).toBe(7);
      const [ch, duck] = [await t.ch.churners({ by }), await t.duck.churners({ by })];
      expect(differences(ch, duck)).toEqual([]);
      expect(ch.rows.length).toBeGreaterThan(2);
    }
  });
});
