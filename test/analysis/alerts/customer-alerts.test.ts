// Hand-built customers whose alert level is worked out in advance from DOMAIN 5.3's default reading.
// As of 2025-06-30. A customer whose last transaction is in June 2025 has the baseline window
// 2024-12-01 .. 2025-05-31 (six calendar months) and a full history when their first transaction is on or
// before 2024-12-31; the recent window is the 30 days ending with the last transaction day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { alertReasons, runAlerts } from '../../../src/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../../src/analysis/alerts/rules.js';
import { FIRED_FREQUENCY, FIRED_MONETARY, FIRED_RECENCY } from '../../../src/engine/alert-types.js';
import { tempWorkspace, writeText } from '../../helpers.js';

const R = FIRED_RECENCY;
const F = FIRED_FREQUENCY;
const M = FIRED_MONETARY;

/** Monthly rows on `day` from (year, month) for `count` months. */
function monthly(id: string, from: [number, number], count: number, day: number, amount: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(Date.UTC(from[0], from[1] - 1 + i, day));
    rows.push(`${id},${d.toISOString().slice(0, 10)},${amount}`);
  }
  return rows;
}

/** `n` rows of `amount` on consecutive days from a date. */
function daily(id: string, from: string, n: number, amount: number): string[] {
  const t0 = Date.parse(`${from}T00:00:00Z`);
  return Array.from(
    { length: n },
    (_, i) => `${id},${new Date(t0 + i * 86_400_000).toISOString().slice(0, 10)},${amount}`,
  );
}

const ROWS = [
  // A: 100 on the 25th from 2024-10 to 2025-06; recent 1 / 100 against 1 / 100 a month: flat. R 5: yellow by R
  ...monthly('A', [2024, 10], 9, 25, 100),
  // B: ten 10s on days 1-10 of every month 2024-12 .. 2025-05 (10 / 100 a month), then seven on 06-22..28:
  // F and M down exactly 30 % -> yellow (30 % is "up to 30 %"), R 2 is yellow too
  ...[0, 1, 2, 3, 4, 5].flatMap((m) =>
    daily('B', new Date(Date.UTC(2024, 11 + m, 1)).toISOString().slice(0, 10), 10, 10),
  ),
  ...daily('B', '2025-06-22', 7, 10),
  // C: as B but five 30s in June: F down exactly 50 % -> orange (30-50 %), M 150 against 100: growth
  ...[0, 1, 2, 3, 4, 5].flatMap((m) =>
    daily('C', new Date(Date.UTC(2024, 11 + m, 1)).toISOString().slice(0, 10), 10, 10),
  ),
  ...daily('C', '2025-06-24', 5, 30),
  // D: 100 on the 20th 2024-10 .. 2025-05, then 40 on 06-20: M down 60 % -> red although R 10 is yellow
  ...monthly('D', [2024, 10], 8, 20, 100),
  'D,2025-06-20,40',
  // E: 100 on the 10th 2024-10 .. 2025-05, then +100 on 06-10 and a return of -150 on 06-12: recent net -50,
  // M down 150 % -> red; F 2 against 1: growth (the return counts as a transaction). R 18
  ...monthly('E', [2024, 10], 8, 10, 100),
  'E,2025-06-10,100',
  'E,2025-06-12,-150',
  // single purchases: no baseline, R-based levels only
  'F1,2025-06-01,500', // R 29 -> orange
  'F2,2025-05-10,500', // R 51 -> red
  'F3,2024-01-15,500', // R 532 -> lost
  // G: first purchase 2025-02-01, then a collapse in June: short history -> R only: R 29 -> orange
  ...monthly('G', [2025, 2], 4, 1, 100),
  'G,2025-06-01,10',
  // recency boundaries (single purchases): 10 yellow, 11 orange, 30 orange, 31 red, 60 red, 61 lost
  'H10,2025-06-20,5',
  'H11,2025-06-19,5',
  'H30,2025-05-31,5',
  'H31,2025-05-30,5',
  'H60,2025-05-01,5',
  'H61,2025-04-30,5',
  // L: long ago, then back on 06-20: nothing in the baseline window -> no F / M decline: R 10 -> yellow
  'L,2023-01-10,100',
  'L,2025-06-20,100',
  // P: first transaction on 2024-12-31 (in the first baseline month: full history), 100 on the 15th
  // 2025-01 .. 2025-05, 10 on 06-20: M down 90 % -> red
  'P,2024-12-31,100',
  ...monthly('P', [2025, 1], 5, 15, 100),
  'P,2025-06-20,10',
  // Q: as P but starting 2025-01-01: short history -> R 10 -> yellow
  'Q,2025-01-01,100',
  ...monthly('Q', [2025, 1], 5, 15, 100),
  'Q,2025-06-20,10',
  // S: a timestamp late on the as-of day counts: R 0 -> yellow
  'S,2025-06-30T23:30:00,20',
  // T: first purchase after the as-of date: no level
  'T,2025-07-15,20',
  // N: net returns in the baseline (baseline spend <= 0): no M decline; F flat. R 5 -> yellow
  'N,2024-11-05,100',
  ...monthly('N', [2024, 12], 6, 5, -10),
  'N,2025-06-25,50',
];

const EXPECTED: Record<string, { level: string; fired: number }> = {
  A: { level: 'yellow', fired: R },
  B: { level: 'yellow', fired: R | F | M },
  C: { level: 'orange', fired: F },
  D: { level: 'red', fired: M },
  E: { level: 'red', fired: M },
  F1: { level: 'orange', fired: R },
  F2: { level: 'red', fired: R },
  F3: { level: 'lost', fired: R },
  G: { level: 'orange', fired: R },
  H10: { level: 'yellow', fired: R },
  H11: { level: 'orange', fired: R },
  H30: { level: 'orange', fired: R },
  H31: { level: 'red', fired: R },
  H60: { level: 'red', fired: R },
  H61: { level: 'lost', fired: R },
  L: { level: 'yellow', fired: R },
  N: { level: 'yellow', fired: R },
  P: { level: 'red', fired: M },
  Q: { level: 'yellow', fired: R },
  S: { level: 'yellow', fired: R },
};

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(ws.dir, 't.csv', ['customer_id,date,amount', ...ROWS].join('\n') + '\n'),
    allowFuture: true,
  });
  // Z never bought anything
  await importFile(ws.engine, { table: 'customers', file: writeText(ws.dir, 'c.csv', 'customer_id\nZ\n') });
});
afterAll(() => ws.cleanup());

const run = (asOf: string, rules?: AlertRules) =>
  runAlerts(ws.engine, {
    asOf,
    save: false,
    groups: false,
    perCustomer: true,
    list: 100,
    ...(rules ? { rules } : {}),
  });

function byId(report: Awaited<ReturnType<typeof run>>) {
  const c = report.customers.perCustomer!;
  return new Map(
    c.customerIds.map((id, i) => [
      id,
      {
        level: c.level[i]!,
        fired: c.fired[i]!,
        recency: c.recency[i]!,
        full: c.fullHistory[i] === 1,
        recentCount: c.recentCount[i]!,
        baseCount: c.baselineMonthlyCount[i]!,
        fDown: c.frequencyDownPercent[i]!,
        recentAmount: c.recentAmount[i]!,
        baseAmount: c.baselineMonthlyAmount[i]!,
        mDown: c.monetaryDownPercent[i]!,
      },
    ]),
  );
}

describe('customer alerts, default bank rules', () => {
  it('puts every customer at the level worked out by hand, naming the conditions that fired', async () => {
    const report = await run('2025-06-30');
    const got = byId(report);
    expect([...got.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, want] of Object.entries(EXPECTED))
      expect({ id, level: got.get(id)!.level, fired: got.get(id)!.fired }).toEqual({ id, ...want });
  });

  it('computes R, the baseline and the declines as the default reading says', async () => {
    const got = byId(await run('2025-06-30'));
    expect(got.get('A')).toMatchObject({
      recency: 5,
      full: true,
      recentCount: 1,
      baseCount: 1,
      fDown: 0,
      mDown: 0,
    });
    expect(got.get('B')).toMatchObject({
      recency: 2,
      recentCount: 7,
      baseCount: 10,
      fDown: 30,
      recentAmount: 70,
    });
    expect(got.get('B')!.mDown).toBe(30);
    expect(got.get('C')).toMatchObject({ fDown: 50, mDown: -50, recentAmount: 150, baseAmount: 100 });
    expect(got.get('D')).toMatchObject({ recency: 10, fDown: 0, mDown: 60 });
    expect(got.get('E')).toMatchObject({
      recency: 18,
      recentCount: 2,
      fDown: -100,
      recentAmount: -50,
      mDown: 150,
    });
    // no baseline: declines are not computed
    for (const id of ['F1', 'F2', 'G', 'Q']) {
      expect(got.get(id)!.full).toBe(false);
      expect(got.get(id)!.fDown).toBeNaN();
      expect(got.get(id)!.mDown).toBeNaN();
    }
    expect(got.get('L')).toMatchObject({ full: true, baseCount: 0 });
    expect(got.get('L')!.fDown).toBeNaN();
    expect(got.get('P')).toMatchObject({ full: true, baseCount: 1, baseAmount: 100, mDown: 90 });
    expect(got.get('N')!.baseAmount).toBe(-10);
    expect(got.get('N')!.mDown).toBeNaN();
    expect(got.get('S')!.recency).toBe(0);
  });

  it('counts levels, customers without transactions and short histories', async () => {
    const r = (await run('2025-06-30')).customers;
    expect(r.asOf).toBe('2025-06-30');
    expect(r.customers).toBe(20);
    expect(r.withoutTransactions).toBe(2); // Z never bought, T only after the as-of date
    expect(r.shortHistory).toBe(12); // F1 F2 F3 G Q S and the six H customers
    expect(r.noLevel).toBe(0);
    const count = (level: string) => r.levels.find((l) => l.level === level)!;
    expect(count('yellow')).toMatchObject({ customers: 7, byRecency: 7, byFrequency: 1, byMonetary: 1 });
    expect(count('orange')).toMatchObject({ customers: 5, byRecency: 4, byFrequency: 1, byMonetary: 0 });
    expect(count('red')).toMatchObject({ customers: 6, byRecency: 3, byFrequency: 0, byMonetary: 3 });
    expect(count('lost')).toMatchObject({ customers: 2, severity: 99 });
    expect(r.previous).toBeNull();
    expect(r.changes).toBeNull();
  });

  it('lists the most severe alerts first with reasons and their numbers', async () => {
    const { list } = (await run('2025-06-30')).customers;
    expect(list.every((a) => a.level !== 'lost')).toBe(true);
    expect(list.slice(0, 5).map((a) => a.level)).toEqual(['red', 'red', 'red', 'red', 'red']);
    // among the reds: by baseline monthly spend, highest first (D, E, P: 100; F2, H31, H60: none)
    expect(list.slice(0, 3).map((a) => a.customerId)).toEqual(['D', 'E', 'P']);
    const d = list.find((a) => a.customerId === 'D')!;
    expect(d.reasons).toEqual(['M down 60% (> 50%): 40 in 30 days vs 100/month']);
    const b = list.find((a) => a.customerId === 'B')!;
    expect(b.reasons).toEqual([
      'R 2 days (0-10)',
      'F down 30% (> 0% and <= 30%): 7 in 30 days vs 10/month',
      'M down 30% (> 0% and <= 30%): 70 in 30 days vs 100/month',
    ]);
    // the same reasons as codes and numbers, for a dashboard to word in its language
    expect(b.reasonDetails).toEqual([
      { code: 'recency', recencyDays: 2, from: 0, to: 10 },
      { code: 'frequency_down', percent: 30, above: 0, upTo: 30, recent: 7, days: 30, baselineMonthly: 10 },
      { code: 'monetary_down', percent: 30, above: 0, upTo: 30, recent: 70, days: 30, baselineMonthly: 100 },
    ]);
    expect(
      alertReasons(
        { ...d, level: 'lost', recency: 75 } as Parameters<typeof alertReasons>[0],
        DEFAULT_ALERT_RULES,
      ),
    ).toEqual(['R 75 days > 60: lost']);
  });

  it('an as-of date before a customer first bought gives them no level', async () => {
    const got = byId(await run('2024-12-31'));
    // on 2024-12-31: A (2024-10-25 .. 12-25), B (12-01 .. 12-10), C, D, E, F3, L, N, P had bought
    expect([...got.keys()].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F3', 'L', 'N', 'P']);
    // P's first (and only) transaction is on the as-of day: R 0, no history
    expect(got.get('P')).toMatchObject({ level: 'yellow', recency: 0, full: false });
    expect(got.get('F3')!.level).toBe('lost');
  });

  it('user rules: other thresholds, fewer conditions, gaps between levels', async () => {
    const rules: AlertRules = {
      ...DEFAULT_ALERT_RULES,
      lostAfterDays: 90,
      levels: [
        {
          name: 'watch',
          label: null,
          recencyDays: { from: 20, to: 40 },
          frequencyDownPercent: null,
          monetaryDownPercent: null,
        },
        {
          name: 'act',
          label: null,
          recencyDays: { from: 41, to: 90 },
          frequencyDownPercent: null,
          monetaryDownPercent: { above: 55, upTo: null },
        },
      ],
    };
    const got = byId(await run('2025-06-30', rules));
    expect(got.get('A')!.level).toBe(''); // R 5: no level
    expect(got.get('D')).toMatchObject({ level: 'act', fired: M }); // 60 % > 55 %
    expect(got.get('H61')).toMatchObject({ level: 'act', fired: R }); // lost only beyond 90 days
    expect(got.get('F1')).toMatchObject({ level: 'watch', fired: R });
    const report = await run('2025-06-30', rules);
    // R 0-19 without an M decline above 55 %: A B C H10 H11 L N Q S
    expect(report.customers.noLevel).toBe(9);
  });
});
