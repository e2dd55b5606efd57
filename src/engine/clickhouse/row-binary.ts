/**
 * A decoder for ClickHouse's RowBinary format (rows back to back, no header; little-endian numbers,
 * strings as a LEB128 length and UTF-8 bytes, Date as days since 1970-01-01, DateTime as seconds, Nullable
 * as one flag byte then the value). Large results come this way: no JSON parsing, no number strings.
 */
export type RowBinaryType =
  | 'String'
  | 'Date'
  | 'DateTime'
  | 'Float64'
  | 'Float32'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'Int32'
  | 'UInt64'
  | 'Int64'
  | `Nullable(${'String' | 'Date' | 'Float64' | 'Int32' | 'Int64' | 'UInt64'})`;

const DAY_MS = 86_400_000;

/** Decoded rows: Date as `YYYY-MM-DD`, DateTime as ISO `YYYY-MM-DDTHH:MM:SSZ`, 64-bit integers as numbers. */
export function decodeRowBinary(buf: Buffer, types: readonly RowBinaryType[]): unknown[][] {
  const rows: unknown[][] = [];
  let pos = 0;
  const varUInt = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = buf[pos++];
      if (byte === undefined) throw new Error('RowBinary: truncated length');
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  const value = (type: string): unknown => {
    if (type.startsWith('Nullable(')) {
      const isNull = buf[pos++] === 1;
      return isNull ? null : value(type.slice(9, -1));
    }
    let v: unknown;
    switch (type) {
      case 'String': {
        const len = varUInt();
        v = buf.toString('utf8', pos, pos + len);
        pos += len;
        return v;
      }
      case 'Date':
        v = new Date(buf.readUInt16LE(pos) * DAY_MS).toISOString().slice(0, 10);
        pos += 2;
        return v;
      case 'DateTime':
        v = new Date(buf.readUInt32LE(pos) * 1000).toISOString().replace('.000Z', 'Z');
        pos += 4;
        return v;
      case 'Float64':
        v = buf.readDoubleLE(pos);
        pos += 8;
        return v;
      case 'Float32':
        v = buf.readFloatLE(pos);
        pos += 4;
        return v;
      case 'UInt8':
        return buf[pos++];
      case 'UInt16':
        v = buf.readUInt16LE(pos);
        pos += 2;
        return v;
      case 'UInt32':
        v = buf.readUInt32LE(pos);
        pos += 4;
        return v;
      case 'Int32':
        v = buf.readInt32LE(pos);
        pos += 4;
        return v;
      case 'UInt64':
        v = Number(buf.readBigUInt64LE(pos));
        pos += 8;
        return v;
      case 'Int64':
        v = Number(buf.readBigInt64LE(pos));
        pos += 8;
        return v;
      default:
        throw new Error(`RowBinary: unsupported type ${type}`);
    }
  };
  while (pos < buf.length) {
    const row: unknown[] = [];
    for (const t of types) row.push(value(t));
    rows.push(row);
  }
  if (pos !== buf.length) throw new Error('RowBinary: trailing bytes');
  return rows;
}
