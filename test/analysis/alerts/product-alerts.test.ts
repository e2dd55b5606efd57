// Product-level warnings on hand-built buying histories. As of 2025-06-30 with 30-day periods, 2 baseline
// periods and a 60-day lapse: period 0 = 06-01..06-30 (s0 = 05-31), 1 = 05-02..05-31, 2 = 04-02..05-01.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { runAlerts } from '../../../src/analysis/alerts/alerts.js';
import { groupMetrics } from '../../../src/analysis/alerts/group-alerts.js';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../../src/analysis/alerts/rules.js';
import { tempWorkspace, writeText } from '../../helpers.js';

const RULES: AlertRules = {
  ...DEFAULT_ALERT_RULES,
  groups: { ...DEFAULT_ALERT_RULES.groups, dimensions: ['all'], baselinePeriods: 2, minActiveCustomers: 5 },
  products: { enabled: true, dimensions: ['product', 'category'], lapseAfterDays: 60 },
};

const tx: string[] = [];
for (let i = 0; i < 10; i++) {
  // Basic: 100 on 04-01, 05-01, 05-31 and 06-30: a buyer at every period start, never lapsing
  for (const d of ['2025-04-01', '2025-05-01', '2025-05-31', '2025-06-30'])
    tx.push(`B${i},${d},100,Basic,plan`);
  // Plus: everyone on 03-01, 04-01, 04-20; P0-P4 go on (05-20, 06-15); P5-P9 stop and switch to Basic on
  // 06-10, so they lapse from Plus on 06-20 (61 days after 04-20) but not from the category
  for (const d of ['2025-03-01', '2025-04-01', '2025-04-20']) tx.push(`P${i},${d},100,Plus,plan`);
  if (i < 5) for (const d of ['2025-05-20', '2025-06-15']) tx.push(`P${i},${d},100,Plus,plan`);
  else tx.push(`P${i},2025-06-10,100,Basic,plan`);
}

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(ws.dir, 't.csv', ['customer_id,date,amount,product,category', ...tx].join('\n') + '\n'),
  });
});
afterAll(() => ws.cleanup());

const stats = () =>
  ws.engine.productAlertStats({
    asOf: '2025-06-30',
    kinds: null,
    dimensions: ['product', 'category'],
    periodDays: 30,
    baselinePeriods: 2,
    lapseAfterDays: 60,
  });

describe('product-level warnings', () => {
  it('counts buyers, lapses and spend per product, category and period', async () => {
    const s = await stats();
    const row = (dimension: string, group: string, period: number) =>
      s.rows.find((r) => r.dimension === dimension && r.group === group && r.period === period);
    expect(row('product', 'Plus', 0)).toMatchObject({ active: 10, churned: 5, spend: 500 });
    expect(row('product', 'Plus', 1)).toMatchObject({ active: 10, churned: 0, spend: 500 });
    expect(row('product', 'Plus', 2)).toMatchObject({ active: 10, churned: 0, spend: 1000 });
    // the switchers bought Basic only after s0: not among its buyers at the period start
    expect(row('product', 'Basic', 0)).toMatchObject({ active: 10, churned: 0, spend: 1000 });
    // the category keeps the switchers: 20 buyers, nobody lapses
    expect(row('category', 'plan', 0)).toMatchObject({ active: 20, churned: 0, spend: 2000 });
    expect(s.churnSource).toBe('inactivity');
  });

  it('warns about a product whose buyers lapse against its own baseline, with the numbers', async () => {
    const m = Object.fromEntries(groupMetrics(await stats(), RULES.groups).map((g) => [g.group, g]));
    // Plus: 5 / 10 lapse now, 0 / 20 before; pooled 5 / 30: z = 0.5 / sqrt(1/6 * 5/6 * (1/10 + 1/20))
    expect(m.Plus!.churnZ).toBeCloseTo(0.5 / Math.sqrt((1 / 6) * (5 / 6) * 0.15), 12);
    // Plus spend: 50 per buyer now (5 x 100, 5 x 0) vs 75 before; Welch z = -25 / sqrt(2777.8/10 + 1973.7/20)
    expect(m.Plus!.spendZ).toBeCloseTo(-25 / Math.sqrt(25000 / 9 / 10 + 37500 / 19 / 20), 12);
    const report = await runAlerts(ws.engine, { asOf: '2025-06-30', rules: RULES });
    expect(report.products!.warnings.map((w) => [w.dimension, w.group, w.metric])).toEqual([
      ['product', 'Plus', 'churn_rate'],
    ]);
    expect(report.products!.warnings[0]!.reason).toBe(
      'lapse 50% of 10 buyers vs 0% per period before (from 0, z 3.46)',
    );
    // stored with the run beside the group warnings, and compared separately on the next run
    expect((await ws.engine.alertRuns())[0]).toMatchObject({ asOf: '2025-06-30' });
    const next = await runAlerts(ws.engine, { asOf: '2025-07-30', rules: RULES, save: false });
    expect(next.products!.previous).toEqual({ asOf: '2025-06-30' });
    expect(next.products!.cleared.map((w) => `${w.group} ${w.metric}`)).toEqual(['Plus churn_rate']);
    expect(next.groups!.cleared.every((w) => w.dimension === 'all')).toBe(true);
    const off = await runAlerts(ws.engine, {
      asOf: '2025-06-30',
      rules: RULES,
      products: false,
      save: false,
    });
    expect(off.products).toBeNull();
  });
});
