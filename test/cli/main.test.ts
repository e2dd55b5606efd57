// Runs the built CLI (`npm test` builds first) as a user would, against real workspace files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DUCKDB_MIGRATIONS } from '../../src/engine/duckdb/migrations.js';
import { BIN, DATASETS, retain, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error('build first: npm run build');
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

describe('retain CLI', () => {
  it('prints help with examples for the program and each command', () => {
    const top = retain(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['init', 'info', 'import', 'demo']) expect(top.stdout).toContain(c);
    const imp = retain(['import', '--help']);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain('Examples:');
    expect(imp.stdout).toContain('--skip-invalid');
  });

  it('init and info use --db, RETAIN_DB, or ./retain.duckdb', () => {
    const db = join(dir, 'a.duckdb');
    const init = retain(['--db', db, 'init', '--json']);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({
      workspace: db,
      engine: 'duckdb',
      schemaVersion: DUCKDB_MIGRATIONS.at(-1)!.version,
    });
    const viaEnv = retain(['info', '--json'], { RETAIN_DB: db });
    expect(JSON.parse(viaEnv.stdout).location).toBe(db);
    const inCwd = retain(['init'], { RETAIN_DB: '' }, dir);
    expect(inCwd.code).toBe(0);
    expect(existsSync(join(dir, 'retain.duckdb'))).toBe(true);
  });

  it('imports CDNOW by position and reports counts as JSON', () => {
    const db = join(dir, 'cdnow.duckdb');
    const r = retain([
      '--db',
      db,
      'import',
      'transactions',
      join(DATASETS, 'CDNOW_sample.txt'),
      '--no-header',
      '--map',
      'customer_id=1,date=3,quantity=4,amount=5',
      '--date-format',
      'YYYYMMDD',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 6919, stubCustomers: 2357, format: 'whitespace' });
    const info = JSON.parse(retain(['--db', db, 'info', '--json']).stdout);
    expect(info.tables.find((t: { table: string }) => t.table === 'transactions')).toMatchObject({
      rows: 6919,
      from: '1997-01-01',
      to: '1998-06-30',
    });
    expect(info.stubCustomers).toBe(2357);
  });

  it('exits 1 with a one-line-per-problem message and no stack trace on bad input', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'customer_id,date,amount\nA,2025-01-01,abc\n');
    const r = retain(['--db', join(dir, 'b.duckdb'), 'import', 'transactions', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.csv:line 2 column "amount" value "abc": not a number');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('exits 1 on unknown commands, options and tables, and on a file that is not a workspace', () => {
    expect(retain(['frobnicate']).code).toBe(1);
    expect(retain(['info', '--nope']).code).toBe(1);
    expect(retain(['--db', join(dir, 'c.duckdb'), 'import', 'orders', 'x.csv']).stderr).toContain(
      'unknown table',
    );
    const notDb = join(dir, 'not.duckdb');
    writeFileSync(notDb, 'this is not a database');
    const r = retain(['--db', notDb, 'info']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot open workspace');
  });
});
