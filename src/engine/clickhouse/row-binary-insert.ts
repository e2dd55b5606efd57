/**
 * Inserts of many rows in RowBinary (churn scores, CLV predictions, plans, campaign members). ClickHouse
 * 18.16's text parsers (JSONEachRow, TSV, VALUES) read some doubles one unit in the last place off, so a
 * stored value would differ from the one computed; RowBinary carries the exact bytes.
 */
import { Readable } from 'node:stream';
import type { ClickHouseEngine } from './clickhouse-engine.js';
import { chIdent } from './sql.js';
import { chErrorMessage } from './connection.js';

export type BinaryColumn =
  | { readonly type: 'String'; readonly values: readonly string[] }
  | { readonly type: 'Float64'; readonly values: Float64Array }
  | { readonly type: 'Int32'; readonly values: readonly number[] | Int32Array }
  /** Days as `YYYY-MM-DD`. */
  | { readonly type: 'Date'; readonly values: readonly string[] };

const DAY_MS = 86_400_000;
const FIXED_SIZE = { Float64: 8, Int32: 4, Date: 2 } as const;

const varUIntSize = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x20_0000 ? 3 : n < 0x1000_0000 ? 4 : 5;

/** Rows `from` to `to` (exclusive) of equal-length columns in RowBinary, in one buffer. */
export function encodeRowBinary(columns: readonly BinaryColumn[], from: number, to: number): Buffer {
  let size = 0;
  for (const c of columns)
    if (c.type === 'String')
      for (let i = from; i < to; i++) {
        const len = Buffer.byteLength(c.values[i]!, 'utf8');
        size += varUIntSize(len) + len;
      }
    else size += FIXED_SIZE[c.type] * (to - from);
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  for (let i = from; i < to; i++)
    for (const c of columns) {
      switch (c.type) {
        case 'String': {
          let len = Buffer.byteLength(c.values[i]!, 'utf8');
          while (len >= 0x80) {
            buf[pos++] = (len % 0x80) | 0x80;
            len = Math.floor(len / 0x80);
          }
          buf[pos++] = len;
          pos += buf.write(c.values[i]!, pos, 'utf8');
          break;
        }
        case 'Float64':
          pos = buf.writeDoubleLE(c.values[i]!, pos);
          break;
        case 'Int32':
          pos = buf.writeInt32LE(c.values[i]!, pos);
          break;
        case 'Date':
          pos = buf.writeUInt16LE(Math.round(Date.parse(`${c.values[i]!}T00:00:00Z`) / DAY_MS), pos);
          break;
      }
    }
  if (pos !== size) throw new Error('RowBinary: encoded size mismatch');
  return buf;
}

/** Rows per INSERT: bounds the memory of one request body. */
const ROWS_PER_INSERT = 200_000;

/** Insert the rows into `table` (a name from `engine.t`) with its `columnNames` in this order. */
export async function insertRowBinary(
  engine: ClickHouseEngine,
  table: string,
  columnNames: readonly string[],
  columns: readonly BinaryColumn[],
  rows: number,
): Promise<void> {
  for (let from = 0; from < rows; from += ROWS_PER_INSERT)
    await insertEncoded(
      engine,
      table,
      columnNames,
      encodeRowBinary(columns, from, Math.min(rows, from + ROWS_PER_INSERT)),
    );
}

/** Column types the row encoder writes (`Date` as days since 1970, `DateTime` as seconds since 1970). */
export type RowBinaryWriteType =
  | 'String'
  | 'Float64'
  | 'Int32'
  | 'UInt8'
  | 'Date'
  | 'DateTime'
  | 'Nullable(String)'
  | 'Nullable(Float64)'
  | 'Nullable(Int32)'
  | 'Nullable(Date)'
  | 'Nullable(DateTime)';

/** The writer type of a column type from schema.ts (`DateTime('UTC')` is written as `DateTime`). */
export function rowBinaryWriteType(columnType: string): RowBinaryWriteType {
  const t = columnType.replace(/DateTime\('UTC'\)/, 'DateTime');
  const known: readonly string[] = [
    'String',
    'Float64',
    'Int32',
    'UInt8',
    'Date',
    'DateTime',
    'Nullable(String)',
    'Nullable(Float64)',
    'Nullable(Int32)',
    'Nullable(Date)',
    'Nullable(DateTime)',
  ];
  if (!known.includes(t)) throw new Error(`RowBinary: no writer for ${columnType}`);
  return t as RowBinaryWriteType;
}

/**
 * Rows (arrays in column order: strings, numbers, or null for a Nullable NULL) in RowBinary. Dates and
 * times come as numbers: days and seconds since 1970-01-01 UTC.
 */
export function encodeRows(
  types: readonly RowBinaryWriteType[],
  rows: readonly (readonly unknown[])[],
): Buffer {
  const parts: Buffer[] = [];
  let buf = Buffer.allocUnsafe(1 << 20);
  let pos = 0;
  const room = (n: number): void => {
    if (pos + n <= buf.length) return;
    parts.push(buf.subarray(0, pos));
    buf = Buffer.allocUnsafe(Math.max(1 << 20, n));
    pos = 0;
  };
  for (const row of rows)
    for (let c = 0; c < types.length; c++) {
      let type: string = types[c]!;
      const v = row[c];
      if (type.startsWith('Nullable(')) {
        room(1);
        buf[pos++] = v === null || v === undefined ? 1 : 0;
        if (v === null || v === undefined) continue;
        type = type.slice(9, -1);
      } else if (v === null || v === undefined) throw new Error(`RowBinary: NULL in a ${type} column`);
      switch (type) {
        case 'String': {
          const s = String(v);
          let len = Buffer.byteLength(s, 'utf8');
          room(len + 5);
          while (len >= 0x80) {
            buf[pos++] = (len % 0x80) | 0x80;
            len = Math.floor(len / 0x80);
          }
          buf[pos++] = len;
          pos += buf.write(s, pos, 'utf8');
          break;
        }
        case 'Float64':
          room(8);
          pos = buf.writeDoubleLE(Number(v), pos);
          break;
        case 'Int32':
          room(4);
          pos = buf.writeInt32LE(Number(v), pos);
          break;
        case 'UInt8':
          room(1);
          pos = buf.writeUInt8(Number(v), pos);
          break;
        case 'Date':
          room(2);
          pos = buf.writeUInt16LE(Number(v), pos);
          break;
        case 'DateTime':
          room(4);
          pos = buf.writeUInt32LE(Number(v), pos);
          break;
        default:
          throw new Error(`RowBinary: no writer for ${type}`);
      }
    }
  parts.push(buf.subarray(0, pos));
  return Buffer.concat(parts);
}

/** Insert encoded rows into `table` (a name from `engine.t`), its `columnNames` in this order. */
export async function insertEncoded(
  engine: ClickHouseEngine,
  table: string,
  columnNames: readonly string[],
  body: Buffer,
): Promise<void> {
  const query = `INSERT INTO ${table} (${columnNames.map(chIdent).join(', ')}) FORMAT RowBinary`;
  try {
    const { stream } = await engine.conn.entry.exec({
      query,
      values: Readable.from([body]),
      // synchronous distributed insert (as every request of connection.ts): readable right after
      clickhouse_settings: { insert_distributed_sync: 1 },
    });
    for await (const _ of stream as AsyncIterable<unknown>) void _;
  } catch (error) {
    throw new Error(`ClickHouse: ${chErrorMessage(error)}\n  in: ${query}`);
  }
}
