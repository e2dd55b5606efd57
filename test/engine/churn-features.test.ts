// Point-in-time churn features on a hand-built workspace (as of 2025-06-30), and the leakage check: the
// same workspace truncated at the as-of day gives identical features.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/data/import.js';
import type { ChurnFeatureColumns } from '../../src/engine/churn-types.js';
import { tempWorkspace, writeText } from '../helpers.js';

const AS_OF = '2025-06-30';

const months = (from: string, to: string) => {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCMonth(d.getUTCMonth() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
};

/** Every record, each with its date; `cut` keeps what was known on AS_OF. */
function records(cut: boolean) {
  const keep = (day: string) => !cut || day <= AS_OF;
  const tx = [
    ...months('2024-01-05', '2025-09-05').map((d) => `A,${d},${d < '2025-03-01' ? 30 : 40},bill`),
    ...months('2024-06-05', '2025-07-05').map((d) => `B,${d},25,bill`),
    ...months('2024-01-05', '2025-05-05').map((d) => `C,${d},20,bill`),
    ...months('2025-07-05', '2025-09-05').map((d) => `D,${d},50,bill`),
  ].filter((r) => keep(r.split(',')[1]!));
  const subs = [
    ['A', '2024-01-01', '2025-02-28', 'Basic', 30],
    ['A', '2025-03-01', '', 'Plus', 40],
    ['B', '2024-06-01', '2025-07-15', 'Basic', 25],
    ['C', '2024-01-01', '2025-05-31', 'Basic', 20],
    ['D', '2025-07-01', '', 'Premium', 50],
  ]
    .filter(([, start]) => keep(String(start)))
    .map(
      ([id, start, end, plan, fee]) =>
        `${id},${start},${cut && String(end) > AS_OF ? '' : end},${plan},${fee}`,
    );
  const events = [
    ['C', '2025-05-31', '101'],
    ['B', '2025-07-15', '102'],
  ]
    .filter(([, d]) => keep(d!))
    .map((r) => r.join(','));
  const interactions = [
    'B,2025-04-15,complaint,,',
    'B,2025-06-10,complaint,,',
    'B,2025-06-20,complaint,,',
    'A,2025-07-10,complaint,,',
    'B,2025-06-25,service_call,,',
    ...months('2025-01-15', '2025-08-15').flatMap((d) => [
      `A,${d},usage,minutes,${d < '2025-04-01' ? 300 : 330}`,
      `B,${d},usage,minutes,${d < '2025-04-01' ? 200 : 100}`,
    ]),
  ].filter((r) => keep(r.split(',')[1]!));
  return { tx, subs, events, interactions };
}

async function workspace(cut: boolean) {
  const ws = await tempWorkspace();
  const r = records(cut);
  const load = async (
    table: 'customers' | 'transactions' | 'subscriptions' | 'churn_events' | 'interactions',
    header: string,
    rows: string[],
  ) =>
    importFile(ws.engine, {
      table,
      file: writeText(ws.dir, `${table}.csv`, [header, ...rows].join('\n') + '\n'),
    });
  await load('customers', 'customer_id,region,age', ['A,North,40', 'B,South,31', 'C,North,55', 'D,East,']);
  await load('transactions', 'customer_id,date,amount,kind', r.tx);
  await load('subscriptions', 'customer_id,start_date,end_date,plan,monthly_fee', r.subs);
  await load('churn_events', 'customer_id,date,reason_code', r.events);
  await load('interactions', 'customer_id,date,kind,metric,value', r.interactions);
  return ws;
}

let full: Awaited<ReturnType<typeof tempWorkspace>>;
let cut: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  full = await workspace(false);
  cut = await workspace(true);
});
afterAll(async () => {
  await full.cleanup();
  await cut.cleanup();
});

const value = (f: ChurnFeatureColumns, id: string, name: string) => {
  const i = f.customerIds.indexOf(id);
  const n = f.numeric.find((c) => c.name === name);
  if (n) return n.values[i];
  return f.categorical.find((c) => c.name === name)!.values[i];
};

describe('churn features', () => {
  it('population, labels and feature values known in advance', async () => {
    const f = await full.engine.churnFeatures({ asOf: AS_OF, horizonDays: 30 });
    expect(f.population).toBe('subscriptions');
    // C churned before the day, D had not started: not at risk
    expect(f.customerIds).toEqual(['A', 'B']);
    expect(Array.from(f.labels!)).toEqual([0, 1]); // B's churn event on 07-15
    expect(f.dataEnd).toBe('2025-09-05');
    expect(value(f, 'A', 'tenure_days')).toBe(546);
    expect(value(f, 'A', 'monthly_fee')).toBe(40);
    expect(value(f, 'A', 'fee_change_365d')).toBeCloseTo(40 / 30 - 1, 12);
    expect(value(f, 'A', 'plan_changes_365d')).toBe(1);
    expect(value(f, 'A', 'plan')).toBe('Plus');
    expect(value(f, 'A', 'recency_days')).toBe(25); // last bill 06-05
    expect(value(f, 'A', 'spend_90d')).toBe(120); // 04-05, 05-05, 06-05 at 40
    expect(value(f, 'A', 'spend_prev_90d')).toBe(30 + 30 + 40); // 01-05, 02-05, 03-05
    expect(value(f, 'B', 'complaints_30d')).toBe(2);
    expect(value(f, 'B', 'complaints_90d')).toBe(3);
    expect(value(f, 'B', 'service_calls_90d')).toBe(1);
    expect(value(f, 'B', 'usage_minutes_90d')).toBe(100);
    expect(value(f, 'B', 'usage_minutes_trend')).toBeCloseTo(100 / 200 - 1, 12);
    expect(value(f, 'B', 'region')).toBe('South');
    expect(value(f, 'A', 'survey_score_365d')).toBeNaN();
  });

  it('nothing after the as-of day leaks into the features', async () => {
    const a = await full.engine.churnFeatures({ asOf: AS_OF, horizonDays: null });
    const b = await cut.engine.churnFeatures({ asOf: AS_OF, horizonDays: null });
    expect(a.customerIds).toEqual(b.customerIds);
    expect(a.numeric.map((c) => c.name)).toEqual(b.numeric.map((c) => c.name));
    a.numeric.forEach((c, j) =>
      expect(Array.from(c.values), c.name).toEqual(Array.from(b.numeric[j]!.values)),
    );
    expect(a.categorical).toEqual(b.categorical);
    expect(a.labels).toBeNull();
  });

  it('labels need data beyond the horizon; the default day leaves room for them', async () => {
    await expect(full.engine.churnFeatures({ asOf: '2025-09-01', horizonDays: 30 })).rejects.toThrow(
      /need data up to 2025-10-01; the workspace ends on 2025-09-05/,
    );
    const f = await full.engine.churnFeatures({ horizonDays: 30 });
    expect(f.asOf).toBe('2025-08-06');
  });
});
