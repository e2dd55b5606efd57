// `retain alerts`, `retain alerts dealer|history` and `retain rules show|schema` run as a user would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_ALERT_RULES } from '../../src/analysis/alerts/rules.js';
import { REPO, retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
let db: string;

// As of 2025-04-30: K1 steady 100 a month then 40 (M down 60 %: red), K2 a single purchase 20 days ago
// (orange), K3 gone since January (lost), K4 five days ago (yellow), V1..V3 service visits
const TRANSACTIONS = [
  'customer_id,date,amount,kind',
  ...['2024-09-15', '2024-10-15', '2024-11-15', '2024-12-15', '2025-01-15', '2025-02-15', '2025-03-15'].map(
    (d) => `K1,${d},100,purchase`,
  ),
  'K1,2025-04-15,40,purchase',
  'K2,2025-04-10,30,purchase',
  'K3,2025-01-05,50,purchase',
  'K4,2025-04-25,10,purchase',
  'V1,2024-06-01,80,visit',
  'V1,2024-11-01,80,visit',
  'V1,2025-02-01,80,visit',
  'V2,2024-09-01,80,visit',
];

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'w.duckdb');
  writeFileSync(join(dir, 't.csv'), TRANSACTIONS.join('\n') + '\n');
  const r = retain(['--db', db, 'import', 'transactions', join(dir, 't.csv')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => cleanup());

const run = (args: string[]) => retain(['--db', db, ...args]);
const json = (args: string[]) => {
  const r = run([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('retain alerts', () => {
  it('prints levels, reasons and group warnings, and stores the run', () => {
    const r = json(['alerts', '--as-of', '2025-03-31', '--limit', '10']);
    expect(r.asOf).toBe('2025-03-31');
    expect(r.customers.saved).toBe(true);
    expect(r.customers.previous).toBeNull();
    expect(r.groups.churnSource).toBe('inactivity'); // no churn records in this workspace
    const out = join(dir, 'alerts.csv');
    const later = json(['alerts', '--as-of', '2025-04-30', '--out', out]);
    expect(later.out).toBe(out);
    expect(later.customers.previous.asOf).toBe('2025-03-31');
    const levels = Object.fromEntries(
      later.customers.levels.map((l: { level: string; customers: number }) => [l.level, l.customers]),
    );
    // K1 red (M down 60 %), K2 orange (R 20), K4 yellow (R 5); K3, V1 (last 02-01), V2 lost
    expect(levels).toEqual({ yellow: 1, orange: 1, red: 1, lost: 3 });
    expect(later.customers.list[0]).toMatchObject({
      customerId: 'K1',
      level: 'red',
      change: 'escalated', // on 2025-03-31: R 16, M flat: orange
      previousLevel: 'orange',
      reasons: ['M down 60% (> 50%): 40 in 30 days vs 100/month'],
    });
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'customer_id,level,change,previous_level,last_transaction,recency,full_history,recent_count,baseline_monthly_count,' +
        'f_down_percent,recent_amount,baseline_monthly_amount,m_down_percent,reasons',
    );
    expect(csv).toHaveLength(1 + 6);
    expect(csv.find((l) => l.startsWith('K1,'))).toBe(
      'K1,red,escalated,orange,2025-04-15,15,1,1,1,0,40,100,60,M down 60% (> 50%): 40 in 30 days vs 100/month',
    );
    expect(csv.find((l) => l.startsWith('K2,'))).toBe(
      'K2,orange,new,,2025-04-10,20,0,1,0,,30,0,,R 20 days (11-30)',
    );
  });

  it('prints a readable report', () => {
    const r = run(['alerts', '--as-of', '2025-04-30', '--no-save']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Alerts as of 2025-04-30 (rules default), compared with the run of 2025-03-31 (not stored)',
    );
    expect(r.stdout).toMatch(/red\s+1\s+16\.7%/);
    expect(r.stdout).toContain('M down 60% (> 50%): 40 in 30 days vs 100/month');
    expect(r.stdout).toContain('Group warnings: period 2025-04-01..2025-04-30');
  });

  it('lists the stored runs', () => {
    const runs = json(['alerts', 'history']);
    expect(runs.map((x: { asOf: string }) => x.asOf)).toEqual(['2025-04-30', '2025-03-31']);
    expect(runs[0].levels).toEqual({ yellow: 1, orange: 1, red: 1, lost: 3 });
    expect(run(['alerts', 'history']).stdout).toMatch(/^as of\s+saved at\s+rules\s+customers/);
  });

  it('grades service visits for a dealer', () => {
    // visits in (2024-04-30, 2025-04-30]: V1 three (A), V2 one (C), the K customers none (D); the survey
    // list (nothing since 2024-10-30): V2 (last visit 2024-09-01) and K1 (a customer since 2024-09-15)
    const r = json(['alerts', 'dealer', '--as-of', '2025-04-30']);
    expect(r.customers).toBe(6);
    expect(r.grades.map((g: { grade: string; customers: number }) => `${g.grade}${g.customers}`)).toEqual([
      'A1',
      'B0',
      'C1',
      'D4',
    ]);
    expect(r).toMatchObject({ survey: 2, surveyNeverVisited: 1 });
    expect(r.list.map((x: { customerId: string }) => x.customerId)).toEqual(['V2', 'K1']);
    const text = run(['alerts', 'dealer', '--as-of', '2025-04-30']).stdout;
    expect(text).toContain('Churn-survey list (no visit for 6 months): 2 customers (1 never visited)');
  });

  it('rejects bad options and empty workspaces with exit 1', () => {
    expect(run(['alerts', '--as-of', '2025-02-30']).stderr).toMatch(/not a real date/);
    expect(run(['alerts', '--as-of', '2025-02-30']).code).toBe(1);
    expect(run(['alerts', '--limit', '-1']).code).toBe(1);
    const empty = retain(['--db', join(dir, 'empty.duckdb'), 'alerts']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('the workspace has no transactions');
  });
});

describe('retain rules', () => {
  it('shows the rules in force as YAML that reads back, and as JSON', () => {
    const yaml = run(['rules', 'show']);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual(DEFAULT_ALERT_RULES);
    expect(json(['rules', 'show'])).toEqual(DEFAULT_ALERT_RULES);
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, yaml.stdout.replace('lostAfterDays: 60', 'lostAfterDays: 120'));
    const shown = json(['rules', 'show', '--rules', file]);
    expect(shown.lostAfterDays).toBe(120);
    const r = json(['alerts', '--as-of', '2025-04-30', '--rules', file, '--no-save']);
    // K3 (R 115) and V1 (R 88) are no longer lost; the levels' R ranges stop at 60: no level
    expect(r.customers.noLevel).toBe(2);
  });

  it('points at the line of a problem in a rules file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'levels:\n  - name: red\n    recencyDays: { from: 31, to: 20 }\n');
    const r = run(['alerts', '--rules', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `retain: rules file ${file} has 1 problem(s):\n  ${file}:3:34: levels[0].recencyDays.to: ends (20) before it starts (31)\n`,
    );
    expect(run(['rules', 'show', '--rules', join(dir, 'missing.yaml')]).stderr).toMatch(
      /cannot read the rules file/,
    );
  });

  it('prints the JSON Schema, the same as docs/alert-rules.schema.json', () => {
    const r = run(['rules', 'schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(readFileSync(join(REPO, 'docs', 'alert-rules.schema.json'), 'utf8')),
    );
  });
});
