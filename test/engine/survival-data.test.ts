// Survival data in SQL on hand-built workspaces whose relationships (and counts) are worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/errors.js';
import { tempWorkspace } from '../helpers.js';
import { subscriptionWorkspace, transactionWorkspace } from '../analysis/survival/workspaces.js';

type Ws = Awaited<ReturnType<typeof tempWorkspace>>;

let subs: Ws;
let txs: Ws;
beforeAll(async () => {
  subs = await subscriptionWorkspace();
  txs = await transactionWorkspace();
});
afterAll(async () => {
  await subs.cleanup();
  await txs.cleanup();
});

const row = (group: string, days: number, events: number, censored: number) => ({
  group,
  days,
  events,
  censored,
});

describe('survivalCounts (DuckDB)', () => {
  it('builds one relationship per subscribed customer and counts them per day', async () => {
    const c = await subs.engine.survivalCounts({ asOf: '2024-12-31' });
    expect(c.source).toBe('subscriptions');
    expect(c.asOf).toBe('2024-12-31');
    expect(c.rows).toEqual([
      row('all', 60, 1, 0),
      row('all', 92, 2, 0),
      row('all', 182, 1, 0),
      row('all', 334, 0, 1),
      row('all', 365, 0, 2),
    ]);
  });

  it('groups by a customer column, missing values as (missing)', async () => {
    const c = await subs.engine.survivalCounts({ asOf: '2024-12-31', by: 'region' });
    expect(c.rows).toEqual([
      row('(missing)', 92, 1, 0),
      row('north', 60, 1, 0),
      row('north', 182, 1, 0),
      row('north', 365, 0, 1),
      row('south', 92, 1, 0),
      row('south', 334, 0, 1),
      row('south', 365, 0, 1),
    ]);
  });

  it('plan is the last subscription plan (B changed to pro, F came back on pro)', async () => {
    const c = await subs.engine.survivalCounts({ asOf: '2024-12-31', by: 'plan' });
    const members = (g: string) => c.rows.filter((r) => r.group === g).map((r) => r.days);
    expect(members('basic')).toEqual([60, 92, 334, 365]); // A, G, E, C
    expect(members('pro')).toEqual([92, 182, 365]); // D, B, F
  });

  it('an earlier as-of day censors what ended later and ignores later starts', async () => {
    const c = await subs.engine.survivalCounts({ asOf: '2024-04-30' });
    // A ended (60); B, C censored at 120 days; D at 60; E at 89; F: ended 2024-03-01 with a churn event -> 60;
    // G has not started yet.
    expect(c.rows).toEqual([row('all', 60, 2, 1), row('all', 89, 0, 1), row('all', 120, 0, 2)]);
  });

  it('defaults the as-of day to the last day of data', async () => {
    const c = await subs.engine.survivalCounts({});
    expect(c.asOf).toBe('2025-02-01'); // E's end date
    // H (2025-01-15) is now in, censored at 17 days; E ended on 2025-02-01: event at 366 days
    expect(c.rows).toContainEqual(row('all', 17, 0, 1));
    expect(c.rows).toContainEqual(row('all', 366, 1, 0));
  });

  it('falls back to transactions: first to last purchase, lost after 60 days or a churn event', async () => {
    const c = await txs.engine.survivalCounts({ asOf: '2024-12-31' });
    expect(c.source).toBe('transactions');
    expect(c.rows).toEqual([
      row('all', 0, 1, 0),
      row('all', 30, 0, 1),
      row('all', 60, 1, 0),
      row('all', 326, 0, 1),
    ]);
    const strict = await txs.engine.survivalCounts({ asOf: '2024-12-31', lostDays: 10 });
    expect(strict.rows).toContainEqual(row('all', 326, 1, 0)); // Q: 30 days > 10
  });

  it('rejects bad options and empty workspaces as user errors', async () => {
    await expect(subs.engine.survivalCounts({ asOf: '2024-13-01' })).rejects.toThrow(/--as-of/);
    await expect(subs.engine.survivalCounts({ by: 'shoe_size' as unknown as 'region' })).rejects.toThrow(
      /--by must be one of/,
    );
    const empty = await tempWorkspace();
    try {
      await expect(empty.engine.survivalCounts({})).rejects.toBeInstanceOf(UserError);
      await expect(empty.engine.survivalCounts({})).rejects.toThrow(/no subscriptions or transactions/);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('survivalSubjects (DuckDB)', () => {
  it('returns one row per customer with the covariates', async () => {
    const s = await subs.engine.survivalSubjects({
      asOf: '2024-12-31',
      covariates: ['region', 'plan', 'monthly_fee', 'age'],
    });
    expect(s.customerIds).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(Array.from(s.days)).toEqual([60, 182, 365, 92, 334, 365, 92]);
    expect(Array.from(s.events)).toEqual([1, 1, 0, 1, 0, 0, 1]);
    expect(s.categorical.map((c) => c.name)).toEqual(['region', 'plan']);
    expect(s.categorical[0]!.values).toEqual(['north', 'north', 'north', 'south', 'south', 'south', '']);
    expect(s.categorical[1]!.values).toEqual(['basic', 'pro', 'basic', 'pro', 'basic', 'pro', 'basic']);
    expect(Array.from(s.numeric[0]!.values)).toEqual([10, 30, 10, 30, 12, 25, 10]);
    expect(Array.from(s.numeric[1]!.values)).toEqual([30, 40, 50, NaN, 35, 45, NaN]);
  });

  it('has no monthly fee without subscriptions', async () => {
    await expect(txs.engine.survivalSubjects({ covariates: ['monthly_fee'] })).rejects.toThrow(
      /monthly_fee needs subscriptions/,
    );
  });
});

describe('cohortCounts (DuckDB)', () => {
  it('counts customers per (cohort, complete months observed, churn month)', async () => {
    const c = await subs.engine.cohortCounts({ asOf: '2024-12-31' });
    expect(c.period).toBe('month');
    expect(c.incomplete).toBe(0);
    expect(c.rows).toEqual([
      { cohort: '2024-01', periodsObserved: 11, churnPeriod: 2, customers: 1 }, // A
      { cohort: '2024-01', periodsObserved: 11, churnPeriod: 6, customers: 1 }, // B
      { cohort: '2024-01', periodsObserved: 11, churnPeriod: null, customers: 2 }, // C, F
      { cohort: '2024-02', periodsObserved: 10, churnPeriod: null, customers: 1 }, // E
      { cohort: '2024-03', periodsObserved: 9, churnPeriod: 3, customers: 1 }, // D
      { cohort: '2024-06', periodsObserved: 6, churnPeriod: 3, customers: 1 }, // G
    ]);
  });

  it('counts only complete months, caps the periods and labels quarters', async () => {
    const mid = await subs.engine.cohortCounts({ asOf: '2024-06-15', maxPeriods: 3 });
    // June is not complete: January has 4 complete months after it, capped at 3; B ends in July (unknown
    // yet); G started in June, an incomplete month: left out.
    expect(mid.incomplete).toBe(1);
    expect(mid.rows.filter((r) => r.cohort === '2024-01')).toEqual([
      { cohort: '2024-01', periodsObserved: 3, churnPeriod: 2, customers: 1 }, // A
      { cohort: '2024-01', periodsObserved: 3, churnPeriod: null, customers: 3 }, // B, C, F (back in May)
    ]);
    // D churned in June, after its last complete month (May): still active in every observed cell
    expect(mid.rows.filter((r) => r.cohort === '2024-03')).toEqual([
      { cohort: '2024-03', periodsObserved: 2, churnPeriod: null, customers: 1 },
    ]);
    const q = await subs.engine.cohortCounts({ asOf: '2024-12-31', period: 'quarter' });
    expect(q.rows.map((r) => r.cohort)).toEqual(['2024-Q1', '2024-Q1', '2024-Q1', '2024-Q1', '2024-Q2']);
    expect(q.rows[0]).toEqual({ cohort: '2024-Q1', periodsObserved: 3, churnPeriod: 0, customers: 1 }); // A
  });
});
