// `retain clv evaluate` through the built CLI (`npm run build` first), on the CDNOW sample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, REPO, tempDir } from '../helpers.js';

const BIN = join(REPO, 'dist', 'cli', 'main.js');

function retain(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let db: string;
let cleanup: () => void;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error('build first: npm run build');
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'cdnow.duckdb');
  const imported = retain([
    '--db',
    db,
    'import',
    'transactions',
    join(DATASETS, 'CDNOW_sample.txt'),
    '--no-header',
    '--map',
    'customer_id=2,date=3,quantity=4,amount=5',
    '--date-format',
    'YYYYMMDD',
  ]);
  expect(imported.code).toBe(0);
});
afterAll(() => cleanup());

const PERIOD = ['--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'];

describe('retain clv evaluate', () => {
  it('writes six SVG charts, a per-customer CSV and a compact JSON result', () => {
    const plots = join(dir, 'charts');
    const out = join(dir, 'holdout.csv');
    const r = retain(['--db', db, 'clv', 'evaluate', ...PERIOD, '--plot', plots, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const names = [
      'frequency-recency-matrix.svg',
      'holdout-by-frequency.svg',
      'holdout-per-customer.svg',
      'probability-alive-matrix.svg',
      'tracking-cumulative.svg',
      'tracking-weekly.svg',
    ];
    expect(readdirSync(plots).sort()).toEqual(names);
    for (const name of names) {
      const svg = readFileSync(join(plots, name), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expect(readFileSync(join(plots, 'tracking-cumulative.svg'), 'utf8')).toContain('BG/NBD');

    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      model: 'bgnbd',
      timeUnit: 'week',
      calibrationEnd: '1997-09-30',
      holdoutEnd: '1998-06-30',
      customers: 2357,
      calibrationRepeatTransactions: 2457,
      holdout: { customers: 2357, actualTotal: 1882 },
      files: { out },
    });
    expect(json.holdoutLength).toBeCloseTo(39, 10);
    expect(json.fit.params.r).toBeCloseTo(0.2426, 3);
    expect(Math.abs(json.holdout.relativeError)).toBeLessThan(0.15);
    for (const k of ['mae', 'rmse', 'correlation', 'predictedTotal'])
      expect(typeof json.holdout[k]).toBe('number');
    expect(json.byFrequency.map((g: { label: string }) => g.label)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7+',
    ]);
    expect(json.tracking.points).toHaveLength(78);
    expect(json.tracking.calibrationPeriods).toBe(39);
    expect(json.tracking.points[77]).toMatchObject({ period: 78, end: '1998-06-30', holdout: true });
    expect(json.matrices.probabilityAlive).toHaveLength(json.matrices.frequencies.length);
    expect(json.matrices.expectedTransactions[0]).toHaveLength(json.matrices.recencies.length);
    expect(json.files.plots.map((f: string) => f.slice(plots.length + 1)).sort()).toEqual(names);
    expect(json).not.toHaveProperty('perCustomer');

    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'customer_id,first_purchase,x,t_x,T,probability_alive,predicted_holdout,actual_holdout',
    );
    expect(csv).toHaveLength(2358);
    const actual = csv.slice(1).reduce((s, l) => s + Number(l.split(',')[7]), 0);
    expect(actual).toBe(1882);
  });

  it('prints a readable summary without --json and takes another model', () => {
    const r = retain(['--db', db, 'clv', 'evaluate', ...PERIOD, '--model', 'pnbd']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pareto/NBD');
    expect(r.stdout).toContain('actual 1882');
    expect(r.stdout).toContain('7+');
  });

  it('rejects bad input with exit code 1 and a message', () => {
    const before = retain([
      '--db',
      db,
      'clv',
      'evaluate',
      '--calibration-end',
      '1998-06-30',
      '--holdout-end',
      '1997-09-30',
    ]);
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/must be after the calibration end/);
    const missing = retain(['--db', db, 'clv', 'evaluate', '--calibration-end', '1997-09-30']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--holdout-end is required/);
    const model = retain(['--db', db, 'clv', 'evaluate', ...PERIOD, '--model', 'gg']);
    expect(model.code).toBe(1);
    expect(model.stderr).toMatch(/--model must be one of bgnbd, pnbd, mbgnbd/);
    const empty = retain(['--db', join(dir, 'empty.duckdb'), 'clv', 'evaluate', ...PERIOD]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no transactions/);
  });

  it('has help with examples', () => {
    const r = retain(['clv', 'evaluate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    for (const o of ['--calibration-end', '--holdout-end', '--model', '--plot', '--out', '--json'])
      expect(r.stdout).toContain(o);
  });
});
