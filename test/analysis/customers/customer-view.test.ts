/**
 * One customer's view against independent computations on the same DuckDB workspace: the monthly history
 * sums to the customer's transactions, the value tier and the recommended actions equal what lifecycle
 * analysis gives that customer on the recorded month end, and the alerts are the stored runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerView, valueTierOf } from '../../../src/analysis/customers/customer-view.js';
import { runAlerts } from '../../../src/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, customerAlertSpec } from '../../../src/analysis/alerts/rules.js';
import { lifecycleAnalysis, monthEnds } from '../../../src/analysis/lifecycle/lifecycle-analysis.js';
import { generateDemo } from '../../../src/demo/index.js';
import { DEFAULT_LIFECYCLE_RULES } from '../../../src/engine/lifecycle-types.js';
import { tempWorkspace } from '../../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
const MONTH_END = '2025-10-31';

beforeAll(async () => {
  ws = await tempWorkspace();
  await generateDemo(ws.engine, { customers: 800, seed: 5 });
  await ws.engine.recordLifecycleHistory(monthEnds('2025-10', '2025-10'), {
    rules: DEFAULT_LIFECYCLE_RULES,
    alerts: customerAlertSpec(DEFAULT_ALERT_RULES),
  });
  await runAlerts(ws.engine, { asOf: '2025-09-30', groups: false, products: false });
  await runAlerts(ws.engine, { asOf: '2025-10-31', groups: false, products: false });
}, 60_000);
afterAll(() => ws.cleanup());

describe('customer view', () => {
  it('gives the tier and actions of lifecycle analysis on the recorded month end, for a sample of customers', async () => {
    const expected = new Map<string, { tier: string; states: string; fourStage: string }>();
    for (const model of ['states', 'four-stage'] as const) {
      const a = await lifecycleAnalysis(ws.engine, {
        model,
        asOf: MONTH_END,
        perCustomer: true,
        alertRules: DEFAULT_ALERT_RULES,
      });
      const c = a.perCustomer!;
      c.customerIds.forEach((id, i) => {
        const e = expected.get(id) ?? { tier: c.valueTier[i]!, states: '', fourStage: '' };
        if (model === 'states') e.states = c.action[i]!;
        else e.fourStage = c.action[i]!;
        expected.set(id, e);
      });
    }
    const ids = [...expected.keys()].filter((_, i) => i % 40 === 0);
    expect(ids.length).toBeGreaterThan(10);
    const tiers = new Set<string>();
    for (const id of ids) {
      const v = (await customerView(ws.engine, id))!;
      expect(v.lifecycle?.monthEnd).toBe(MONTH_END);
      expect(v.value?.asOf).toBe(MONTH_END);
      expect(v.valueTier, id).toBe(expected.get(id)!.tier);
      expect(v.recommendedActions?.states, id).toBe(expected.get(id)!.states);
      expect(v.recommendedActions?.fourStage, id).toBe(expected.get(id)!.fourStage);
      tiers.add(v.valueTier!);
    }
    expect([...tiers].sort()).toEqual(['high', 'low', 'medium']);

    // the thresholds recorded with the month end equal those computed from the transactions
    const recorded = await Promise.all(ids.map(async (id) => (await customerView(ws.engine, id))!.value));
    const [row] = await ws.engine.query(
      `SELECT high FROM lifecycle_tiers WHERE month_end = DATE '${MONTH_END}'`,
    );
    expect(Number(row!.high)).toBeGreaterThan(0);
    await ws.engine.query(`DELETE FROM lifecycle_tiers`);
    const computed = await Promise.all(ids.map(async (id) => (await customerView(ws.engine, id))!.value));
    for (const [k, v] of computed.entries()) {
      expect(v!.revenue365).toBeCloseTo(recorded[k]!.revenue365, 9);
      expect(v!.thresholds!.high).toBeCloseTo(recorded[k]!.thresholds!.high, 9);
      expect(v!.thresholds!.medium).toBeCloseTo(recorded[k]!.thresholds!.medium, 9);
    }
  });

  it('sums the monthly history to the transactions and lists the newest first', async () => {
    const id = (await ws.engine.customerList({ limit: 1, offset: 0, sort: 'revenue' })).customers[0]!
      .customerId;
    const v = (await customerView(ws.engine, id))!;
    const [row] = await ws.engine.query(
      'SELECT count(*) AS n, sum(amount) AS s FROM transactions WHERE customer_id = $1',
      [id],
    );
    expect(v.transactions.monthly.reduce((s, m) => s + m.count, 0)).toBe(Number(row!.n));
    expect(v.transactions.monthly.reduce((s, m) => s + m.amount, 0)).toBeCloseTo(Number(row!.s), 6);
    expect(v.transactions.recent.length).toBe(Math.min(20, Number(row!.n)));
    expect(v.transactions.recent[0]!.date).toBe(v.transactions.lastPurchase);
    const months = v.transactions.monthly.map((m) => m.month);
    expect(months).toEqual([...months].sort());
  });

  it('shows the stored alert runs, newest first', async () => {
    const [row] = await ws.engine.query(
      `SELECT customer_id FROM customer_alerts WHERE as_of = DATE '2025-10-31' ORDER BY severity DESC, customer_id LIMIT 1`,
    );
    const v = (await customerView(ws.engine, String(row!.customer_id)))!;
    expect(v.alerts.map((a) => a.asOf)[0]).toBe('2025-10-31');
    expect(v.alerts.every((a, i) => i === 0 || a.asOf < v.alerts[i - 1]!.asOf)).toBe(true);
  });

  it('is null for an unknown customer; non-payers are low', async () => {
    expect(await customerView(ws.engine, 'NOPE')).toBeNull();
    expect(valueTierOf(0, { high: 10, medium: 5 })).toBe('low');
    expect(valueTierOf(10, { high: 10, medium: 5 })).toBe('high');
    expect(valueTierOf(5, { high: 10, medium: 5 })).toBe('medium');
    expect(valueTierOf(5, null)).toBe('low');
  });
});
