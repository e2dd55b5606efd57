import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openWorkspace } from '../../src/workspace.js';
import { retain, tempDir, writeText } from '../helpers.js';
import { scoredWorkspace } from '../analysis/planning/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeEach(async () => {
  tmp = tempDir();
  db = join(tmp.dir, 'w.duckdb');
  const engine = await openWorkspace({ db });
  await scoredWorkspace(engine, tmp.dir);
  await engine.close();
});
afterEach(() => tmp.cleanup());

const ACTIONS = `actions:
  - id: call
    cost: 10
    saveRate: 0.5
  - id: gift
    cost: 2
    saveRate: 0.1
`;

describe('retain plan', () => {
  it('retention --json: contacts, let-go, budget, value source', () => {
    const actions = writeText(tmp.dir, 'actions.yaml', ACTIONS);
    const out = join(tmp.dir, 'plan.csv');
    const r = retain([
      '--db',
      db,
      'plan',
      'retention',
      '--budget',
      '21',
      '--actions',
      actions,
      '--out',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.planId).toBe('P1');
    expect(p.spent).toBe(20);
    expect(p.method).toBe('dp');
    expect(p.expectedNet).toBeCloseTo(326.75, 9);
    expect(p.valueSource.kind).toBe('run-rate');
    expect(p.contacts.map((c: { customerId: string }) => c.customerId)).toEqual(['A', 'C']);
    expect(p.letGo.customers).toBe(2);
    expect(p.perCustomer).toBeUndefined();
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'customer_id,decision,action,cost,probability,value,value_at_stake,expected_saved,net,reason',
    );
    expect(csv).toHaveLength(6);
    const text = retain([
      '--db',
      db,
      'plan',
      'retention',
      '--budget',
      '21',
      '--actions',
      actions,
      '--no-save',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/contact 2 of 5 customers/);
    expect(text.stdout).toMatch(/let go 2/);

    // the stored plan reads back: its totals and its customers, paged, as the plan chose them
    const list = JSON.parse(retain(['--db', db, 'plan', 'list', '--json']).stdout);
    expect(list.plans.map((x: { planId: string }) => x.planId)).toEqual(['P1']);
    expect(list.plans[0]).toMatchObject({ kind: 'retention', contacted: 2, cost: 20 });
    expect(list.plans[0].expectedSaved).toBeCloseTo(
      p.contacts.reduce((s: number, c: { expectedSaved: number }) => s + c.expectedSaved, 0),
      9,
    );
    const shown = JSON.parse(retain(['--db', db, 'plan', 'show', 'P1', '--limit', '1', '--json']).stdout);
    expect(shown.plan.planId).toBe('P1');
    expect(shown.customers).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(shown.customers.items).toHaveLength(1);
    const missing = retain(['--db', db, 'plan', 'show', 'P9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no stored plan "P9"');
    expect(retain(['--db', db, 'plan', 'show', 'P1']).stdout).toContain('1-2 of 2');
  });

  it('matrix --json and errors exit 1 with a message', () => {
    const m = JSON.parse(retain(['--db', db, 'plan', 'matrix', '--by', 'segment', '--json']).stdout);
    expect(m.customers).toBe(5);
    expect(m.groups).toHaveLength(2);
    const wrongHorizon = retain(['--db', db, 'plan', 'matrix', '--horizon', '30']);
    expect(wrongHorizon.code).toBe(1);
    expect(wrongHorizon.stderr).toMatch(/no churn scores for a 30-day horizon/);
    const badActions = writeText(
      tmp.dir,
      'bad.yaml',
      'actions:\n  - id: call\n    cost: 10\n    saveRate: 2\n',
    );
    const bad = retain(['--db', db, 'plan', 'retention', '--budget', '10', '--actions', badActions]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:4:15: actions\[0\]\.saveRate: must be > 0 and <= 1/);
    const noBudget = retain(['--db', db, 'plan', 'retention']);
    expect(noBudget.code).toBe(1);
  });

  it('actions prints editable YAML that reads back', () => {
    const r = retain(['plan', 'actions']);
    expect(r.code).toBe(0);
    const file = writeText(tmp.dir, 'defaults.yaml', r.stdout);
    const p = retain([
      '--db',
      db,
      'plan',
      'retention',
      '--budget',
      '100',
      '--actions',
      file,
      '--json',
      '--no-save',
    ]);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout).actions.map((a: { id: string }) => a.id)).toEqual([
      'vip_callback',
      'discount',
      'plan_change',
      'loyalty_points',
    ]);
  });
});
