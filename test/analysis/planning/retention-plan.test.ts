import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planRetention } from '../../../src/analysis/planning/retention-plan.js';
import { valueRiskMatrix } from '../../../src/analysis/planning/value-risk.js';
import { parseActions } from '../../../src/analysis/planning/actions.js';
import { tempWorkspace } from '../../helpers.js';
import { TEST_ACTIONS, scoredWorkspace } from './fixtures.js';

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
beforeEach(async () => {
  ws = await tempWorkspace();
});
afterEach(async () => {
  await ws.cleanup();
});

describe('value x risk', () => {
  it('joins scores and run-rate values and builds the matrix', async () => {
    await scoredWorkspace(ws.engine, ws.dir);
    const m = await valueRiskMatrix(ws.engine, {});
    expect(m.asOf).toBe('2025-06-30');
    expect(m.valueSource.kind).toBe('run-rate');
    expect(m.customers).toBe(5);
    // stakes: A 0.5 x 730, B 0.1 x 73, C 0.9 x 365, D 0, E 0.3 x 146
    expect(m.totals.valueAtRisk).toBeCloseTo(365 + 7.3 + 328.5 + 43.8, 9);
    expect(m.totals.value).toBeCloseTo(730 + 73 + 365 + 146, 9);
    expect(m.valueCuts).toEqual([146, 365]);
    const cell = (risk: string, tier: string) =>
      m.matrix.find((c) => c.risk === risk && c.valueTier === tier)!;
    expect(cell('high', 'high').customers).toBe(2); // A, C
    expect(cell('high', 'high').valueAtRisk).toBeCloseTo(693.5, 9);
    expect(cell('high', 'medium').customers).toBe(1); // E (0.3 is high)
    expect(cell('medium', 'low').customers).toBe(1); // B (0.1 is medium)
    expect(cell('medium', 'none').customers).toBe(1); // D
    expect(m.groups.map((g) => [g.group, g.customers])).toEqual([
      ['(missing)', 3],
      ['gold', 2],
    ]);
  });

  it('says what to run when there are no scores, or not for the horizon', async () => {
    await expect(valueRiskMatrix(ws.engine, {})).rejects.toThrow(/retain churn score/);
    await scoredWorkspace(ws.engine, ws.dir);
    await expect(valueRiskMatrix(ws.engine, { horizonDays: 30 })).rejects.toThrow(/stored: 90 days/);
  });
});

describe('retention plan', () => {
  it('chooses the best contacts under the budget, lets go who would not pay, and stores the plan', async () => {
    await scoredWorkspace(ws.engine, ws.dir);
    const plan = await planRetention(ws.engine, { budget: 21, actions: TEST_ACTIONS });
    // nets: A call 172.5 / gift 34.5; C call 154.25 / gift 30.85; E call 11.9 / gift 2.38; B and D pay nothing
    expect(plan.method).toBe('dp');
    expect(plan.contacts.map((c) => [c.customerId, c.action])).toEqual([
      ['A', 'call'],
      ['C', 'call'],
    ]);
    expect(plan.spent).toBe(20);
    expect(plan.expectedNet).toBeCloseTo(326.75, 9);
    expect(plan.upperBound).toBeCloseTo(326.75, 9);
    expect(plan.expectedSavedCustomers).toBeCloseTo(0.25 + 0.45, 12);
    expect(plan.letGo.customers).toBe(2);
    expect(plan.letGo.list.map((c) => c.customerId)).toEqual(['B', 'D']);
    expect(plan.letGo.list[0]!.reason).toMatch(/would not pay/);
    expect(plan.letGo.list[1]!.reason).toMatch(/no value at stake/);
    expect(plan.notFunded.customers).toBe(1); // E
    for (const c of plan.contacts) {
      expect(c.cost).toBeLessThanOrEqual(c.valueAtStake);
      expect(c.reason).toMatch(/at stake/);
    }
    expect(plan.planId).toBe('P1');
    const stored = await ws.engine.loadPlan('P1');
    expect(stored!.items.map((i) => [i.customerId, i.action, i.cost])).toEqual([
      ['A', 'call', 10],
      ['C', 'call', 10],
    ]);
  });

  it('a larger budget funds cheaper actions for the rest; the greedy agrees here', async () => {
    await scoredWorkspace(ws.engine, ws.dir);
    const dp = await planRetention(ws.engine, { budget: 30, actions: TEST_ACTIONS, save: false });
    expect(dp.contacts.map((c) => [c.customerId, c.action]).sort()).toEqual([
      ['A', 'call'],
      ['C', 'call'],
      ['E', 'call'],
    ]);
    const greedy = await planRetention(ws.engine, {
      budget: 30,
      actions: TEST_ACTIONS,
      save: false,
      method: 'greedy',
    });
    expect(greedy.expectedNet).toBeCloseTo(dp.expectedNet, 9);
    expect(dp.planId).toBeNull();
  });

  it('gives every customer a decision with a reason', async () => {
    await scoredWorkspace(ws.engine, ws.dir);
    const plan = await planRetention(ws.engine, { budget: 21, actions: TEST_ACTIONS, perCustomer: true });
    expect(plan.perCustomer!.decision).toEqual(['contact', 'let_go', 'contact', 'let_go', 'not_funded']);
    expect(plan.perCustomer!.reason.every((r) => r.length > 0)).toBe(true);
  });
});

describe('actions file', () => {
  it('reads YAML and names the line and field of every problem', () => {
    const ok = parseActions('actions:\n  - id: call\n    cost: 10\n    saveRate: 0.4\n', 'a.yaml');
    expect(ok[0]).toMatchObject({ id: 'call', cost: 10, saveRate: 0.4, costShare: 0 });
    const bad = 'actions:\n  - id: call\n    cost: -1\n    saveRate: 1.5\n  - id: call\n    cots: 3\n';
    expect(() => parseActions(bad, 'a.yaml')).toThrow(/a\.yaml:3:11: actions\[0\]\.cost: must be >= 0/);
    expect(() => parseActions(bad, 'a.yaml')).toThrow(/a\.yaml:4:15: actions\[0\]\.saveRate/);
    expect(() => parseActions(bad, 'a.yaml')).toThrow(/a\.yaml:6:\d+: actions\[1\]\.cots: unknown field/);
    expect(() => parseActions(bad, 'a.yaml')).toThrow(/actions\[1\]\.id: "call" is used twice/);
    expect(() => parseActions('[{"id": "x", "cost": "ten", "saveRate": 0.2}]', 'a.json')).toThrow(
      /a\.json:1:\d+: actions\[0\]\.cost: must be a number/,
    );
  });
});
