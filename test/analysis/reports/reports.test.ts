import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinReport } from '../../../src/analysis/reports/builtin.js';
import { runReport } from '../../../src/analysis/reports/run-report.js';
import { tempWorkspace } from '../../helpers.js';
import { loadSmallWorkspace } from './fixtures.js';

/*
 * Worked numbers (fixtures.ts). Average monthly revenue before month m = bills of the months with bills among
 * the 3 calendar months before m / their number, else the fee of the subscription row, else 0:
 *   before Jan: A (30 + 30 + 36) / 3 = 32, B 50 / 1 = 50, D 15, E 10 / 1 = 10
 *   before Feb: C no bills -> fee 20, D 15, E (10 + 10) / 2 = 10, F 0
 * January: start A B D E = 4, new C, A voluntary (101), B involuntary (335), end C D E = 3
 * February: start C D E = 3, C voluntary (205), E ends without an event (other end), end D = 1, F an event
 *   without a subscription end
 */
describe('churn reports on a hand-built workspace', () => {
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    ws = await tempWorkspace();
    await loadSmallWorkspace(ws.engine, ws.dir);
  });
  afterAll(async () => ws.cleanup());
  const opts = { from: '2025-01', to: '2025-02' } as const;

  it('the flow: customers, accounts, revenue', async () => {
    const flow = await ws.engine.churnFlow(opts);
    expect(flow.revenueKinds).toEqual(['bill']);
    expect(flow.rows).toEqual([
      {
        month: '2025-01',
        group: 'all',
        start: 4,
        new: 1,
        voluntary: 1,
        involuntary: 1,
        otherEnds: 0,
        end: 3,
        accountsStart: 4,
        closedAccounts: 2, // A and B; D's Basic row is replaced the next day
        revenueStart: 32 + 50 + 15 + 10,
        revenueLost: 32 + 50,
        eventsWithoutEnd: 0,
      },
      {
        month: '2025-02',
        group: 'all',
        start: 3,
        new: 0,
        voluntary: 1,
        involuntary: 0,
        otherEnds: 1,
        end: 1,
        accountsStart: 3,
        closedAccounts: 2,
        revenueStart: 20 + 15 + 10,
        revenueLost: 20 + 10,
        eventsWithoutEnd: 1,
      },
    ]);
  });

  it('by region, and revenue of every transaction kind', async () => {
    const flow = await ws.engine.churnFlow({ ...opts, by: 'region' });
    expect(flow.rows.map((r) => [r.month, r.group, r.start, r.new, r.voluntary, r.otherEnds, r.end])).toEqual(
      [
        ['2025-01', 'North', 2, 1, 1, 0, 2],
        ['2025-01', 'South', 2, 0, 0, 0, 1],
        ['2025-02', 'North', 2, 0, 1, 1, 0],
        ['2025-02', 'South', 1, 0, 0, 0, 1],
      ],
    );
    // every kind: A's 500 purchase in December makes A's average (30 + 30 + 536) / 3
    const all = await ws.engine.churnFlow({ ...opts, revenueKinds: null });
    expect(all.rows[0]!.revenueLost).toBeCloseTo((30 + 30 + 536) / 3 + 50, 6);
  });

  it('by plan: the plan in force; D moves from Basic to Premium (net transfers)', async () => {
    const run = await runReport(ws.engine, builtinReport('churn-flow'), {
      ...opts,
      by: 'plan',
      charts: false,
    });
    const rows = run.document.sections[0]!.table!.rows;
    const get = (m: string, g: string) => rows.find((r) => r.month === m && r.group === g)!;
    // January close: C Basic, D Premium (the row in force on 1 February), E Basic
    expect(get('2025-01', 'Basic')).toMatchObject({ start: 2, new: 1, end: 2, netTransfers: -1 });
    expect(get('2025-01', 'Premium')).toMatchObject({ start: 1, involuntary: 1, end: 1, netTransfers: 1 });
    expect(get('2025-01', 'Standard')).toMatchObject({ start: 1, voluntary: 1, end: 0 });
  });

  it('tenure bands and stages of the leavers', async () => {
    const c = await ws.engine.churners({ ...opts, by: 'tenure' });
    expect(c.rows.map((r) => [r.month, r.group, r.reasonCode, r.churners])).toEqual([
      ['2025-01', '0-3 months', '335', 1], // B: 2024-12-01 to 2025-01-31
      ['2025-01', '3-6 months', '101', 1], // A: 2024-10-01 to 2025-01-20
      ['2025-02', '0-3 months', '205', 1], // C
      ['2025-02', '3-6 months', '102', 1], // F: signup 2024-11-01, event 2025-02-05
      ['2025-02', '6-12 months', '(none)', 1], // E: 2024-06-01 to 2025-02-28
    ]);
    const s = await ws.engine.churners({ ...opts, by: 'stage' });
    expect(s.rows.map((r) => r.group)).toEqual([
      'I exploration',
      'II formation',
      'I exploration',
      'II formation',
      'II formation',
    ]);
  });

  it('churners and revenue lost per month by type', async () => {
    const run = await runReport(ws.engine, builtinReport('churners'), { ...opts, charts: false });
    const [count, revenue] = run.document.sections.map((s) => s.table!);
    expect(count!.columns.map((c) => c.label)).toEqual([
      'month',
      'voluntary',
      'involuntary',
      'unknown',
      'total churners',
    ]);
    expect(count!.rows).toEqual([
      {
        month: '2025-01',
        'churners:voluntary': 1,
        'churners:involuntary': 1,
        'churners:unknown': 0,
        churners: 2,
      },
      {
        month: '2025-02',
        'churners:voluntary': 2,
        'churners:involuntary': 0,
        'churners:unknown': 1,
        churners: 3,
      },
    ]);
    expect(count!.totals).toMatchObject({ month: 'total', 'churners:voluntary': 3, churners: 5 });
    expect(revenue!.rows).toEqual([
      {
        month: '2025-01',
        'revenueLost:voluntary': 32,
        'revenueLost:involuntary': 50,
        'revenueLost:unknown': 0,
        revenueLost: 82,
        averageRevenueLost: 41,
      },
      {
        month: '2025-02',
        'revenueLost:voluntary': 20, // C 20 + F 0
        'revenueLost:involuntary': 0,
        'revenueLost:unknown': 10,
        revenueLost: 30,
        averageRevenueLost: 10,
      },
    ]);
    expect(revenue!.totals).toMatchObject({ revenueLost: 112, averageRevenueLost: 22.4 });
  });

  it('churners per reason code per month with totals, revenue per reason and family', async () => {
    const run = await runReport(ws.engine, builtinReport('reasons'), { ...opts, charts: false });
    const [perMonth, perReason, perFamily] = run.document.sections.map((s) => s.table!);
    expect(perMonth!.columns.map((c) => c.label)).toEqual([
      'month',
      '(none)',
      '101 price',
      '102 promotion',
      '205 network',
      '335 credit',
      'total churners',
    ]);
    expect(perMonth!.rows.map((r) => Object.values(r))).toEqual([
      ['2025-01', 0, 1, 0, 0, 1, 2],
      ['2025-02', 1, 0, 1, 1, 0, 3],
    ]);
    expect(Object.values(perMonth!.totals!)).toEqual(['total', 1, 1, 1, 1, 1, 5]);
    expect(perReason!.rows.map((r) => [r.reasonCode, r.reason, r.family, r.churners, r.revenueLost])).toEqual(
      [
        ['(none)', '(none)', 'other', 1, 10],
        ['101', 'price', 'price', 1, 32],
        ['102', 'promotion', 'price', 1, 0],
        ['205', 'network', 'product', 1, 20],
        ['335', 'credit', 'natural', 1, 50],
      ],
    );
    expect(perReason!.totals).toMatchObject({
      reasonCode: 'total',
      reason: '',
      churners: 5,
      revenueLost: 112,
    });
    expect(
      perFamily!.rows.map((r) => [r.family, r['churners:voluntary'], r['churners:involuntary'], r.churners]),
    ).toEqual([
      ['natural', 0, 1, 1],
      ['other', 0, 0, 1],
      ['price', 2, 0, 2],
      ['product', 1, 0, 1],
    ]);
  });

  it('closed accounts vs customers vs revenue, and the leaky bucket', async () => {
    const m = await runReport(ws.engine, builtinReport('churn-measures'), { ...opts, charts: false });
    const t = m.document.sections[0]!.table!;
    expect(t.rows.map((r) => [r.churnRate, r.accountChurnRate, r.revenueChurnRate])).toEqual([
      [0.5, 0.5, 0.766355], // 2 / 4, 2 / 4, 82 / 107
      [0.666667, 0.666667, 0.666667], // 2 / 3, 2 / 3, 30 / 45
    ]);
    const b = await runReport(ws.engine, builtinReport('leaky-bucket'), { ...opts, charts: false });
    const lb = b.document.sections[0]!.table!;
    expect(lb.rows.map((r) => [r.month, r.new, r.churn, r.netChange])).toEqual([
      ['2025-01', 1, 2, -1],
      ['2025-02', 0, 2, -2],
    ]);
    expect(lb.totals).toMatchObject({ start: 4, new: 1, churn: 4, netChange: -3, end: 1 });
    expect(b.document.sections[1]!.table!.rows).toEqual([{ start: 4, end: 1, netChange: -3 }]);
  });

  it('churn by group over the period uses customer-months for the average rate', async () => {
    const run = await runReport(ws.engine, builtinReport('churn-by'), { ...opts, charts: false });
    const t = run.document.sections[0]!.table!;
    expect(
      t.rows.map((r) => [r.group, r.start, r.churn, r.end, r.customerMonths, r.averageChurnRate]),
    ).toEqual([
      ['North', 2, 3, 0, 4, 0.75],
      ['South', 2, 1, 1, 3, 0.333333],
    ]);
    expect(t.totals).toMatchObject({ group: 'total', start: 4, churn: 4, end: 1, customerMonths: 7 });
  });
});
