import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churnFlowTable } from '../../../src/analysis/reports/churn-flow.js';
import { builtinReport } from '../../../src/analysis/reports/builtin.js';
import { runReport } from '../../../src/analysis/reports/run-report.js';
import { tempWorkspace } from '../../helpers.js';
import { DOMAIN_TABLE, SCALE, loadDomainWorkspace } from './fixtures.js';

describe('the DOMAIN 5.5 monthly churn summary', () => {
  it('from the per-month aggregates (pure function)', () => {
    const rows = churnFlowTable(
      DOMAIN_TABLE.map((r, k) => ({
        month: r.month,
        ...(k === 0 ? { start: r.start } : {}),
        new: r.new,
        voluntary: r.voluntary,
        involuntary: r.involuntary,
      })),
    );
    expect(
      rows.map((r) => ({
        month: r.month,
        start: r.start,
        new: r.new,
        beforeChurn: r.beforeChurn,
        voluntary: r.voluntary,
        involuntary: r.involuntary,
        end: r.end,
      })),
    ).toEqual(DOMAIN_TABLE);
    // churn rate = churn / start: Jan 7,000 / 1,300,000
    expect(rows[0]!.churnRate).toBeCloseTo(7_000 / 1_300_000, 12);
    expect(rows[0]!.voluntaryRate).toBeCloseTo(5_000 / 1_300_000, 12);
    expect(rows[2]!.involuntaryRate).toBeCloseTo(5_500 / 1_311_500, 12);
    expect(rows.every((r) => r.netTransfers === 0 && r.otherEnds === 0)).toBe(true);
    expect(rows[4]!.netChange).toBe(1_301_200 - 1_303_700);
  });

  it('a given start that differs from the previous end is kept and the measured end gives net transfers', () => {
    const [a, b] = churnFlowTable([
      { month: '1', start: 10, new: 2, voluntary: 1, involuntary: 0, otherEnds: 1, end: 11 },
      { month: '2', new: 0, voluntary: 0, involuntary: 0 },
    ]);
    expect(a).toMatchObject({ beforeChurn: 12, churn: 2, end: 11, netTransfers: 1, churnRate: 0.2 });
    expect(b!.start).toBe(11);
    expect(() => churnFlowTable([{ month: '1', new: 1, voluntary: 0, involuntary: 0 }])).toThrow(
      /needs a start/,
    );
  });

  describe('from raw subscriptions and churn events (scaled down by 100)', () => {
    let ws: Awaited<ReturnType<typeof tempWorkspace>>;
    beforeAll(async () => {
      ws = await tempWorkspace();
      await loadDomainWorkspace(ws.engine, ws.dir);
    }, 60_000);
    afterAll(async () => ws.cleanup());

    it('the engine reproduces the table', async () => {
      const flow = await ws.engine.churnFlow({ from: '2025-01', to: '2025-05' });
      const rows = churnFlowTable(flow.rows);
      expect(
        rows.map((r, k) => ({
          month: DOMAIN_TABLE[k]!.month,
          start: r.start * SCALE,
          new: r.new * SCALE,
          beforeChurn: r.beforeChurn * SCALE,
          voluntary: r.voluntary * SCALE,
          involuntary: r.involuntary * SCALE,
          end: r.end * SCALE,
        })),
      ).toEqual(DOMAIN_TABLE);
      expect(rows.every((r) => r.otherEnds === 0 && r.eventsWithoutEnd === 0 && r.netTransfers === 0)).toBe(
        true,
      );
    });

    it('the built-in churn-flow report has the same rows and rates', async () => {
      const run = await runReport(ws.engine, builtinReport('churn-flow'), {
        from: '2025-01',
        to: '2025-05',
        charts: false,
      });
      const t = run.document.sections[0]!.table!;
      expect(t.columns.map((c) => c.key)).toEqual([
        'month',
        'start',
        'new',
        'beforeChurn',
        'voluntary',
        'involuntary',
        'otherEnds',
        'netTransfers',
        'end',
        'churnRate',
        'voluntaryRate',
        'involuntaryRate',
      ]);
      expect(t.rows.map((r) => [r.month, r.start, r.end])).toEqual([
        ['2025-01', 13_000, 13_030],
        ['2025-02', 13_030, 13_115],
        ['2025-03', 13_115, 13_039],
        ['2025-04', 13_039, 13_037],
        ['2025-05', 13_037, 13_012],
      ]);
      expect(t.rows[0]!.churnRate).toBeCloseTo(70 / 13_000, 6);
      // totals: opening of January, every flow, close of May; the period churn rate over the opening base
      expect(t.totals).toMatchObject({
        month: 'total',
        start: 13_000,
        new: 455,
        voluntary: 288,
        involuntary: 155,
      });
      expect(t.totals!.end).toBe(13_012);
      expect(run.document.sections[0]!.notes).toContain(
        'Identity checked: end(m) = start(m + 1) for every month.',
      );
    });
  });
});
