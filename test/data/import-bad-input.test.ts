import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { importFile } from '../../src/data/import.js';
import type { ImportOptions } from '../../src/data/import-types.js';
import type { Engine } from '../../src/engine/engine.js';
import { ImportRejectedError, UserError } from '../../src/util/errors.js';
import { snapshot, tempWorkspace, writeText } from '../helpers.js';

const NOW = new Date('2026-01-15T00:00:00Z');

let ws: Awaited<ReturnType<typeof tempWorkspace>>;
let engine: Engine;
let before: string;

beforeEach(async () => {
  ws = await tempWorkspace();
  engine = ws.engine;
  // something already in the workspace, so "unchanged" means more than "still empty"
  await importFile(engine, {
    table: 'transactions',
    file: writeText(ws.dir, 'seed.csv', 'customer_id,date,amount\nS1,2025-01-01,10\n'),
    now: NOW,
  });
  before = await snapshot(engine);
});
afterEach(() => ws.cleanup());

const importText = (name: string, content: string | Buffer, options: Partial<ImportOptions> = {}) =>
  importFile(engine, { table: 'transactions', file: writeText(ws.dir, name, content), now: NOW, ...options });

/** The import fails with a user error whose message contains every `parts`, and changes nothing. */
async function expectRejected(promise: Promise<unknown>, ...parts: string[]): Promise<UserError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  for (const p of parts) expect((error as Error).message).toContain(p);
  expect(await snapshot(engine)).toBe(before);
  return error as UserError;
}

describe('import rejects bad files and changes nothing', () => {
  it('empty file', async () => {
    await expectRejected(importText('empty.csv', ''), 'empty.csv', 'empty');
  });

  it('header only', async () => {
    await expectRejected(
      importText('header.csv', 'customer_id,date,amount\n'),
      'no data rows',
      'only a header',
    );
  });

  it('wrong delimiter', async () => {
    await expectRejected(
      importText('semi.csv', 'customer_id;date;amount\nA;2025-01-01;5\n', { delimiter: ',' }),
      'no column for required field',
      'is --delimiter right?',
    );
  });

  it('truncated last line names its line', async () => {
    const e = await expectRejected(
      importText('trunc.csv', 'customer_id,date,amount\nA,2025-01-01,5\nB,2025-01-0'),
      'trunc.csv:line 3',
    );
    expect((e as ImportRejectedError).issues[0]?.message).toMatch(/expected 3 columns, found 2/);
  });

  it('non-numeric amount, unparsable date and missing id, each with file, line, column and value', async () => {
    const e = (await expectRejected(
      importText(
        'bad.csv',
        'customer_id,date,amount\nA,2025-01-01,5\nB,2025-13-45,5\n,2025-01-02,5\n\nC,2025-01-03,12,5x\nD,2025-01-04,abc\n',
      ),
      'nothing was written',
    )) as ImportRejectedError;
    expect(e.totalIssues).toBe(4);
    expect(e.issues.map((i) => [i.line, i.column, i.value, i.message])).toEqual([
      [3, 'date', '2025-13-45', 'not a date (expected an ISO date or YYYYMMDD)'],
      [4, 'customer_id', null, 'missing customer_id'],
      [6, null, null, 'expected 3 columns, found 4'],
      [7, 'amount', 'abc', 'not a number'],
    ]);
    expect(e.message).toContain('bad.csv:line 7 column "amount" value "abc": not a number');
  });

  it('a file that is not UTF-8', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('customer_id,date,amount,product\nA,2025-01-01,5,ok\nB,2025-01-02,5,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    await expectRejected(importText('latin1.csv', latin1), 'latin1.csv:line 3', 'not UTF-8');
  });

  it('a header that is not UTF-8', async () => {
    await expectRejected(
      importText('h.csv', Buffer.from([0x63, 0xff, 0x0a, 0x31, 0x0a])),
      'line 1',
      'not UTF-8',
    );
  });

  it('dates in the future are an error unless allowed', async () => {
    await expectRejected(
      importText('future.csv', 'customer_id,date,amount\nA,2031-01-01,5\n'),
      'in the future',
    );
    const ok = await importText('future.csv', 'customer_id,date,amount\nA,2031-01-01,5\n', {
      allowFuture: true,
    });
    expect(ok.inserted).toBe(1);
  });

  it('unknown reason code in churn events', async () => {
    await expectRejected(
      importText('churn.csv', 'customer_id,date,reason_code\nA,2025-01-01,101\nB,2025-01-01,999\n', {
        table: 'churn_events',
      }),
      'line 3',
      'unknown reason code 999',
    );
  });

  it('unknown --map field and bad positions', async () => {
    await expectRejected(
      importText('m.csv', 'a,b,c\n1,2,3\n', { map: { nope: 1 } }),
      'not a field of transactions',
    );
    await expectRejected(
      importText('m.csv', 'a,b,c\n1,2,3\n', { map: { customer_id: 9 } }),
      'has 3 column(s)',
    );
  });

  it('a corrupt gzip file', async () => {
    await expectRejected(importText('x.csv.gz', Buffer.from('not gzip at all')), 'x.csv.gz');
  });
});

describe('import accepts awkward but valid files', () => {
  it('BOM and CRLF', async () => {
    const r = await importText(
      'bom.csv',
      '\uFEFFcustomer_id,date,amount\r\nA,2025-01-01,5\r\nB,2025-01-02,6\r\n',
    );
    expect(r).toMatchObject({ inserted: 2, mapping: { customer_id: 'customer_id' } });
  });

  it('unknown columns are reported and dropped (transactions) or kept as attributes (customers)', async () => {
    const t = await importText('extra.csv', 'customer_id,date,amount,colour\nA,2025-01-01,5,red\n');
    expect(t.ignoredColumns).toEqual(['colour']);
    expect(t.warnings.join()).toContain('colour');
    const c = await importText('cust.csv', 'customer_id,region,colour\nA,North,red\n', {
      table: 'customers',
    });
    expect(c).toMatchObject({ updated: 1, attributeColumns: ['colour'] }); // A was a stub from the line above
    const [row] = await engine.query(
      `SELECT region, attributes->>'colour' AS colour, is_stub FROM customers WHERE customer_id = 'A'`,
    );
    expect(row).toEqual({ region: 'North', colour: 'red', is_stub: false });
  });

  it('identical rows in one file are distinct; re-import adds nothing', async () => {
    const text = 'customer_id,date,amount\nA,2025-01-01,5\nA,2025-01-01,5\nA,2025-01-01,5\n';
    expect((await importText('dup.csv', text)).inserted).toBe(3);
    expect((await importText('dup.csv', text)).inserted).toBe(0);
    // a later extract with one more identical purchase adds exactly that one
    expect((await importText('dup2.csv', text + 'A,2025-01-01,5\n')).inserted).toBe(1);
  });

  it('transaction ids dedupe across files; a repeated id inside one file is an error', async () => {
    const a = await importText(
      't1.csv',
      'transaction_id,customer_id,date,amount\nT1,A,2025-01-01,5\nT2,A,2025-01-02,6\n',
    );
    expect(a.inserted).toBe(2);
    const b = await importText(
      't2.csv',
      'transaction_id,customer_id,date,amount\nT2,A,2025-01-02,6\nT3,A,2025-01-03,7\n',
    );
    expect(b).toMatchObject({ inserted: 1, duplicates: 1 });
    before = await snapshot(engine);
    await expectRejected(
      importText('t3.csv', 'transaction_id,customer_id,date,amount\nT9,A,2025-01-01,5\nT9,B,2025-01-02,6\n'),
      'line 3',
      'duplicate transaction_id T9',
    );
  });

  it('negative amounts load as returns, zero amounts are counted', async () => {
    const r = await importText(
      'ret.csv',
      'customer_id,date,amount\nA,2025-01-01,-5\nB,2025-01-01,0\nC,2025-01-01,1e2\n',
    );
    expect(r).toMatchObject({ inserted: 3, returns: 1, zeroAmounts: 1 });
  });

  it('customers missing from customers become stubs, reported', async () => {
    const r = await importText(
      'stub.csv',
      'customer_id,date,amount\nNEW1,2025-01-01,5\nNEW2,2025-01-01,5\nS1,2025-01-02,1\n',
    );
    expect(r.stubCustomers).toBe(2);
    expect(r.warnings.join()).toContain('2 customer id(s) were not in customers');
    const [s] = await engine.query(`SELECT count(*) AS n FROM customers WHERE is_stub`);
    expect(s?.n).toBe(3); // S1 from the seed file, NEW1, NEW2
  });

  it('--skip-invalid loads the valid rows and writes the rejected ones with reasons', async () => {
    const rejects = `${ws.dir}/rejected.csv`;
    const r = await importText(
      'mixed.csv',
      'customer_id,date,amount\nA,2025-01-01,5\nB,nope,5\nC,2025-01-02,x,9\nD,2025-01-03,7\n',
      {
        skipInvalid: true,
        rejectsFile: rejects,
      },
    );
    expect(r).toMatchObject({ inserted: 2, rejected: 2, rejectsFile: rejects });
    const lines = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,column,value,reason,record');
    expect(lines[1]).toBe('3,date,nope,not a date (expected an ISO date or YYYYMMDD),"B,nope,5"');
    expect(lines[2]).toBe('4,,,"expected 3 columns, found 4","C,2025-01-02,x,9"');
  });

  it('TSV, custom date format, mapping by name, gzip', async () => {
    const tsv = await importText('a.tsv', 'who\twhen\tvalue\nA\t31/12/2024\t5\n', {
      map: { customer_id: 'who', date: 'when', amount: 'value' },
      dateFormat: 'DD/MM/YYYY',
    });
    expect(tsv.inserted).toBe(1);
    const gz = await importText('b.csv.gz', gzipSync('customer_id,date,amount\nG,20240102,5\n'));
    expect(gz.inserted).toBe(1);
    const rows = await engine.query(
      `SELECT customer_id, strftime("date", '%Y-%m-%d') AS d FROM transactions WHERE customer_id IN ('A', 'G') ORDER BY 1`,
    );
    expect(rows).toEqual([
      { customer_id: 'A', d: '2024-12-31' },
      { customer_id: 'G', d: '2024-01-02' },
    ]);
  });

  it('JSON, NDJSON and Parquet', async () => {
    const json = await importText(
      'a.json',
      JSON.stringify([{ customer_id: 'J', date: '2025-01-01T10:30:00Z', amount: 5 }]),
    );
    expect(json).toMatchObject({ inserted: 1, format: 'json' });
    const nd = await importText(
      'b.ndjson',
      '{"customer_id":"N","date":"2025-01-01","amount":1}\n{"customer_id":"N","date":"2025-01-02","amount":2}\n',
    );
    expect(nd).toMatchObject({ inserted: 2, format: 'ndjson' });
    const parquet = `${ws.dir}/p.parquet`;
    await engine.query(`COPY (SELECT 'P' || i AS customer_id, DATE '2025-01-01' + i::INTEGER AS "date", i * 1.5 AS amount
      FROM range(10) t(i)) TO '${parquet}' (FORMAT parquet)`);
    const p = await importFile(engine, { table: 'transactions', file: parquet, now: NOW });
    expect(p).toMatchObject({ inserted: 10, format: 'parquet' });
    const [ts] = await engine.query(
      `SELECT strftime("date", '%H:%M') AS t FROM transactions WHERE customer_id = 'J'`,
    );
    expect(ts?.t).toBe('10:30');
    before = await snapshot(engine);
    await expectRejected(
      importText(
        'bad.ndjson',
        '{"customer_id":"N","date":"2025-01-01","amount":1}\n{"customer_id":"M","date":"soon","amount":2}\n',
      ),
      'line 2',
      'not a date',
    );
  });

  it('churn type comes from the reason code when empty', async () => {
    await importText(
      'c.csv',
      'customer_id,date,reason_code,type\nA,2025-01-01,335,\nB,2025-01-01,101,voluntary\n',
      {
        table: 'churn_events',
      },
    );
    const rows = await engine.query(`SELECT customer_id, "type" FROM churn_events ORDER BY 1`);
    expect(rows).toEqual([
      { customer_id: 'A', type: 'involuntary' },
      { customer_id: 'B', type: 'voluntary' },
    ]);
  });
});
