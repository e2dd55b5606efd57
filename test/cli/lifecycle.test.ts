import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
let db: string;
beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'demo.duckdb');
  expect(retain(['--db', db, 'demo', '--customers', '2000', '--seed', '5']).code).toBe(0);
});
afterAll(() => cleanup());

const json = (args: string[]) => {
  const r = retain(['--db', db, ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('retain lifecycle', () => {
  it('assigns every customer a stage in each model and explains one', () => {
    for (const model of ['states', 'four-stage', 'five-stage']) {
      const r = json(['lifecycle', '--model', model]);
      expect(r.customers).toBe(2000);
      expect(r.stages.reduce((a: number, s: { customers: number }) => a + s.customers, 0)).toBe(2000);
    }
    const out = join(dir, 'stages.csv');
    json(['lifecycle', '--out', out]);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2001);
    const id = lines[1]!.split(',')[0]!;
    const explained = retain(['--db', db, 'lifecycle', '--explain', id]);
    expect(explained.stdout).toContain(`${id} as of 2025-12-31: states stage`);
    expect(explained.stdout).toMatch(/recency \d+ days, tenure \d+ days/);
  });

  it('records month-end history, then transitions and flows', () => {
    const h = json(['lifecycle', 'history', '--from', '2025-10', '--to', '2025-12']);
    expect(h.months).toEqual(['2025-10-31', '2025-11-30', '2025-12-31']);
    const t = json(['lifecycle', 'transitions', '--from', '2025-10-31', '--to', '2025-12-31']);
    const total = t.transitions.reduce((a: number, x: { customers: number }) => a + x.customers, 0);
    const dec = h.mix.filter((m: { monthEnd: string }) => m.monthEnd === '2025-12-31');
    expect(total).toBe(dec.reduce((a: number, m: { customers: number }) => a + m.customers, 0));
    const f = json(['lifecycle', 'flows']);
    expect(f.flows).toHaveLength(2);
  });

  it('takes edited rules and rejects bad ones with exit 1', () => {
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify({ activeDays: 10, lostDays: 45 }));
    const shown = json(['lifecycle', '--show-rules', '--rules', rules]);
    expect(shown.rules).toMatchObject({ activeDays: 10, lostDays: 45, newDays: 90 });
    writeFileSync(rules, JSON.stringify({ activeDayz: 10 }));
    const bad = retain(['--db', db, 'lifecycle', '--rules', rules]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown lifecycle setting "activeDayz"');
  });
});
