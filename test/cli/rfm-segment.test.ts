import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
let db: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'w.duckdb');
  expect(retain(['--db', db, 'import', 'transactions', join(DATASETS, 'CDNOW_master.txt')]).code).toBe(0);
});
afterAll(() => cleanup());

describe('retain rfm and retain segment', () => {
  it('rfm: every customer in exactly one segment, JSON and CSV agree', () => {
    const out = join(dir, 'rfm.csv');
    const r = retain(['--db', db, 'rfm', '--as-of', '1998-06-30', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.customers).toBe(23570);
    expect(result.segments.reduce((a: number, s: { customers: number }) => a + s.customers, 0)).toBe(23570);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(23571);
    expect(lines[0]).toBe('customer_id,recency,frequency,monetary,r_score,f_score,m_score,segment');
    const shown = JSON.parse(retain(['rfm', '--show-segments', '--json']).stdout);
    expect(shown).toHaveLength(11);
    const bad = join(dir, 'map.json');
    writeFileSync(bad, JSON.stringify([{ segment: 'x', r: [1, 5], fm: [1, 4] }]));
    const rejected = retain(['--db', db, 'rfm', '--segments', bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('no rule covers R=1, FM=5');
  });

  it('segment abc: class A holds about 80 % of revenue', () => {
    const r = retain([
      '--db',
      db,
      'segment',
      'abc',
      '--as-of',
      '1998-06-30',
      '--window-days',
      '600',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const a = result.groups.find((g: { group: string }) => g.group === 'A');
    expect(a.revenueShare).toBeGreaterThan(0.79);
    expect(a.revenueShare).toBeLessThan(0.81);
    expect(result.details.curve).toHaveLength(100);
    expect(retain(['--db', db, 'segment', 'nope']).stderr).toContain('must be one of');
    expect(retain(['--db', db, 'segment', 'abc', '--a', '0.99', '--b', '0.5']).code).toBe(1);
  });
});
