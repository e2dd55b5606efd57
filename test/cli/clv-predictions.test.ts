/**
 * `retain clv predict --save`, `retain clv predictions` and `retain clv distribution` as a user runs them:
 * the totals and histogram the engine computes in SQL equal sums over the CSV that `--out` writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
let db: string;

const run = (args: string[]) => retain(['--db', db, ...args]);
const json = (args: string[]) => {
  const r = run([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'clv.duckdb');
  expect(run(['demo', '--customers', '2000', '--seed', '42']).code).toBe(0);
}, 120_000);
afterAll(() => cleanup());

describe('retain clv predict --save / predictions / distribution', () => {
  it('says what to run before anything is stored', () => {
    const r = run(['clv', 'distribution']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('retain clv predict --horizon 52 --save');
    expect(json(['clv', 'predictions'])).toEqual({
      source: null,
      total: 0,
      limit: 50,
      offset: 0,
      predictions: [],
    });
  });

  it('stores every customer and aggregates them as the CSV sums', () => {
    const bg = json(['clv', 'fit', '--model', 'bgnbd', '--penalty', '0.01']);
    const gg = json(['clv', 'fit', '--model', 'gg']);
    const csv = join(dir, 'clv.csv');
    const p = json(['clv', 'predict', '--horizon', '52', '--save', '--out', csv, '--limit', '3']);
    expect(p.saved).toEqual({ customers: p.customers, fitId: bg.fitId, spendFitId: gg.fitId });
    const [head, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
    const cols = head!.split(',');
    const rows = lines.map((l) => l.split(','));
    const col = (name: string) => rows.map((r) => Number(r[cols.indexOf(name)]));
    const clv = col('clv');
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

    const d = json(['clv', 'distribution']);
    expect(d.totals.customers).toBe(rows.length);
    expect(d.totals.clv).toBeCloseTo(sum(clv), 3);
    expect(d.totals.clv).toBeCloseTo(p.totals.clv, 6);
    expect(d.totals.expectedTransactions).toBeCloseTo(sum(col('expected_transactions')), 3);
    expect(d.totals.shareAlive).toBeCloseTo(sum(col('probability_alive')) / rows.length, 6);
    expect(d.totals.mean).toBeCloseTo(sum(clv) / rows.length, 6);
    const sorted = [...clv].sort((a, b) => a - b);
    const n = sorted.length;
    expect(d.totals.median).toBeCloseTo(
      n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2,
      4,
    );
    expect(d.source).toMatchObject({
      model: 'bgnbd',
      fitId: bg.fitId,
      spendModel: 'gg',
      spendFitId: gg.fitId,
      horizon: 52,
    });
    const bins = d.histogram as { from: number; to: number; customers: number; clv: number }[];
    expect(bins.reduce((a, b) => a + b.customers, 0)).toBe(rows.length);
    expect(sum(bins.map((b) => b.clv))).toBeCloseTo(sum(clv), 3);
    // the top 1 % above the 99th percentile are in the last bin
    expect(bins.at(-1)!.customers).toBeGreaterThanOrEqual(Math.floor(rows.length * 0.01));

    const page = json(['clv', 'predictions', '--limit', '3']);
    expect(page.total).toBe(rows.length);
    expect(page.predictions.map((x: { customerId: string }) => x.customerId)).toEqual(
      p.topCustomers.map((x: { customerId: string }) => x.customerId),
    );
    expect(page.predictions[0].clv).toBeCloseTo(p.topCustomers[0].clv, 6);
    const text = run(['clv', 'distribution']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${rows.length} customers`);
  });

  it('shows one stored fit and chooses fits by id', () => {
    const fits = json(['clv', 'fits']);
    const gg = fits.find((f: { model: string }) => f.model === 'gg');
    const one = json(['clv', 'fits', '--id', String(gg.fitId)]);
    expect(one).toMatchObject({ fitId: gg.fitId, model: 'gg', converged: true });
    expect(Object.keys(one.standardErrors)).toEqual(['p', 'q', 'v']);
    const missing = run(['clv', 'fits', '--id', '99']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no fit 99');
    const wrong = run(['clv', 'predict', '--horizon', '4', '--fit', String(gg.fitId)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('predictions need');
  });
});
