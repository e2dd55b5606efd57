import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRetention } from '../../src/analysis/planning/retention-plan.js';
import type { DuckDbEngine } from '../../src/engine/duckdb/duckdb-engine.js';
import { tempWorkspace } from '../helpers.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
// large enough for the greedy path (the exact DP table would be too big); the time at 1,000,000 is
// measured by `npm run bench` (bench/planning.mjs), not here
const N = 200_000;

beforeAll(async () => {
  ws = await tempWorkspace();
  const engine = ws.engine as DuckDbEngine;
  // a million scored customers with one purchase each in the last 90 days (synthetic, in SQL)
  await engine.run(
    `INSERT INTO customers (customer_id, segment) SELECT printf('C%07d', i), ['a', 'b', 'c'][1 + i % 3]
     FROM range(${N}) t(i)`,
  );
  await engine.run(
    `INSERT INTO transactions (row_key, customer_id, "date", amount)
     SELECT i, printf('C%07d', i), TIMESTAMP '2025-06-01', 10 + (hash(i) % 1000)::DOUBLE FROM range(${N}) t(i)`,
  );
  await engine.run(
    `INSERT INTO churn_scores SELECT DATE '2025-06-30', printf('C%07d', i), 90,
       ((hash(i * 7 + 1) % 10000) / 10000.0)::DOUBLE, '[]', 'synthetic' FROM range(${N}) t(i)`,
  );
}, 120_000);

afterAll(async () => {
  await ws.cleanup();
});

describe('planning at scale', () => {
  it('plans many customers with the greedy, within the budget and close to its bound', async () => {
    const plan = await planRetention(ws.engine, { budget: 100_000, save: false });
    expect(plan.customers).toBe(N);
    expect(plan.spent).toBeLessThanOrEqual(500_000);
    expect(plan.contacted).toBeGreaterThan(2_000);
    expect(plan.method).toBe('greedy');
    expect(plan.upperBound - plan.expectedNet).toBeLessThan(1e-3 * plan.expectedNet);
    for (const c of plan.contacts) expect(c.valueAtStake).toBeGreaterThan(c.cost);
  }, 120_000);
});
