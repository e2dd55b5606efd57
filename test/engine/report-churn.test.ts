import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { tempWorkspace } from '../helpers.js';

describe('churn flow on the demo data', () => {
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine;
  beforeAll(async () => {
    ws = await tempWorkspace();
    engine = ws.engine;
    await generateDemo(engine, { customers: 3000, seed: 3 });
  }, 120_000);
  afterAll(async () => {
    await ws.cleanup();
  });

  it('end(m) = start(m+1), end = start + new - churn, and the type split matches the churn events', async () => {
    const flow = await engine.churnFlow({});
    expect(flow.from).toBe('2022-01');
    expect(flow.to).toBe('2025-12');
    expect(flow.rows).toHaveLength(48);
    for (let k = 0; k < flow.rows.length; k++) {
      const r = flow.rows[k]!;
      expect(r.end).toBe(r.start + r.new - r.voluntary - r.involuntary - r.otherEnds);
      if (k + 1 < flow.rows.length) expect(flow.rows[k + 1]!.start).toBe(r.end);
      expect(r.eventsWithoutEnd).toBe(0);
    }
    const events = await engine.query(`SELECT strftime("date", '%Y-%m') AS month, "type", count(*) AS n
      FROM churn_events GROUP BY ALL`);
    const count = (m: string, t: string) => Number(events.find((e) => e.month === m && e.type === t)?.n ?? 0);
    for (const r of flow.rows) {
      expect(r.voluntary).toBe(count(r.month, 'voluntary'));
      expect(r.involuntary).toBe(count(r.month, 'involuntary'));
      expect(r.otherEnds).toBe(0);
    }
    const total = flow.rows.reduce((s, r) => s + r.voluntary + r.involuntary, 0);
    expect(total).toBeGreaterThan(100);
  });

  it('by a dimension, the groups add up to the totals', async () => {
    const all = await engine.churnFlow({});
    for (const by of ['region', 'plan', 'stage', 'tenure'] as const) {
      const g = await engine.churnFlow({ by });
      for (const r of all.rows) {
        const rows = g.rows.filter((x) => x.month === r.month);
        const sum = (k: 'start' | 'new' | 'voluntary' | 'involuntary' | 'end') =>
          rows.reduce((s, x) => s + x[k], 0);
        expect([sum('start'), sum('new'), sum('voluntary'), sum('involuntary'), sum('end')]).toEqual([
          r.start,
          r.new,
          r.voluntary,
          r.involuntary,
          r.end,
        ]);
      }
    }
    // the churners dataset counts the same leavers, by type, with the revenue they took
    const c = await engine.churners({ by: 'tenure' });
    const typed = (t: string) => c.rows.filter((r) => r.type === t).reduce((s, r) => s + r.churners, 0);
    const sum = (k: 'voluntary' | 'involuntary') => all.rows.reduce((s, r) => s + r[k], 0);
    expect([typed('voluntary'), typed('involuntary'), typed('unknown')]).toEqual([
      sum('voluntary'),
      sum('involuntary'),
      0,
    ]);
    expect(c.rows.every((r) => r.revenueLost > 0)).toBe(true);
  });
});
