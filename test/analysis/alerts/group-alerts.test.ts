// Group warnings on hand-built regions whose numbers are worked out below. As of 2025-06-30 with
// 30-day periods and 2 baseline periods: period 0 = 06-01..06-30 (starts after s0 = 05-31), period 1 =
// 05-02..05-31 (s1 = 05-01), period 2 = 04-02..05-01 (s2 = 04-01).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { runAlerts } from '../../../src/analysis/alerts/alerts.js';
import { groupMetrics, groupWarnings } from '../../../src/analysis/alerts/group-alerts.js';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../../src/analysis/alerts/rules.js';
import { tempWorkspace, writeText } from '../../helpers.js';

const RULES: AlertRules = {
  ...DEFAULT_ALERT_RULES,
  groups: {
    ...DEFAULT_ALERT_RULES.groups,
    dimensions: ['all', 'region'],
    baselinePeriods: 2,
    minActiveCustomers: 5,
    churnSource: 'churn_events',
  },
};

const tx: string[] = [];
const customers: string[] = [];
const churn: string[] = [];
for (let i = 0; i < 10; i++) {
  // North: 100 on 04-01, 05-01, 05-31, 06-30: active at every period start, one purchase in every period
  const n = `N${i}`;
  customers.push(`${n},North`);
  for (const d of ['2025-04-01', '2025-05-01', '2025-05-31', '2025-06-30']) tx.push(`${n},${d},100`);
  // South: the same until 05-31; then five spend 20 on 06-30 and five leave on 06-15 (churn records)
  const s = `S${i}`;
  customers.push(`${s},South`);
  for (const d of ['2025-04-01', '2025-05-01', '2025-05-31']) tx.push(`${s},${d},100`);
  if (i < 5) tx.push(`${s},2025-06-30,20`);
  else churn.push(`${s},2025-06-15,101`);
}
for (let i = 0; i < 5; i++) {
  // East: 50 on 03-01, 04-01, 04-20, then nothing: still active at s0 (R 41) and lost on 06-20 (R 61)
  const e = `E${i}`;
  customers.push(`${e},East`);
  for (const d of ['2025-03-01', '2025-04-01', '2025-04-20']) tx.push(`${e},${d},50`);
}

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  const load = (table: 'customers' | 'transactions' | 'churn_events', header: string, rows: string[]) =>
    importFile(ws.engine, {
      table,
      file: writeText(ws.dir, `${table}.csv`, [header, ...rows].join('\n') + '\n'),
    });
  await load('customers', 'customer_id,region', customers);
  await load('transactions', 'customer_id,date,amount', tx);
  await load('churn_events', 'customer_id,date,reason_code', churn);
});
afterAll(() => ws.cleanup());

const stats = (churnSource: 'churn_events' | 'inactivity') =>
  ws.engine.groupAlertStats({
    asOf: '2025-06-30',
    kinds: null,
    dimensions: ['all', 'region'],
    periodDays: 30,
    baselinePeriods: 2,
    lostAfterDays: 60,
    churnSource,
  });

describe('group warnings', () => {
  it('counts active customers, churners and spend per group and period (churn records)', async () => {
    const s = await stats('churn_events');
    expect(s.churnSource).toBe('churn_events');
    expect(s.periods).toEqual([
      { period: 0, from: '2025-06-01', to: '2025-06-30' },
      { period: 1, from: '2025-05-02', to: '2025-05-31' },
      { period: 2, from: '2025-04-02', to: '2025-05-01' },
    ]);
    const row = (group: string, period: number) =>
      s.rows.find((r) => r.group === group && r.period === period && r.dimension !== 'all');
    expect(row('North', 0)).toMatchObject({ active: 10, churned: 0, spend: 1000, spendSquares: 100_000 });
    expect(row('South', 0)).toMatchObject({ active: 10, churned: 5, spend: 100, spendSquares: 2000 });
    expect(row('South', 1)).toMatchObject({ active: 10, churned: 0, spend: 1000 });
    expect(row('East', 0)).toMatchObject({ active: 5, churned: 0, spend: 0 });
    expect(row('East', 2)).toMatchObject({ active: 5, churned: 0, spend: 250, spendSquares: 12_500 });
    const all0 = s.rows.find((r) => r.dimension === 'all' && r.period === 0)!;
    expect(all0).toMatchObject({ group: 'all', active: 25, churned: 5, spend: 1100 });
  });

  it('inactivity: customers turning lost in the period churn', async () => {
    const s = await stats('inactivity');
    const east = s.rows.filter((r) => r.group === 'East').map((r) => [r.period, r.active, r.churned]);
    expect(east).toEqual([
      [0, 5, 5],
      [1, 5, 0],
      [2, 5, 0],
    ]);
    // South's leavers bought last on 05-31: they turn lost only on 07-31
    expect(s.rows.find((r) => r.group === 'South' && r.period === 0)!.churned).toBe(0);
  });

  it('tests churn and spend against the own baseline; flags only significant changes', async () => {
    const s = await stats('churn_events');
    const m = Object.fromEntries(groupMetrics(s, RULES.groups).map((g) => [g.group, g]));
    // South churn: 5 / 10 now, 0 / 20 before; pooled 5 / 30: z = 0.5 / sqrt(1/6 * 5/6 * (1/10 + 1/20))
    expect(m.South!.churnRate).toBe(0.5);
    expect(m.South!.baselineChurnRate).toBe(0);
    expect(m.South!.churnChangePercent).toBeNull();
    expect(m.South!.churnZ).toBeCloseTo(0.5 / Math.sqrt((1 / 6) * (5 / 6) * 0.15), 12);
    // South spend: 10 per active customer (five 20s, five 0s; sample variance 1000 / 9) against 100 (no
    // variance): z = (10 - 100) / sqrt(111.1 / 10) = -27
    expect(m.South!.spendPerCustomer).toBe(10);
    expect(m.South!.baselineSpendPerCustomer).toBe(100);
    expect(m.South!.spendChangePercent).toBeCloseTo(-90, 12);
    expect(m.South!.spendZ).toBeCloseTo(-27, 12);
    // East spend: 0 now against (5 x 50 + 5 x 0) / 10 = 25 (variance 6250 / 9): z = -25 / sqrt(694.4 / 10) = -3
    expect(m.East!.spendPerCustomer).toBe(0);
    expect(m.East!.baselineSpendPerCustomer).toBe(25);
    expect(m.East!.spendZ).toBeCloseTo(-3, 12);
    expect(m.North).toMatchObject({
      churnRate: 0,
      churnZ: 0,
      spendPerCustomer: 100,
      spendZ: 0,
      judged: true,
    });

    const report = groupWarnings(s, RULES.groups, null);
    expect(report.warnings.map((w) => [w.dimension, w.group, w.metric, w.change])).toEqual([
      ['all', 'all', 'churn_rate', null],
      ['all', 'all', 'spend', null],
      ['region', 'East', 'spend', null],
      ['region', 'South', 'churn_rate', null],
      ['region', 'South', 'spend', null],
    ]);
    const south = report.warnings.find((w) => w.group === 'South' && w.metric === 'spend')!;
    expect(south.reason).toBe('spend 10 per active customer vs 100 per period before (-90%, z -27)');
    // stricter thresholds: East (5 active) is too small to judge, a 95 % drop is needed
    const strict = groupWarnings(
      s,
      { ...RULES.groups, minActiveCustomers: 10, minSpendDropPercent: 95 },
      null,
    );
    expect(strict.warnings.map((w) => `${w.group} ${w.metric}`)).toEqual([
      'all churn_rate',
      'South churn_rate',
    ]);
    expect(strict.groups.find((g) => g.group === 'East')!.judged).toBe(false);
  });

  it('stores the warnings with the run; the next run says which are new and which cleared', async () => {
    const first = await runAlerts(ws.engine, { asOf: '2025-05-31', rules: RULES });
    expect(first.groups!.warnings).toEqual([]);
    expect(first.groups!.previous).toBeNull();
    const second = await runAlerts(ws.engine, { asOf: '2025-06-30', rules: RULES });
    expect(second.groups!.previous).toEqual({ asOf: '2025-05-31' });
    expect(second.groups!.warnings.map((w) => w.change)).toEqual(['new', 'new', 'new', 'new', 'new']);
    expect((await ws.engine.alertRuns())[0]).toMatchObject({ asOf: '2025-06-30', groupAlerts: 5 });
    // a month later nobody churns and nobody spends: the churn warnings clear, the spend ones continue
    // (East has no active customer left: too small to judge, its warning clears)
    const third = await runAlerts(ws.engine, { asOf: '2025-07-30', rules: RULES, save: false });
    expect(third.groups!.cleared.map((w) => `${w.group} ${w.metric}`)).toEqual([
      'all churn_rate',
      'East spend',
      'South churn_rate',
    ]);
    expect(
      third.groups!.warnings.filter((w) => w.change === 'continuing').map((w) => `${w.group} ${w.metric}`),
    ).toEqual(['all spend', 'South spend']);
  });
});
