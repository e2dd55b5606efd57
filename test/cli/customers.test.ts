/** `retain customers list|show` on a demo workspace, against the lifecycle CLI on the same month end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
let db: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'demo.duckdb');
  expect(retain(['--db', db, 'demo', '--customers', '1000', '--seed', '9']).code).toBe(0);
  expect(retain(['--db', db, 'lifecycle', 'history', '--from', '2025-12', '--to', '2025-12']).code).toBe(0);
});
afterAll(() => cleanup());

const json = (args: string[]) => {
  const r = retain(['--db', db, ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('retain customers', () => {
  it('lists a page sorted by revenue with the total, and pages on', () => {
    const first = json(['customers', 'list', '--sort', 'revenue', '--limit', '5']);
    expect(first.total).toBe(1000);
    expect(first.customers).toHaveLength(5);
    const revenues = first.customers.map((c: { revenue: number }) => c.revenue);
    expect(revenues).toEqual([...revenues].sort((a: number, b: number) => b - a));
    const next = json(['customers', 'list', '--sort', 'revenue', '--limit', '5', '--offset', '4']);
    expect(next.customers[0]).toEqual(first.customers[4]);
    const text = retain(['--db', db, 'customers', 'list', '--limit', '3']).stdout;
    expect(text).toContain('1-3 of 1000');
  });

  it('shows one customer with the stage, tier and action lifecycle gives on the month end', () => {
    const out = join(dir, 'stages.csv');
    json(['lifecycle', '--as-of', '2025-12-31', '--out', out]);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const row = rows[7]!.split(',');
    const id = row[cols.indexOf('customer_id')]!;
    const view = json(['customers', 'show', id]);
    expect(view.customerId).toBe(id);
    expect(view.lifecycle.monthEnd).toBe('2025-12-31');
    expect(view.lifecycle.state).toBe(row[cols.indexOf('stage')]);
    expect(view.valueTier).toBe(row[cols.indexOf('value_tier')]);
    const text = retain(['--db', db, 'customers', 'show', id]).stdout;
    expect(text).toContain(`customer ${id}`);
    expect(text).toContain(`value tier ${view.valueTier}`);
    const missing = retain(['--db', db, 'customers', 'show', 'NOPE']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no customer "NOPE"');
  });
});
