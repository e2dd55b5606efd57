/**
 * Every kind of import problem is recognised from the message the import really writes: one bad file per
 * kind through the real import (a DuckDB workspace), then `importIssueKind` on each reported issue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/data/import.js';
import type { ImportTableName } from '../../src/data/tables.js';
import { IMPORT_ISSUE_CODES, importIssueKind } from '../../src/data/import-issue-code.js';
import type { Engine } from '../../src/engine/engine.js';
import { ImportRejectedError } from '../../src/util/errors.js';
import { tempWorkspace, writeText } from '../helpers.js';

const NOW = new Date('2026-01-15T00:00:00Z');
let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;

beforeAll(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
});
afterAll(() => ws.cleanup());

async function issuesOf(table: ImportTableName, name: string, content: string | Buffer) {
  const error = await importFile(engine, { table, file: writeText(ws.dir, name, content), now: NOW }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRejectedError);
  return (error as ImportRejectedError).issues.map((i) => importIssueKind(i.message));
}

const CASES: [ImportTableName, string, string | Buffer, ReturnType<typeof importIssueKind>][] = [
  [
    'transactions',
    'missing.csv',
    'customer_id,date,amount\n,2025-01-01,5\n',
    { code: 'missing_value', params: { field: 'customer_id' } },
  ],
  [
    'transactions',
    'nan.csv',
    'customer_id,date,amount\nA,2025-01-01,abc\n',
    { code: 'not_a_number', params: {} },
  ],
  ['customers', 'age.csv', 'customer_id,age\nA,41.5\n', { code: 'not_a_whole_number', params: {} }],
  [
    'transactions',
    'date.csv',
    'customer_id,date,amount\nA,2025-13-45,5\n',
    { code: 'not_a_date', params: { expected: 'an ISO date or YYYYMMDD' } },
  ],
  [
    'transactions',
    'future.csv',
    'customer_id,date,amount\nA,2031-01-01,5\n',
    { code: 'future_date', params: {} },
  ],
  [
    'transactions',
    'kind.csv',
    'customer_id,date,amount,kind\nA,2025-01-01,5,gift\n',
    { code: 'not_in_list', params: { values: 'purchase, bill, visit' } },
  ],
  [
    'transactions',
    'cols.csv',
    'customer_id,date,amount\nA,2025-01-01,5\nB,2025-01-0',
    { code: 'column_count', params: { expected: '3', found: '2' } },
  ],
  [
    'customers',
    'dup.csv',
    'customer_id,region\nA,North\nA,South\n',
    { code: 'duplicate_key', params: { field: 'customer_id', value: 'A' } },
  ],
  [
    'subscriptions',
    'ends.csv',
    'customer_id,start_date,end_date\nA,2025-03-01,2025-01-01\n',
    { code: 'end_before_start', params: {} },
  ],
  [
    'contacts',
    'contacts.csv',
    'customer_id,campaign_id,date,group\nA,NOPE,2025-01-01,treatment\n',
    { code: 'unknown_campaign', params: { value: 'NOPE' } },
  ],
  [
    'transactions',
    'latin1.csv',
    Buffer.concat([
      Buffer.from('customer_id,date,amount,product\nA,2025-01-01,5,caf'),
      Buffer.from([0xe9, 0x0a]),
    ]),
    { code: 'not_utf8', params: {} },
  ],
];

describe('import problem kinds', () => {
  it.each(CASES)('%s %s', async (table, name, content, expected) => {
    expect(await issuesOf(table, name, content)).toEqual([expected]);
  });

  it('an unknown reason code, with the known ones', async () => {
    const [kind] = await issuesOf(
      'churn_events',
      'reasons.csv',
      'customer_id,date,reason_code\nA,2025-01-01,999\n',
    );
    expect(kind!.code).toBe('unknown_reason_code');
    expect(kind!.params.value).toBe('999');
    expect(kind!.params.known).toContain('101');
  });

  it('covers every code but other, and leaves an unknown message as other', () => {
    const tested = new Set([...CASES.map((c) => c[3].code), 'unknown_reason_code', 'other']);
    expect([...IMPORT_ISSUE_CODES].sort()).toEqual([...tested].sort());
    expect(importIssueKind('something new')).toEqual({ code: 'other', params: {} });
  });
});
