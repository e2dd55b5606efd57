// Kaplan-Meier analysis on the hand-built workspaces (numbers worked out by hand) and on small tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTimes, kaplanMeierAnalysis } from '../../../src/analysis/survival/kaplan-meier-analysis.js';
import type { TextTable } from '../../../src/data/read-text-table.js';
import { UserError } from '../../../src/util/errors.js';
import { subscriptionWorkspace, transactionWorkspace, type Ws } from './workspaces.js';

const Z = 1.959963984540054;

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

describe('kaplanMeierAnalysis on the workspace', () => {
  it('gives the hand-computed curve, Greenwood intervals and median', async () => {
    // events at 60 (1 of 7), 92 (2 of 6), 182 (1 of 4); censored at 334, 365, 365
    const km = await kaplanMeierAnalysis(
      { engine: subs.engine, asOf: '2024-12-31' },
      { at: [182, 60, 100, 400] },
    );
    expect(km.source).toBe('subscriptions');
    expect(km.asOf).toBe('2024-12-31');
    expect(km.unit).toBe('days');
    expect(km.logRank).toBeNull();
    expect(km.at).toEqual([60, 100, 182, 400]);
    expect([km.subjects, km.events]).toEqual([7, 4]);
    const [all] = km.groups;
    expect(all!.group).toBe('all');
    const s = all!.survival;
    expect(s.map((r) => r.nRisk)).toEqual([7, 4, 4, 0]);
    expect(s.map((r) => r.nEvent)).toEqual([1, 2, 1, 0]);
    const surv = [6 / 7, 4 / 7, 3 / 7, 3 / 7];
    s.forEach((r, i) => expect(r.survival).toBeCloseTo(surv[i]!, 12));
    const greenwood = [1 / 42, 1 / 42 + 2 / 24, 1 / 42 + 2 / 24 + 1 / 12, 1 / 42 + 2 / 24 + 1 / 12];
    s.forEach((r, i) => {
      const se = Math.sqrt(greenwood[i]!);
      expect(r.stdErr).toBeCloseTo(surv[i]! * se, 12);
      expect(r.lower).toBeCloseTo(surv[i]! * Math.exp(-Z * se), 12);
      expect(r.upper).toBeCloseTo(Math.min(1, surv[i]! * Math.exp(Z * se)), 12);
    });
    expect(all!.median).toBe(182); // first time S < 1/2
  });

  it('groups by plan (the last subscription plan) with the hand-computed log-rank test', async () => {
    const km = await kaplanMeierAnalysis(
      { engine: subs.engine, asOf: '2024-12-31' },
      { by: 'plan', at: [100] },
    );
    expect(km.groups.map((g) => [g.group, g.n, g.events])).toEqual([
      ['basic', 4, 2],
      ['pro', 3, 2],
    ]);
    expect(km.groups[0]!.survival[0]!.survival).toBeCloseTo(2 / 4, 12); // A at 60, G at 92 of 4
    expect(km.groups[1]!.survival[0]!.survival).toBeCloseTo(2 / 3, 12); // D at 92 of 3
    // O - E for basic = 2 - (4/7 + 1 + 1/2) = -1/14, V = 12/49 + 2/5 + 1/4 = 877/980: chisq = 5/877
    expect(km.logRank!.df).toBe(1);
    expect(km.logRank!.chisq).toBeCloseTo(5 / 877, 12);
    expect(km.logRank!.groups[0]!.expected).toBeCloseTo(29 / 14, 12);
  });

  it('reports missing group values as their own group and converts to months', async () => {
    const km = await kaplanMeierAnalysis(
      { engine: subs.engine, asOf: '2024-12-31', unit: 'months' },
      { by: 'region' },
    );
    expect(km.unit).toBe('months');
    expect(km.groups.map((g) => g.group)).toEqual(['(missing)', 'north', 'south']);
    expect(Array.from(km.groups[1]!.curve.time)).toEqual([60 / 30.4375, 182 / 30.4375, 365 / 30.4375]);
    expect(km.at).toEqual([1, 3, 6]); // default times within the longest (about 12 months)
    expect(km.groups[0]!.median).toBeCloseTo(92 / 30.4375, 12);
  });

  it('uses transactions without subscriptions and says so', async () => {
    const km = await kaplanMeierAnalysis({ engine: txs.engine, asOf: '2024-12-31' }, { at: [0, 60] });
    expect(km.source).toBe('transactions');
    expect(km.time).toMatch(/first to the last purchase/);
    // lost at 0 (R) and 60 (P); censored at 30 (S) and 326 (Q)
    expect(km.groups[0]!.survival.map((r) => r.survival)).toEqual([3 / 4, (3 / 4) * (1 / 2)]);
  });

  it('rejects a workspace group column it does not know', async () => {
    await expect(kaplanMeierAnalysis({ engine: subs.engine }, { by: 'Contract' })).rejects.toThrow(
      /--by must be one of region, plan, channel, segment, gender/,
    );
  });
});

const table = (rows: string[][]): TextTable => ({
  file: 'small.csv',
  header: ['id', 'months', 'status', 'arm'],
  rows,
});

describe('kaplanMeierAnalysis on a table', () => {
  it('matches the workspace numbers on the same data', async () => {
    const t = table([
      ['A', '60', 'gone', 'basic'],
      ['G', '92', 'gone', 'basic'],
      ['E', '334', 'here', 'basic'],
      ['C', '365', 'here', 'basic'],
      ['D', '92', 'gone', 'pro'],
      ['B', '182', 'gone', 'pro'],
      ['F', '365', 'here', ' pro '],
    ]);
    const km = await kaplanMeierAnalysis(
      { table: t, time: 'months', event: 'status=gone' },
      { by: 'arm', at: [100] },
    );
    expect(km.source).toBe('table');
    expect(km.file).toBe('small.csv');
    expect(km.event).toBe('status=gone');
    expect(km.logRank!.chisq).toBeCloseTo(5 / 877, 12);
    expect(km.groups.map((g) => g.n)).toEqual([4, 3]);
  });

  it('names the file, column and row of bad values', async () => {
    const bad = async (rows: string[][], event = 'status=gone') =>
      kaplanMeierAnalysis({ table: table(rows), time: 'months', event }, {});
    await expect(
      bad([
        ['a', '1', 'gone', 'x'],
        ['b', 'abc', 'here', 'x'],
      ]),
    ).rejects.toThrow('small.csv: row 2, column "months": time "abc" is not a number');
    await expect(bad([['a', '-3', 'gone', 'x']])).rejects.toThrow(
      'small.csv: row 1, column "months": time -3 is negative',
    );
    await expect(bad([['a', '', 'gone', 'x']])).rejects.toThrow('row 1, column "months": the time is blank');
    await expect(bad([['a', '1', '', 'x']])).rejects.toThrow(
      'row 1, column "status": the event value is blank',
    );
    await expect(bad([['a', '1', 'here', 'x']])).rejects.toThrow(
      'small.csv: column "status" never has the event value "gone" (--event); values seen: "here"',
    );
    await expect(bad([['a', '1', 'here', 'x']], 'state=gone')).rejects.toThrow(
      'small.csv: no column "state" (--event); columns: id, months, status, arm',
    );
    await expect(bad([['a', '1', 'here', 'x']], 'status')).rejects.toBeInstanceOf(UserError);
  });

  it('refuses to compare more groups than make sense', async () => {
    const rows = Array.from({ length: 101 }, (_, i) => [`c${i}`, String(i), 'gone', 'x']);
    await expect(
      kaplanMeierAnalysis({ table: table(rows), time: 'months', event: 'status=gone' }, { by: 'id' }),
    ).rejects.toThrow('--by id has 101 distinct values; at most 100 groups');
  });
});

describe('defaultTimes', () => {
  it('picks round times up to the longest', () => {
    expect(defaultTimes(72, null)).toEqual([20, 40, 60]);
    expect(defaultTimes(7, null)).toEqual([2, 4, 6]);
    expect(defaultTimes(400, 'days')).toEqual([30, 90, 180, 365]);
    expect(defaultTimes(0.5, 'months')).toEqual([0.5]);
  });
});
