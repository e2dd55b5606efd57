import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retain, tempDir, writeText } from '../helpers.js';
import { join } from 'node:path';

describe('retain reasons (built CLI)', () => {
  let t: ReturnType<typeof tempDir>;
  let db: string;
  beforeAll(() => {
    t = tempDir();
    db = join(t.dir, 'w.duckdb');
  });
  afterAll(() => t.cleanup());
  const run = (...args: string[]) => retain(['--db', db, 'reasons', ...args]);

  it('lists the default taxonomy, adds, replaces and imports codes; imports then accept them', () => {
    const list = JSON.parse(run('list', '--json').stdout);
    expect(list.codes).toHaveLength(9);
    expect(list.codes[0]).toEqual({
      code: '101',
      reason: 'price',
      reasonZh: '价格',
      type: 'voluntary',
      family: 'price',
    });

    const events = writeText(t.dir, 'events.csv', 'customer_id,date,reason_code\nA,2025-01-05,420\n');
    expect(retain(['--db', db, 'import', 'churn_events', events]).stderr).toMatch(/unknown reason code 420/);

    const add = run(
      'add',
      '420',
      '--reason',
      'moved abroad',
      '--reason-zh',
      '出国',
      '--type',
      'voluntary',
      '--family',
      'natural',
      '--json',
    );
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ added: ['420'], replaced: [] });
    expect(run('add', '420', '--reason', 'x', '--type', 'voluntary').stderr).toMatch(/exist already/);
    expect(run('add', '421', '--reason', 'x', '--type', 'sometimes').stderr).toMatch(
      /type must be voluntary or involuntary/,
    );
    expect(retain(['--db', db, 'import', 'churn_events', events]).code).toBe(0);

    const csv = writeText(
      t.dir,
      'codes.csv',
      'code,reason,reason_zh,type,family\n420,emigration,,voluntary,natural\n501,handset,手机,voluntary,product\n',
    );
    expect(JSON.parse(run('import', csv, '--json').stdout)).toEqual({ added: ['501'], replaced: ['420'] });
    const bad = writeText(
      t.dir,
      'codes.yaml',
      '- code: "600"\n  reason: a\n  type: voluntary\n- code: "601"\n  reason: ""\n  type: maybe\n',
    );
    const e = run('import', bad);
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('codes.yaml:4: reason must not be empty');
    expect(e.stderr).toContain('codes.yaml:4: type must be voluntary or involuntary');
    const after = JSON.parse(run('list', '--json').stdout).codes;
    expect(after.map((c: { code: string }) => c.code)).toEqual([
      '101',
      '102',
      '103',
      '205',
      '207',
      '210',
      '335',
      '345',
      '380',
      '420',
      '501',
    ]);
    expect(after.find((c: { code: string }) => c.code === '420').reason).toBe('emigration');
  });
});
