/**
 * The ClickHouse literal builder: unit cases, then a round trip through a real server (the local test
 * cluster): every awkward value written as a literal comes back from ClickHouse exactly as it went in.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chDate, chIdent, chList, chNumber, chString } from '../../../src/engine/clickhouse/sql.js';

const ch = inject('clickhouse');

const AWKWARD = [
  '',
  "O'Brien",
  "it''s",
  'back\\slash',
  'ends with a backslash\\',
  "\\'; DROP TABLE x; --",
  'line\nbreak\r\ttab',
  'nul\0byte',
  '客户流失',
  'emoji 😀',
  '\b\f',
  '%_*?',
];

describe('ClickHouse literals', () => {
  it('escape quotes, backslashes and control characters', () => {
    expect(chString("O'Brien")).toBe("'O\\'Brien'");
    expect(chString('a\\b')).toBe("'a\\\\b'");
    expect(chString('x\ny')).toBe("'x\\ny'");
  });

  it('refuse names that are not plain identifiers', () => {
    expect(chIdent('tx_local')).toBe('`tx_local`');
    for (const bad of ['', '1a', 'a-b', 'a`b', 'a b', 'a;b', 'ä']) expect(() => chIdent(bad)).toThrow(/name/);
  });

  it('write numbers, dates and lists, and refuse what is not one', () => {
    expect(chNumber(42)).toBe('42');
    expect(chNumber(-1.5)).toBe('(-1.5)');
    expect(() => chNumber(Number.NaN)).toThrow(/finite/);
    expect(() => chNumber(Infinity)).toThrow(/finite/);
    expect(chDate('2024-02-29')).toBe("toDate('2024-02-29')");
    for (const bad of ['2023-02-29', '2024-13-01', '24-01-01', "2024-01-01'", ''])
      expect(() => chDate(bad)).toThrow(/date/);
    expect(chList(['a', 1])).toBe("('a', 1)");
    expect(() => chList([])).toThrow(/empty/);
  });
});

describe.skipIf(!ch)('ClickHouse literals on a real server', () => {
  let client: ClickHouseClient;
  beforeAll(() => {
    client = createClient({ url: ch!.shards[0]!.httpUrl, log: { level: ClickHouseLogLevel.OFF } });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('come back exactly as they went in', async () => {
    const select = AWKWARD.map((v, i) => `${chString(v)} AS ${chIdent(`v${i}`)}`).join(', ');
    const rows = (await (
      await client.query({ query: `SELECT ${select}`, format: 'JSONEachRow' })
    ).json()) as Record<string, string>[];
    expect(AWKWARD.map((_, i) => rows[0]![`v${i}`])).toEqual(AWKWARD);
  });

  it('numbers, dates and lists mean what they say', async () => {
    const query = `SELECT ${chNumber(-1.5)} - ${chNumber(-2)} AS n, toString(${chDate('2024-02-29')}) AS d,
      ${chString("O'Brien")} IN ${chList(["O'Brien", 'x'])} AS found`;
    const [row] = (await (await client.query({ query, format: 'JSONEachRow' })).json()) as {
      n: number;
      d: string;
      found: number;
    }[];
    expect(row).toEqual({ n: 0.5, d: '2024-02-29', found: 1 });
  });
});
