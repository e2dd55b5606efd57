// The demo operator's planted truth (docs/demo-data.md), found by the early warning. Voluntary leavers'
// usage and bills fall before they exit ("decline precedes voluntary exit"), complaints raise churn, and
// the price rises of 2024-04-01 and 2025-04-01 double price-driven exits in the months after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlerts } from '../../../src/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, type AlertRules } from '../../../src/analysis/alerts/rules.js';
import { generateDemo } from '../../../src/demo/index.js';
import type { Engine } from '../../../src/engine/engine.js';
import { tempWorkspace } from '../../helpers.js';

let engine: Engine;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ engine, cleanup } = await tempWorkspace());
  await generateDemo(engine, { customers: 20_000, seed: 42 });
});
afterAll(() => cleanup());

const MONTH_ENDS = ['2025-04-30', '2025-05-31', '2025-06-30', '2025-07-31', '2025-08-31', '2025-09-30'];

const ids = async (sql: string, params: unknown[] = []) =>
  new Set((await engine.query(sql, params)).map((r) => String(r.customer_id)));

/**
 * Customers with a subscription on each month end, pooled over the month ends: churn within 90 days by
 * whether they were at orange or red through an F / M decline (D) and whether they complained in the 90
 * days before (C).
 */
async function churnBySignal(rules: AlertRules) {
  const cells: Record<string, { n: number; churned: number }> = {};
  for (const asOf of MONTH_ENDS) {
    const r = await runAlerts(engine, {
      asOf,
      rules,
      save: false,
      groups: false,
      perCustomer: true,
      list: 0,
    });
    const c = r.customers.perCustomer!;
    const active = await ids(
      `SELECT DISTINCT customer_id FROM subscriptions
       WHERE start_date <= CAST($1 AS DATE) AND (end_date IS NULL OR end_date >= CAST($1 AS DATE))`,
      [asOf],
    );
    const complained = await ids(
      `SELECT DISTINCT customer_id FROM interactions WHERE kind = 'complaint'
       AND "date" > CAST($1 AS DATE) - 90 AND "date" < CAST($1 AS DATE) + 1`,
      [asOf],
    );
    const churned = await ids(
      `SELECT DISTINCT customer_id FROM churn_events WHERE "date" > CAST($1 AS DATE) AND "date" <= CAST($1 AS DATE) + 90`,
      [asOf],
    );
    c.customerIds.forEach((id, i) => {
      if (!active.has(id)) return;
      const decline = (c.level[i] === 'orange' || c.level[i] === 'red') && (c.fired[i]! & 6) > 0;
      const key = `${decline ? 'D' : '-'}${complained.has(id) ? 'C' : '-'}`;
      const cell = (cells[key] ??= { n: 0, churned: 0 });
      cell.n++;
      if (churned.has(id)) cell.churned++;
    });
  }
  const rate = (...keys: string[]) =>
    keys.reduce((a, k) => a + (cells[k]?.churned ?? 0), 0) / keys.reduce((a, k) => a + (cells[k]?.n ?? 0), 0);
  return { cells, rate };
}

describe('early warning on the demo data', () => {
  it('default bank rules: a decline alert marks leavers, and adds to complaints', async () => {
    const { cells, rate } = await churnBySignal(DEFAULT_ALERT_RULES);
    // measured: no signal 5.4 %, complaint only 11.8 %, decline alert only 9.3 %, both 18.4 %
    expect(cells.DC!.n).toBeGreaterThan(200);
    expect(rate('D-')).toBeGreaterThan(1.4 * rate('--'));
    expect(rate('DC')).toBeGreaterThan(rate('-C'));
    expect(rate('DC')).toBeGreaterThan(rate('D-'));
    expect(rate('DC')).toBeGreaterThan(2.5 * rate('--'));
  }, 120_000);

  it('monthly bills only: orange or red by decline means most of them leave within 90 days', async () => {
    const { cells, rate } = await churnBySignal({ ...DEFAULT_ALERT_RULES, transactionKinds: ['bill'] });
    // measured: 62 % of those at orange / red by decline leave within 90 days, against 5.8 % of the rest
    expect(cells['D-']!.n + cells.DC!.n).toBeGreaterThan(200);
    expect(rate('D-', 'DC')).toBeGreaterThan(0.4);
    expect(rate('D-', 'DC')).toBeGreaterThan(5 * rate('--', '-C'));
  }, 120_000);

  it('leavers are lost 60 days after their last bill', async () => {
    const r = await runAlerts(engine, { asOf: '2025-12-31', save: false, groups: false, perCustomer: true });
    const c = r.customers.perCustomer!;
    const level = new Map(c.customerIds.map((id, i) => [id, c.level[i]]));
    // left in 2025-01 .. 2025-09 and never came back (no later subscription)
    const gone = await ids(
      `SELECT customer_id FROM churn_events e WHERE "date" BETWEEN DATE '2025-01-01' AND DATE '2025-09-30'
       AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = e.customer_id AND s.start_date > e."date")`,
    );
    expect(gone.size).toBeGreaterThan(1000);
    expect([...gone].every((id) => level.get(id) === 'lost')).toBe(true);
  });

  it('group warnings catch the churn wave after the 2024 price rise, not a quiet month', async () => {
    const rise = await runAlerts(engine, { asOf: '2024-05-31', save: false, list: 0 });
    const all = rise.groups!.warnings.find((w) => w.dimension === 'all' && w.metric === 'churn_rate');
    expect(all).toBeDefined();
    expect(all!.changePercent!).toBeGreaterThan(25);
    expect(all!.z).toBeGreaterThan(3);
    const quiet = await runAlerts(engine, { asOf: '2025-12-31', save: false, list: 0 });
    expect(quiet.groups!.warnings.filter((w) => w.dimension === 'all')).toEqual([]);
    expect(quiet.groups!.churnSource).toBe('churn_events');
  });

  it('product warnings: the plans lose buyers after the 2024 price rise, not in a quiet month', async () => {
    // the leavers' last bills are in April 2024, so they lapse from their plan 60 days later, in July
    const lapse = (r: Awaited<ReturnType<typeof runAlerts>>) =>
      r.products!.warnings.filter((w) => w.metric === 'churn_rate').map((w) => `${w.dimension} ${w.group}`);
    const wave = await runAlerts(engine, { asOf: '2024-07-31', save: false, list: 0, groups: false });
    expect(lapse(wave)).toContain('category service');
    expect(lapse(wave)).toContain('product Standard');
    const quiet = await runAlerts(engine, { asOf: '2025-12-31', save: false, list: 0, groups: false });
    expect(lapse(quiet)).toEqual([]);
  });
});
