// Stored alert runs and what changed between them. Single purchases only (no baseline), so every level
// comes from R alone and is easy to work out: yellow R 0-10, orange 11-30, red 31-60, lost > 60.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/data/import.js';
import { runAlerts } from '../../../src/analysis/alerts/alerts.js';
import { DEFAULT_ALERT_RULES, rulesHash, type AlertRules } from '../../../src/analysis/alerts/rules.js';
import { tempWorkspace, writeText } from '../../helpers.js';

// as of 2025-03-31 (run 1) and 2025-04-30 (run 2):
const ROWS = [
  'U1,2025-03-25', // R 6 yellow -> R 36 red: escalated
  'U2,2025-03-01', // R 30 orange ...
  'U2,2025-04-28', // ... -> R 2 yellow: lowered
  'U3,2025-01-15', // R 75 lost ...
  'U3,2025-04-29', // ... -> R 1 yellow: returned
  'U4,2025-02-20', // R 39 red -> R 69 lost: lost
  'U5,2025-04-10', // nothing yet -> R 20 orange: new
  'U6,2025-03-28', // R 3 yellow ...
  'U6,2025-04-27', // ... -> R 3 yellow: unchanged
  'U7,2024-12-01', // lost -> lost: unchanged
];

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeAll(async () => {
  ws = await tempWorkspace();
  await importFile(ws.engine, {
    table: 'transactions',
    file: writeText(
      ws.dir,
      't.csv',
      ['customer_id,date,amount', ...ROWS.map((r) => `${r},10`)].join('\n') + '\n',
    ),
  });
});
afterAll(() => ws.cleanup());

const changesOf = (report: Awaited<ReturnType<typeof runAlerts>>) => {
  const c = report.customers.perCustomer!;
  return Object.fromEntries(
    c.customerIds.map((id, i) => [id, [c.previousLevel[i], c.level[i], c.change[i]]]),
  );
};

describe('alert history', () => {
  it('the first run has nothing to compare with and is stored', async () => {
    const r = await runAlerts(ws.engine, { asOf: '2025-03-31', groups: false, perCustomer: true });
    expect(r.customers.previous).toBeNull();
    expect(r.customers.changes).toBeNull();
    expect(r.customers.saved).toBe(true);
    expect(changesOf(r)).toEqual({
      U1: ['', 'yellow', ''],
      U2: ['', 'orange', ''],
      U3: ['', 'lost', ''],
      U4: ['', 'red', ''],
      U6: ['', 'yellow', ''],
      U7: ['', 'lost', ''],
    });
    const runs = await ws.engine.alertRuns();
    expect(runs).toEqual([
      {
        asOf: '2025-03-31',
        savedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        rulesHash: rulesHash(DEFAULT_ALERT_RULES),
        customers: 6,
        levels: { yellow: 2, orange: 1, red: 1, lost: 2 },
        groupAlerts: 0,
      },
    ]);
  });

  it('a later run says what is new, escalated, lowered, lost, returned or unchanged', async () => {
    const r = await runAlerts(ws.engine, { asOf: '2025-04-30', groups: false, perCustomer: true, list: 10 });
    expect(r.customers.previous).toEqual({ asOf: '2025-03-31', rulesHash: rulesHash(DEFAULT_ALERT_RULES) });
    expect(changesOf(r)).toEqual({
      U1: ['yellow', 'red', 'escalated'],
      U2: ['orange', 'yellow', 'lowered'],
      U3: ['lost', 'yellow', 'returned'],
      U4: ['red', 'lost', 'lost'],
      U5: ['', 'orange', 'new'],
      U6: ['yellow', 'yellow', 'unchanged'],
      U7: ['lost', 'lost', 'unchanged'],
    });
    expect(r.customers.changes).toEqual({
      new: 1,
      escalated: 1,
      lowered: 1,
      unchanged: 2,
      lost: 1,
      returned: 1,
      cleared: 0,
    });
    // listed: most severe first, escalated before new before the rest at the same level
    expect(r.customers.list.map((a) => [a.customerId, a.level, a.change])).toEqual([
      ['U1', 'red', 'escalated'],
      ['U5', 'orange', 'new'],
      ['U3', 'yellow', 'returned'],
      ['U2', 'yellow', 'lowered'],
      ['U6', 'yellow', 'unchanged'],
    ]);
  });

  it('without saving, nothing is stored; running a date again replaces its run', async () => {
    await runAlerts(ws.engine, { asOf: '2025-05-05', groups: false, save: false });
    expect((await ws.engine.alertRuns()).map((r) => r.asOf)).toEqual(['2025-04-30', '2025-03-31']);
    await runAlerts(ws.engine, { asOf: '2025-04-30', groups: false });
    const runs = await ws.engine.alertRuns();
    expect(runs.map((r) => r.asOf)).toEqual(['2025-04-30', '2025-03-31']);
    expect(runs[0]!.customers).toBe(7);
    const [n] = await ws.engine.query(
      `SELECT count(*) AS n FROM customer_alerts WHERE as_of = DATE '2025-04-30'`,
    );
    expect(Number(n!.n)).toBe(7);
  });

  it('an earlier date compares with the run before it; other rules can clear alerts', async () => {
    const between = await runAlerts(ws.engine, { asOf: '2025-04-15', groups: false, save: false });
    expect(between.customers.previous?.asOf).toBe('2025-03-31');
    // on 2025-05-10 with only "R 0-10 days" as a level: customers at R 11-60 have no level any more
    const rules: AlertRules = {
      ...DEFAULT_ALERT_RULES,
      levels: [
        {
          name: 'recent',
          label: null,
          recencyDays: { from: 0, to: 10 },
          frequencyDownPercent: null,
          monetaryDownPercent: null,
        },
      ],
    };
    const r = await runAlerts(ws.engine, {
      asOf: '2025-05-10',
      groups: false,
      save: false,
      rules,
      perCustomer: true,
    });
    expect(r.customers.previous).toEqual({ asOf: '2025-04-30', rulesHash: rulesHash(DEFAULT_ALERT_RULES) });
    expect(r.rulesHash).not.toBe(rulesHash(DEFAULT_ALERT_RULES));
    // as of 2025-05-10: U1 R 46, U2 R 12, U3 R 11, U5 R 30, U6 R 13 -> no level; U4 R 79, U7 lost
    expect(changesOf(r)).toEqual({
      U1: ['red', '', 'cleared'],
      U2: ['yellow', '', 'cleared'],
      U3: ['yellow', '', 'cleared'],
      U4: ['lost', 'lost', 'unchanged'],
      U5: ['orange', '', 'cleared'],
      U6: ['yellow', '', 'cleared'],
      U7: ['lost', 'lost', 'unchanged'],
    });
    expect(r.customers.changes!.cleared).toBe(5);
    expect(r.customers.noLevel).toBe(5);
  });
});
