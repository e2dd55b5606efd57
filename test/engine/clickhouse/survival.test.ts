/**
 * Survival data on ClickHouse against DuckDB on the same demo (2,000 customers with subscriptions and churn
 * events) and on CDNOW (transactions only): Kaplan-Meier counts, per-customer rows for Cox and cohort
 * cells, with every grouping, covariate and cohort period. Counts must be equal exactly, covariates within
 * 1e-9 relative (closeTo's default), rows in the promised order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine.js';
import type { SurvivalSubjects } from '../../../src/engine/survival-types.js';
import { SURVIVAL_COVARIATES, SURVIVAL_GROUP_COLUMNS } from '../../../src/engine/survival-types.js';
import { importFile } from '../../../src/data/import.js';
import { tempDir, writeText } from '../../helpers.js';
import { cdnowTwins, clickhouse, closeTo, demoTwins, type Twins } from './twins.js';

/** Columns of survival subjects as plain arrays (NaN kept as NaN), for toEqual. */
function plainSubjects(s: SurvivalSubjects) {
  return {
    source: s.source,
    asOf: s.asOf,
    customerIds: s.customerIds,
    days: [...s.days],
    events: [...s.events],
    numeric: s.numeric.map((c) => ({ name: c.name, values: [...c.values] })),
    categorical: s.categorical.map((c) => ({ name: c.name, values: c.values })),
  };
}

function expectSameSubjects(ch: SurvivalSubjects, duck: SurvivalSubjects): void {
  const [a, b] = [plainSubjects(ch), plainSubjects(duck)];
  expect({ ...a, numeric: a.numeric.map((c) => c.name) }).toEqual({
    ...b,
    numeric: b.numeric.map((c) => c.name),
  });
  a.numeric.forEach((c, j) => {
    const other = b.numeric[j]!.values;
    const bad = c.values.findIndex((v, i) =>
      Number.isNaN(v) ? !Number.isNaN(other[i]!) : !closeTo(v, other[i]!),
    );
    expect(bad, `${c.name} differs at ${bad}`).toBe(-1);
  });
}

describe.skipIf(!clickhouse)('survival data on ClickHouse = DuckDB (demo)', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await demoTwins('retain_test_survival');
  }, 120_000);
  afterAll(async () => t?.close());

  const both = async <T>(run: (e: Engine) => Promise<T>): Promise<[T, T]> => [
    await run(t.ch),
    await run(t.duck),
  ];

  it('counts per (group, days) for one group and for every group column', async () => {
    for (const by of [null, ...SURVIVAL_GROUP_COLUMNS]) {
      const [ch, duck] = await both((e) => e.survivalCounts({ by }));
      expect(ch, `by ${String(by)}`).toEqual(duck);
      expect(ch.source).toBe('subscriptions');
      expect(ch.rows.length).toBeGreaterThan(100);
      expect(ch.rows.some((r) => r.events > 0) && ch.rows.some((r) => r.censored > 0)).toBe(true);
      if (by !== null) expect(new Set(ch.rows.map((r) => r.group)).size).toBeGreaterThan(1);
    }
  });

  it('counts at earlier as-of days (ends and churn events after the day are not known yet)', async () => {
    for (const asOf of ['2023-06-30', '2024-12-31', '2025-03-15']) {
      const [ch, duck] = await both((e) => e.survivalCounts({ asOf, by: 'plan' }));
      expect(ch, asOf).toEqual(duck);
      expect(ch.rows.length).toBeGreaterThan(10);
    }
  });

  it('refuses the same bad options with the same message', async () => {
    for (const options of [{ asOf: '2024-13-01' }, { lostDays: 0 }, { by: 'age' as never }]) {
      const [ch, duck] = await Promise.all(
        [t.ch, t.duck].map((e) => e.survivalCounts(options).then(String, (err: Error) => err.message)),
      );
      expect(ch).toBe(duck);
      expect(ch).not.toBe('[object Object]');
    }
    const empty = await Promise.all(
      [t.ch, t.duck].map((e) =>
        e.survivalCounts({ asOf: '1999-01-01' }).then(String, (err: Error) => err.message),
      ),
    );
    expect(empty[0]).toBe(empty[1]);
    expect(empty[0]).toMatch(/no subscriptions or transactions up to 1999-01-01/);
  });

  it('gives the same per-customer rows for Cox with every covariate', async () => {
    const [ch, duck] = await both((e) => e.survivalSubjects({ covariates: [...SURVIVAL_COVARIATES] }));
    expectSameSubjects(ch, duck);
    expect(ch.customerIds.length).toBe(2000);
    expect(ch.events.some((v) => v === 1) && ch.events.some((v) => v === 0)).toBe(true);
    expect(ch.numeric.map((c) => c.name)).toEqual(['monthly_fee', 'age']);
    expect(ch.categorical.length).toBe(5);
    const [chNone, duckNone] = await both((e) => e.survivalSubjects({ covariates: [], asOf: '2024-06-30' }));
    expectSameSubjects(chNone, duckNone);
    expect(chNone.customerIds.length).toBeGreaterThan(100);
  });

  it('gives the same cohort cells for every period, with and without a cap', async () => {
    for (const period of ['month', 'quarter', 'year'] as const) {
      for (const maxPeriods of [undefined, 0, 6]) {
        const [ch, duck] = await both((e) => e.cohortCounts({ period, maxPeriods }));
        expect(ch, `${period} ${String(maxPeriods)}`).toEqual(duck);
        expect(ch.rows.some((r) => r.churnPeriod !== null)).toBe(true);
        expect(new Set(ch.rows.map((r) => r.cohort)).size).toBeGreaterThan(1);
      }
    }
    const [ch, duck] = await both((e) => e.cohortCounts({ asOf: '2024-05-20' }));
    expect(ch).toEqual(duck);
    expect(ch.incomplete).toBeGreaterThan(0);
  });
});

describe.skipIf(!clickhouse)('survival data on ClickHouse = DuckDB (CDNOW, transactions only)', () => {
  let t: Twins;
  beforeAll(async () => {
    t = await cdnowTwins('retain_test_survival_tx');
  }, 120_000);
  afterAll(async () => t?.close());

  it('counts, subjects and cohorts from transactions with several lost-days thresholds', async () => {
    for (const lostDays of [30, 60, 365]) {
      const [ch, duck] = [await t.ch.survivalCounts({ lostDays }), await t.duck.survivalCounts({ lostDays })];
      expect(ch).toEqual(duck);
      expect(ch.source).toBe('transactions');
      expect(ch.rows.some((r) => r.events > 0) && ch.rows.some((r) => r.censored > 0)).toBe(true);
    }
    const options = { covariates: ['region', 'age'] as const, asOf: '1997-12-31' };
    expectSameSubjects(await t.ch.survivalSubjects(options), await t.duck.survivalSubjects(options));
    for (const period of ['month', 'quarter'] as const) {
      const [ch, duck] = [await t.ch.cohortCounts({ period }), await t.duck.cohortCounts({ period })];
      expect(ch).toEqual(duck);
      expect(ch.rows.length).toBeGreaterThan(3);
    }
    const fee = await Promise.all(
      [t.ch, t.duck].map((e) =>
        e.survivalSubjects({ covariates: ['monthly_fee'] }).then(String, (err: Error) => err.message),
      ),
    );
    expect(fee[0]).toBe(fee[1]);
    expect(fee[0]).toMatch(/monthly_fee needs subscriptions/);
  });
});

/**
 * Subscriptions whose latest row is decided by the tie-breaks (same start: open end first, then the larger
 * subscription id, a missing id last, then the later row), ends after the as-of day, churn events before
 * and after the last start.
 */
const EDGE_SUBSCRIPTIONS = `customer_id,start_date,end_date,plan,monthly_fee,subscription_id
S001,2024-01-01,2024-06-30,Basic,10,S001-a
S001,2024-01-01,,Plus,20,S001-b
S002,2024-02-01,2024-05-31,Plus,21,S002-b
S002,2024-02-01,2024-05-31,Basic,11,S002-a
S003,2024-03-01,2024-12-31,Basic,12,S003-a
S004,2024-01-15,,Extra,30,S004-a
S005,2023-05-01,2023-08-31,Basic,13,S005-a
S005,2024-04-01,,Plus,23,S005-b
S006,2024-02-10,2024-08-10,Plus,24,
S006,2024-02-10,2024-08-10,Basic,14,S006-a
S007,2024-03-05,2024-07-05,Basic,15,
S007,2024-03-05,2024-07-05,Extra,35,
`;
const EDGE_EVENTS = `customer_id,date,reason_code,type,note
S004,2024-08-20,101,,after the last start: the end
S005,2023-09-05,205,,before the last start: ignored
S003,2024-10-15,,involuntary,after the as-of day of the first checks
`;

describe.skipIf(!clickhouse)('survival data on ClickHouse = DuckDB (edge cases)', () => {
  let t: Twins;
  const files = tempDir();
  beforeAll(async () => {
    t = await demoTwins('retain_test_survival_edge', 300, 11);
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

  it('picks the same latest plan and fee and the same ends on ties and future ends', async () => {
    for (const asOf of ['2024-09-30', '2025-01-31']) {
      const options = { asOf, covariates: ['plan', 'monthly_fee', 'region'] as const };
      const [ch, duck] = [await t.ch.survivalSubjects(options), await t.duck.survivalSubjects(options)];
      expectSameSubjects(ch, duck);
      const edge = ch.customerIds
        .map((id, i) => [id, ch.categorical[0]!.values[i], ch.numeric[0]!.values[i], ch.events[i]] as const)
        .filter(([id]) => id.startsWith('S00'));
      expect(edge.length).toBe(7);
      if (asOf === '2024-09-30')
        expect(edge.map(([id, plan, fee, event]) => [id, plan, fee, event]).slice(0, 2)).toEqual([
          ['S001', 'Plus', 20, 0],
          ['S002', 'Plus', 21, 1],
        ]);
      for (const by of ['plan', null] as const)
        expect(await t.ch.survivalCounts({ asOf, by })).toEqual(await t.duck.survivalCounts({ asOf, by }));
      expect(await t.ch.cohortCounts({ asOf })).toEqual(await t.duck.cohortCounts({ asOf }));
    }
  });
});
