import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
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

describe('retain campaign', () => {
  it('create, record, evaluate, list', () => {
    const actions = writeText(tmp.dir, 'a.yaml', 'actions:\n  - id: call\n    cost: 10\n    saveRate: 0.5\n');
    expect(retain(['--db', db, 'plan', 'retention', '--budget', '100', '--actions', actions]).code).toBe(0);
    const created = retain([
      '--db',
      db,
      'campaign',
      'create',
      '--holdout',
      '0.34',
      '--seed',
      '3',
      '--id',
      'T1',
      '--json',
    ]);
    expect(created.stderr).toBe('');
    const c = JSON.parse(created.stdout);
    expect(c).toMatchObject({
      campaignId: 'T1',
      planId: 'P1',
      kind: 'retention',
      treatment: 2,
      control: 1,
      startDate: '2025-06-30',
    });
    const again = retain(['--db', db, 'campaign', 'create', '--id', 'T1']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    const bad = writeText(
      tmp.dir,
      'bad.csv',
      'customer_id,outcome,value,date\nA,retained,1,2025-09-30\nZ,retained,1,2025-09-30\n',
    );
    const rejected = retain(['--db', db, 'campaign', 'record', 'T1', bad]);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(
      `${bad}:line 3 column "customer_id" value "Z": is not a member of the campaign`,
    );

    const good = writeText(
      tmp.dir,
      'o.csv',
      'customer_id,outcome,value,date\nA,retained,700,2025-09-30\nC,churned,0,2025-09-30\nE,retained,100,2025-09-30\n',
    );
    const first = JSON.parse(retain(['--db', db, 'campaign', 'record', 'T1', good, '--json']).stdout);
    expect(first).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    const second = JSON.parse(retain(['--db', db, 'campaign', 'record', 'T1', good, '--json']).stdout);
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });

    const e = JSON.parse(retain(['--db', db, 'campaign', 'evaluate', 'T1', '--json']).stdout);
    expect(e.outcomes).toBe('recorded');
    expect(e.overall.treatment.known + e.overall.control.known).toBe(3);
    expect(e.methods.rate).toMatch(/Newcombe/);
    const text = retain(['--db', db, 'campaign', 'evaluate', 'T1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/campaign T1/);

    const list = JSON.parse(retain(['--db', db, 'campaign', 'list', '--json']).stdout);
    expect(list.campaigns).toEqual([
      expect.objectContaining({ campaignId: 'T1', treatment: 2, control: 1, outcomes: 3, source: 'members' }),
    ]);
    expect(retain(['--db', db, 'campaign', 'evaluate', 'NOPE']).code).toBe(1);
  });
});
